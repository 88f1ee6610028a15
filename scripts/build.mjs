// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild, and writes the
// policy JSON Schema generated from the zod schema, and dist/THIRD-PARTY-NOTICES.txt from the bundle's
// metafile. Output is deterministic so CI can diff dist/.
//   --schema-only      only the schema
//   --outdir DIR       bundle (and notices) into DIR instead of dist/, without the schema (tests)
//   --metafile FILE    also write esbuild's metafile (which inputs went into which output) to FILE
import { build } from 'esbuild';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { bundledPackages, NOTICES_FILE, renderNotices } from './third-party-notices.mjs';

const root = path.resolve(import.meta.dirname, '..');
const schemaOnly = process.argv.includes('--schema-only');
const flag = (name) => {
  const at = process.argv.indexOf(name);
  return at === -1 ? null : path.resolve(process.argv[at + 1] ?? '');
};
const outdir = flag('--outdir');
const metafileOut = flag('--metafile');

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
  // Per process: the e2e suites build concurrently, and one must not delete another's entry file.
  const tmp = path.join(root, '.tmp', `schema-${process.pid}`);
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
  await writeAtomically([
    {
      path: path.join(root, 'schema', 'policy.schema.json'),
      contents: JSON.stringify(policyJsonSchema(), null, 2) + '\n',
    },
  ]);
  await rm(tmp, { recursive: true, force: true });
}

/**
 * Writes each file to a temporary name and renames it into place, then removes chunks no longer
 * produced: a test running dist/cli.js while another suite rebuilds always finds a whole bundle
 * (the output is deterministic, so old and new files are the same bytes).
 */
async function writeAtomically(files) {
  for (const { path: file, contents } of files) {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, contents);
    await rename(tmp, file);
  }
}

async function removeStaleChunks(dir, keep) {
  const names = await readdir(dir).catch(() => []);
  // Another build's half-written file (*.<pid>.tmp) is its to rename.
  for (const name of names)
    if (!name.endsWith('.tmp') && !keep.has(path.join(dir, name)))
      await rm(path.join(dir, name), { force: true });
}

async function writeBundles(dir) {
  // One build with code splitting: the entries stay index.js (action) and cli.js (CLI), and what only
  // plan/apply/drift need (the Twilio SDK, Octokit) lands in chunks loaded on demand, which keeps the
  // validate path fast.
  const result = await build({
    ...common,
    entryPoints: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
    outdir: dir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // The shebang is only meaningful on cli.js; on other files it is an ignored first-line comment.
    banner: { js: '#!/usr/bin/env node\n' + banner },
    write: false,
    metafile: true,
  });
  const notices = renderNotices(bundledPackages(root, result.metafile));
  await writeAtomically([...result.outputFiles, { path: path.join(dir, NOTICES_FILE), contents: notices }]);
  await removeStaleChunks(path.join(dir, 'chunks'), new Set(result.outputFiles.map((f) => f.path)));
  if (metafileOut) await writeFile(metafileOut, JSON.stringify(result.metafile));
}

if (!outdir) await writeSchema();
if (!schemaOnly) await writeBundles(outdir ?? path.join(root, 'dist'));
