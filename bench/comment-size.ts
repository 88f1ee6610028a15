/**
 * The benchmark's comment-size worker, bundled by bench/comments.mjs twice: against this tree, and
 * against the tree of the version before the review-first reports (src/ and test/support/ of that
 * commit, with this file and test/support/fleet-scenario.ts copied in). It builds the 40-account plan
 * and prints one JSON line: the sticky comment's size and where its one critical enable is.
 */
import { planCommentBody } from '../src/github/bodies.js';
import * as report from '../src/report/index.js';
import { fakeFleet, planAgainst } from '../test/support/fake-account-client.js';
import { fleetScenario } from '../test/support/fleet-scenario.js';

const RUN = 'https://github.com/acme/telephony/actions/runs/4242';
// The action's budget (model/limits.ts COMMENT_MARKDOWN_CHARS), written out: the earlier tree this file
// is also built against has no such constant.
const COMMENT_MARKDOWN_CHARS = 55_000;

const { desired, accounts } = fleetScenario();
const plan = await planAgainst(desired, fakeFleet(accounts));
const markdown = report.planSection(plan, { maxChars: COMMENT_MARKDOWN_CHARS });
const body = planCommentBody(plan, markdown, RUN);
const visible = body.replace(/<!--[\s\S]*?-->/g, '');
const lines = visible.split('\n');
const criticalLine = lines.findIndex((l) => l.includes('CU Cuba'));
process.stdout.write(
  JSON.stringify({
    chars: body.length,
    visibleChars: visible.length,
    // What a reviewer reads without opening a fold.
    unfoldedChars: visible.replace(/<details>[\s\S]*?<\/details>/g, '').length,
    lines: lines.length,
    criticalLine: criticalLine + 1,
    criticalChar: visible.indexOf('CU Cuba'),
    tables: lines.filter((l) => /^\| -/.test(l)).length,
    changes: plan.summary.changes,
    accountsWithChanges: plan.summary.accountsWithChanges,
  }) + '\n',
);
