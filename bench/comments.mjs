// The review comment's size in `npm run bench`: the 40-account plan (test/support/fleet-scenario.ts) as
// the sticky comment shows it, now and in the version before the review-first reports (BEFORE_COMMIT),
// both built from source here, so the figures are measured, never copied.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const COMMENTS_HEADING = '## Review comment size (the 40-account plan)';
/** The last commit before the review-first reports (issue 11). */
const BEFORE_COMMIT = '76636e9';

async function measure(tree, outDir) {
  const out = path.join(outDir, `comment-size-${path.basename(tree)}.mjs`);
  await build({
    entryPoints: [path.join(tree, 'bench/comment-size.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'error',
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  return JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim());
}

/** src/ and test/support/ of the earlier commit, with this tree's scenario and worker copied in. */
async function beforeTree(root) {
  const tree = await mkdtemp(path.join(os.tmpdir(), 'geo-comments-'));
  const archive = execFileSync('git', ['-C', root, 'archive', BEFORE_COMMIT, 'src', 'test/support'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  await mkdir(path.join(tree, 'bench'), { recursive: true });
  await cp(path.join(root, 'bench/comment-size.ts'), path.join(tree, 'bench/comment-size.ts'));
  await cp(
    path.join(root, 'test/support/fleet-scenario.ts'),
    path.join(tree, 'test/support/fleet-scenario.ts'),
  );
  await symlink(path.join(root, 'node_modules'), path.join(tree, 'node_modules'));
  return tree;
}

export async function runCommentsBench(root) {
  const tree = await beforeTree(root);
  try {
    const before = await measure(tree, tree);
    const after = await measure(root, tree);
    const row = (name, m) =>
      `| ${name} | ${m.chars} | ${m.visibleChars} | ${m.unfoldedChars} | ${m.lines} | ${m.tables} | ${m.criticalLine} | ${m.criticalChar} |`;
    return [
      COMMENTS_HEADING,
      '',
      `- The plan: ${after.changes} cells in ${after.accountsWithChanges} of 40 accounts, the one critical (toll-fraud to Cuba) on the last account`,
      `- Before: commit ${BEFORE_COMMIT} (per-account tables), built from its source; after: this tree (review-first)`,
      '',
      '| version | body chars | visible chars | unfolded chars | visible lines | tables | line of the critical row | chars before it |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('before', before),
      row('after', after),
      '',
    ];
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}
