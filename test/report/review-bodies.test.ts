// The review screens as GitHub shows them: each body of test/support/review-scenarios.ts rendered by a
// GitHub-flavoured Markdown renderer (marked), then read in the order a reviewer reads it. And the
// README's captures of those bodies are the bodies the code makes today (UPDATE_CAPTURES=1 rewrites them).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_CHARS } from '../../src/model/limits.js';
import { reviewBodies, type ReviewBody } from '../support/review-scenarios.js';

const README = path.join(import.meta.dirname, '..', '..', 'README.md');
const gfm = new Marked({ gfm: true });

/** The text a reader sees, top to bottom: the rendered HTML without its tags and comments. */
function seen(body: string): string {
  const html = gfm.parse(body, { async: false });
  return html
    .replace(/\n(?=<t[dh][ >])/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ');
}

/** The rendered table rows (cells joined by " | "), in order. */
function rows(body: string): string[] {
  const html = gfm.parse(body, { async: false });
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)]
      .map((c) => c[1]!.replace(/<[^>]+>/g, '').trim())
      .join(' | '),
  );
}

const at = (text: string, needle: string | RegExp): number => {
  const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  expect(i, `"${String(needle)}" is shown`).toBeGreaterThanOrEqual(0);
  return i;
};

let bodies: Record<ReviewBody['name'], string>;
beforeAll(async () => {
  bodies = Object.fromEntries((await reviewBodies()).map((b) => [b.name, b.body])) as typeof bodies;
});

describe('the review screens, rendered as GitHub renders them', () => {
  it('every body fits a GitHub comment or issue', () => {
    for (const body of Object.values(bodies)) expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
  });

  it('a plan opens with its verdict and the commit planned, then the guards, then what opens before what closes', () => {
    const text = seen(bodies['small-plan']);
    const verdict = at(text, /Plan: opens \d+ cells?/);
    expect(at(text, 'Planned commit def5678')).toBeLessThan(at(text, 'Guards: pass'));
    expect(verdict).toBeLessThan(at(text, 'Guards: pass'));
    expect(at(text, 'Guards: pass')).toBeLessThan(at(text, 'Opens'));
    expect(at(text, 'Opens')).toBeLessThan(at(text, 'Closes'));
  });

  it('the 40-account plan shows the one critical enable first, and the same change in ten accounts as one row', () => {
    const body = bodies['fleet-plan'];
    const text = seen(body);
    const critical = at(text, /critical[^\n]*toll-fraud[^\n]*CU Cuba/);
    // On the first screen: before the first medium row and within the first 2,000 characters shown.
    expect(critical).toBeLessThan(at(text, '🟡 medium'));
    expect(critical).toBeLessThan(2_000);
    const same = rows(body).filter(
      (r) => /messaging/.test(r) && /DE Germany/.test(r) && /NL Netherlands/.test(r),
    );
    expect(same).toHaveLength(1);
    expect(same[0]).toMatch(/customer-01.*customer-10|10 subaccounts/);
  });

  it('a plan the guards refuse says so at the top and names the reviewed way past it', () => {
    const text = seen(bodies['refused-plan']);
    expect(at(text, 'Guards: the merge would be REFUSED')).toBeLessThan(at(text, 'Opens'));
    expect(text).toContain('Raise guards.max_changes');
    expect(text).toContain('guards.allow_high_risk');
    expect(text).not.toContain('--force');
  });

  it('the drift issue shows what is open beyond the policy first: the Console toll-fraud enable and the inheritance flip', () => {
    const body = bodies.drift;
    const text = seen(body);
    const beyond = at(text, /Open beyond the policy/i);
    const narrower = at(text, /Narrower than the policy/i);
    expect(beyond).toBeLessThan(narrower);
    const cuba = at(text, /critical[^\n]*CU Cuba/);
    expect(cuba).toBeLessThan(narrower);
    expect(at(text, /SO Somalia/)).toBeLessThan(narrower);
    expect(text.slice(beyond, narrower)).toMatch(/inheritance/i);
    // The pending Console-only messaging steps are narrower than the policy: low, after the exposure.
    expect(at(text, /NG Nigeria/)).toBeGreaterThan(narrower);
  });

  it('the drift issue after an enforced expiry: what it closed (a close, after what is open), whom it reached, what stays open and why', () => {
    const body = bodies['drift-expiry'];
    const text = seen(body);
    const verdict = at(text, 'Expired exceptions: closed 2 cells, 1 cell not closed.');
    const beyond = at(text, /Open beyond the policy/);
    const closed = at(text, /Closed by this run: expired exceptions/);
    const stillOpen = at(text, /Expired exceptions still open/);
    expect(verdict).toBeLessThan(beyond);
    expect(beyond).toBeLessThan(closed);
    expect(closed).toBeLessThan(stillOpen);
    expect(stillOpen).toBeLessThan(at(text, /Time-boxed exceptions/));
    const row = (needle: RegExp) => rows(body).find((r) => needle.test(r));
    // The exception, its ticket and reason, and the subaccount that follows production's voice lists.
    expect(row(/^⚪ low \| voice low-risk \| BR Brazil/)).toBe(
      '⚪ low | voice low-risk | BR Brazil | production | support-eu (inherits its voice lists) | expired 2026-11-30 (1 day ago), geo-permissions.yml:8 | OPS-42 | São Paulo pilot',
    );
    expect(row(/GB United Kingdom \| ops \| expired/)).toMatch(
      /guards\.never_disable \(line 3\) protects GB: reported, not disabled$/,
    );
  });

  it('the clean-up pull request shows what is still open live first, critical first, then what it removes', () => {
    const body = bodies['cleanup-pr'];
    const text = seen(body);
    expect(at(text, /Still open live: 2 cells/)).toBeLessThan(at(text, /removes 3 expired exceptions/));
    const [, ...shown] = rows(body);
    expect(shown[0]).toMatch(
      /^🔴 critical: still open \| production \| voice high-risk toll-fraud \| GB United Kingdom/,
    );
    expect(shown[1]).toMatch(/^🟡 medium: still open \| production \| voice low-risk \| CU Cuba/);
    expect(shown[2]).toMatch(/^disabled by this run \| production \| messaging \| MX Mexico/);
    expect(shown.at(-1)).toMatch(/^not open beyond the policy \| support-eu \| voice low-risk \| CU Cuba/);
    expect(text).toMatch(/high_risk_tollfraud[^\n]{0,40}is now\s*\[\]\s*: that list allows nothing/);
  });

  it('the apply result leads with its verdict and what it opened', () => {
    const text = seen(bodies.apply);
    const verdict = at(text, /Apply succeeded/);
    expect(verdict).toBeLessThan(at(text, /Opened|opens/i));
  });
});

describe('the README captures', () => {
  const fence = (body: string) => {
    const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
    return '`'.repeat(longest + 1);
  };
  const capture = (name: string, body: string) =>
    `<!-- capture:${name} -->\n${fence(body)}markdown\n${body}\n${fence(body)}\n<!-- /capture:${name} -->`;

  it('are the bodies the code makes today', async () => {
    let readme = await readFile(README, 'utf8');
    for (const [name, body] of Object.entries(bodies)) {
      const block = new RegExp(`<!-- capture:${name} -->[\\s\\S]*?<!-- /capture:${name} -->`);
      expect(readme, `README has the ${name} capture`).toMatch(block);
      if (process.env.UPDATE_CAPTURES === '1') readme = readme.replace(block, () => capture(name, body));
      else expect(readme.match(block)![0]).toBe(capture(name, body));
    }
    if (process.env.UPDATE_CAPTURES === '1') await writeFile(README, readme);
  });
});
