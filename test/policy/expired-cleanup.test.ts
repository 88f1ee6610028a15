import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeExpiredExceptions } from '../../src/policy/expired-cleanup.js';
import { loadPolicy } from '../../src/policy/load.js';
import { NOW, yaml } from '../support/policy-helpers.js';

// NOW is 2026-11-25T12:00Z: an exception expiring 2026-11-25 still counts (to the end of its day, UTC);
// one expiring 2026-11-24 has expired.
const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, 'fixtures', 'expired-cleanup', name), 'utf8');

function cleanup(text: string, now = NOW) {
  const result = removeExpiredExceptions(text, 'p.yml', now);
  if (!result.ok) throw new Error(result.reason);
  return result.cleanup;
}

/** A line diff (longest common subsequence): the lines of `before` gone (their numbers) and those `after` adds. */
function lineDiff(before: string, after: string): { gone: number[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const common = a.map(() => new Array<number>(b.length + 1).fill(0));
  common.push(new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      common[i]![j] =
        a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
  const gone: number[] = [];
  const added: string[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) [i, j] = [i + 1, j + 1];
    else if (j < b.length && (i === a.length || common[i]![j + 1]! >= common[i + 1]![j]!))
      added.push(b[j++]!);
    else gone.push(++i);
  }
  return { gone, added };
}

const errorsOf = (text: string) =>
  loadPolicy(text, 'p.yml', { now: NOW, mode: 'validate' }).diagnostics.filter((d) => d.severity === 'error');

describe('removeExpiredExceptions: the policy file without its expired exceptions, every other byte kept', () => {
  it('a policy of groups, defaults, accounts and a fleet: only the expired entries and their comments go', () => {
    const text = fixture('shared.yml');
    const result = cleanup(text);
    expect(result.text).toBe(fixture('shared.expected.yml'));
    // Only the removed entries' lines change: whole lines go, and a flow list loses its entry in place.
    expect(lineDiff(text, result.text)).toEqual({
      gone: [10, 11, 22, 42, 43, 46, 56],
      added: ['  messaging: [core]', '      high_risk_special: []', '    messaging: [core]'],
    });
    expect(errorsOf(text).length).toBeGreaterThan(0);
    expect(errorsOf(result.text)).toEqual([]);
  });

  it('names each removed entry with its line, list, expiry, reason and ticket, and every list it granted', () => {
    const result = cleanup(fixture('shared.yml'));
    expect(result.removed).toEqual([
      {
        country: 'CU',
        expires: '2026-10-31',
        reason: 'Havana launch',
        ticket: 'OPS-42',
        list: 'groups.pilots',
        location: { file: 'p.yml', line: 11, column: 7 },
        // A group's entry: every account whose list uses the group.
        uses: [
          { account: 'production', list: 'voice.low_risk' },
          { account: 'support-eu', list: 'voice.low_risk' },
        ],
      },
      {
        country: 'MX',
        expires: '2026-11-24',
        reason: 'promo',
        ticket: 'MKT-9',
        list: 'defaults.messaging',
        location: { file: 'p.yml', line: 22, column: 21 },
        // support-eu and the fleet have messaging lists of their own.
        uses: [{ account: 'production', list: 'messaging' }],
      },
      {
        country: 'NG',
        expires: '2026-09-30',
        reason: 'Lagos callback trial',
        ticket: '1234',
        list: 'accounts.support-eu.voice.high_risk_special',
        location: { file: 'p.yml', line: 43, column: 11 },
        uses: [{ account: 'support-eu', list: 'voice.high_risk_special' }],
      },
      {
        country: 'FR',
        expires: '2026-11-01',
        reason: 'Paris event',
        ticket: null,
        list: 'accounts.support-eu.messaging',
        location: { file: 'p.yml', line: 46, column: 7 },
        uses: [{ account: 'support-eu', list: 'messaging' }],
      },
      {
        country: 'JM',
        expires: '2026-11-20',
        reason: null,
        ticket: null,
        list: 'fleets.desks.messaging',
        location: { file: 'p.yml', line: 56, column: 23 },
        uses: [{ account: 'fleets.desks', list: 'messaging' }],
      },
    ]);
    expect(result.emptied).toEqual([
      {
        list: 'accounts.support-eu.voice.high_risk_special',
        location: { file: 'p.yml', line: 42, column: 7 },
      },
    ]);
    expect(result.left).toEqual([]);
  });

  it('flow lists (first, middle, last, only entry, a trailing comma) and block lists emptied to []', () => {
    const text = fixture('edges.yml');
    const result = cleanup(text);
    expect(result.text).toBe(fixture('edges.expected.yml'));
    expect(result.removed.map((r) => `${r.location.line} ${r.list} ${r.country}`)).toEqual([
      '6 accounts.a.voice.low_risk CU',
      '7 accounts.a.voice.high_risk_special GB',
      '8 accounts.a.voice.high_risk_tollfraud GB',
      '8 accounts.a.voice.high_risk_tollfraud DE',
      '9 accounts.a.messaging JM',
      '9 accounts.a.messaging MX',
      '15 accounts.b.voice.low_risk DE',
      '18 accounts.b.voice.low_risk FR',
      '25 accounts.b.messaging MX',
    ]);
    expect(result.removed.at(-1)?.ticket).toBe('7');
    expect(result.emptied.map((e) => e.list)).toEqual([
      'accounts.a.voice.high_risk_special',
      'accounts.b.voice.low_risk',
    ]);
    expect(errorsOf(result.text)).toEqual([]);
  });

  it('leaves an unexpired policy byte for byte as it is', () => {
    const text = yaml(
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging: [US, {country: MX, expires: 2026-11-25}]  # last day today',
    );
    const result = cleanup(text);
    expect(result).toMatchObject({ text, removed: [], emptied: [], left: [] });
    // The day after, it is removed.
    expect(cleanup(text, new Date('2026-11-26T00:00:00Z')).text).toBe(
      yaml(
        'version: 1',
        'accounts:',
        '  a:',
        '    sid: AC00000000000000000000000000000001',
        '    messaging: [US]  # last day today',
      ),
    );
  });

  it('keeps the comments of neighbours: above the next entry, and a trailing comment at the list column', () => {
    const text = yaml(
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging:',
      '      # US first',
      '      - US',
      '      - country: MX   # promo',
      '        expires: 2026-01-01',
      '      # GB: the London office',
      '      - GB',
      '      # end of the list',
    );
    expect(cleanup(text).text).toBe(
      yaml(
        'version: 1',
        'accounts:',
        '  a:',
        '    sid: AC00000000000000000000000000000001',
        '    messaging:',
        '      # US first',
        '      - US',
        '      # GB: the London office',
        '      - GB',
        '      # end of the list',
      ),
    );
  });

  it('keeps the comments of neighbours in a flow list written over several lines', () => {
    const account = (...lines: string[]) =>
      yaml('version: 1', 'accounts:', '  a:', '    sid: AC00000000000000000000000000000001', ...lines);
    const mx = '{country: MX, expires: 2026-01-01}';
    // The comment above the next entry stays above it, on its own line.
    expect(cleanup(account(`    messaging: [US, ${mx},`, '      # GB for London', '      GB]')).text).toBe(
      account('    messaging: [US,', '      # GB for London', '      GB]'),
    );
    // The trailing comment of the entry before stays on its line.
    expect(cleanup(account('    messaging: [US, # keep US', `      ${mx},]`)).text).toBe(
      account('    messaging: [US, # keep US', '      ]'),
    );
  });

  it('keeps Windows line ends', () => {
    const text = [
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging:',
      '      - {country: MX, expires: 2026-01-01}',
      '',
    ].join('\r\n');
    expect(cleanup(text).text).toBe(
      [
        'version: 1',
        'accounts:',
        '  a:',
        '    sid: AC00000000000000000000000000000001',
        '    messaging: []',
        '',
      ].join('\r\n'),
    );
  });

  it('leaves an anchored exception (an alias may use it) in place, and says why', () => {
    const text = yaml(
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging: [US, &mx {country: MX, expires: 2026-01-01}, {country: JM, expires: 2026-01-01}]',
      '  b:',
      '    sid: AC00000000000000000000000000000002',
      '    messaging: [*mx]',
    );
    const result = cleanup(text);
    expect(result.text).toBe(text.replace(', {country: JM, expires: 2026-01-01}', ''));
    expect(result.left).toEqual([
      {
        country: 'MX',
        expires: '2026-01-01',
        list: 'accounts.a.messaging',
        location: { file: 'p.yml', line: 5, column: 25 },
        why: 'it carries the anchor &mx, which an alias may use: remove it and its aliases by hand',
      },
    ]);
  });

  it('leaves an entry it cannot cut as whole lines (a tagged mapping) in place, and says why', () => {
    const text = yaml(
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging:',
      '      - US',
      '      - !!map {country: MX, expires: 2026-01-01}',
    );
    const result = cleanup(text);
    expect(result.text).toBe(text);
    expect(result.left.map((l) => l.why)).toEqual([
      'it is written in a form this edit does not cut safely: remove it by hand',
    ]);
  });

  it('edits the anchored list once, for every list aliasing it', () => {
    const text = yaml(
      'version: 1',
      'groups:',
      '  eu: &eu [DE, {country: FR, expires: 2026-01-01}]',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging: *eu',
      '  b:',
      '    sid: AC00000000000000000000000000000002',
      '    messaging: *eu',
    );
    const result = cleanup(text);
    expect(result.text).toBe(text.replace('[DE, {country: FR, expires: 2026-01-01}]', '[DE]'));
    expect(result.removed.map((r) => [r.list, r.uses.map((u) => u.account)])).toEqual([
      ['groups.eu', ['a', 'b']],
    ]);
  });

  it('leaves an exception of a group a guard list names: removing it would change the guard', () => {
    // Guards count every entry of a group they name (and of the groups it names), an expired exception
    // too: cutting MX out would take it off never_enable, a change the pull request would not show.
    const text = yaml(
      'version: 1',
      'groups:',
      '  risky: [KP, temporary]',
      '  temporary: [{country: MX, expires: 2026-01-01}]',
      '  pilots: [{country: JM, expires: 2026-01-01}, GB]',
      'guards:',
      '  never_enable: [risky]',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging: [US, pilots]',
    );
    const result = cleanup(text);
    expect(result.text).toBe(text.replace('[{country: JM, expires: 2026-01-01}, GB]', '[GB]'));
    expect(result.left).toEqual([
      {
        country: 'MX',
        expires: '2026-01-01',
        list: 'groups.temporary',
        location: { file: 'p.yml', line: 4, column: 15 },
        why: 'guards.never_enable counts it (through its group): remove it by hand, and check the guard',
      },
    ]);
    const guards = loadPolicy(result.text, 'p.yml', { now: NOW, mode: 'plan' }).desired?.guards;
    expect(Object.keys(guards!.neverEnable)).toEqual(['KP', 'MX']);
  });

  it('leaves an exception holding an anchor anywhere inside it, and removes the others', () => {
    const text = yaml(
      'version: 1',
      'accounts:',
      '  a:',
      '    sid: AC00000000000000000000000000000001',
      '    messaging: [{country: &mx MX, expires: 2026-01-01}, {country: JM, expires: 2026-01-01}]',
      '  b:',
      '    sid: AC00000000000000000000000000000002',
      '    messaging: [*mx]',
    );
    const result = cleanup(text);
    expect(result.text).toBe(text.replace(', {country: JM, expires: 2026-01-01}', ''));
    expect(result.left.map((l) => [l.country, l.why])).toEqual([
      ['MX', 'it carries the anchor &mx, which an alias may use: remove it and its aliases by hand'],
    ]);
  });

  it('refuses a policy that does not load', () => {
    expect(removeExpiredExceptions('version: 1\naccounts: {a: 1}\n', 'p.yml', NOW)).toMatchObject({
      ok: false,
      reason: 'p.yml does not load: fix its errors first',
    });
  });
});
