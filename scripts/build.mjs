// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild, and writes the
// policy JSON Schema generated from the zod schema. Output is deterministic so CI can diff dist/.
import { build } from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const schemaOnly = process.argv.includes('--schema-only');

// twilio and @actions/* are CommonJS or need `require` for node built-ins inside an ESM bundle.
const banner =
  "import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  keepNames: false,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
};

async function writeSchema() {
  const tmp = path.join(root, '.tmp');
  await mkdir(tmp, { recursive: true });
  const out = path.join(tmp, 'schema-entry.mjs');
  await build({
    ...common,
    minify: false,
    entryPoints: ['src/policy/json-schema.ts'],
    outfile: out,
    banner: { js: banner },
  });
  const { policyJsonSchema } = await import(pathToFileURL(out).href + `?t=${Date.now()}`);
  await mkdir(path.join(root, 'schema'), { recursive: true });
  await writeFile(
    path.join(root, 'schema', 'policy.schema.json'),
    JSON.stringify(policyJsonSchema(), null, 2) + '\n',
  );
  await rm(tmp, { recursive: true, force: true });
}

await writeSchema();
if (!schemaOnly) {
  // One build with code splitting: the entries stay dist/index.js (action) and dist/cli.js (CLI), and
  // what only plan/apply/drift need (the Twilio SDK, Octokit) lands in chunks loaded on demand, which
  // keeps the validate path fast. Chunks are replaced whole so no stale file survives a rebuild.
  await rm(path.join(root, 'dist', 'chunks'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // The shebang is only meaningful on dist/cli.js; on other files it is an ignored first-line comment.
    banner: { js: '#!/usr/bin/env node\n' + banner },
  });
}
