import { describe, expect, it } from 'vitest';
import type { CellChange } from '../../src/model/plan.js';
import {
  accountsLabel,
  continentsLabel,
  countriesLabel,
  exposureRows,
  rowNote,
  type ExposureRow,
} from '../../src/report/exposure-groups.js';
import { mdText } from '../../src/report/escape.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
} from '../support/fake-account-client.js';

const all = (plan: { accounts: { changes: CellChange[] }[] }) => plan.accounts.flatMap((a) => a.changes);
const show = (r: ExposureRow) =>
  `${r.direction} ${r.risk} ${r.category} ${countriesLabel(r, (s) => s, true)} x${r.accounts.length}${r.via ? ` via ${r.via}` : ''}`;

describe('exposure rows', () => {
  it('makes the same change in 3 accounts one row naming them, and keeps the changes behind it', async () => {
    const fleet = fakeFleet([1, 2, 3, 4].map((n) => fakeAccount(n)));
    const desired = desiredState([
      ...[1, 2, 3].map((n) => desiredAccount(n, { messaging: ['FR', 'DE'] })),
      desiredAccount(4, { messaging: ['FR'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const rows = exposureRows(all(plan));
    expect(rows.map(show)).toEqual(['opens medium messaging DE, FR x3', 'opens medium messaging FR x1']);
    const [three] = rows;
    expect(accountsLabel(three!.accounts, plan.accounts, mdText)).toBe('account-1, account-2, account-3');
    expect(three!.changes).toHaveLength(6);
    expect(three!.cells).toBe(6);
    expect(new Set(rows.flatMap((r) => r.changes))).toEqual(new Set(all(plan)));
    expect(countriesLabel(three!, mdText)).toBe('DE Germany, FR France');
    expect(continentsLabel(three!, mdText)).toBe('EUROPE 2');
  });

  it('says "all N subaccounts of P" and "all N accounts" when that is the set and shorter', async () => {
    const fleet = fakeFleet([
      fakeAccount(1),
      ...Array.from({ length: 39 }, (_, i) => fakeAccount(i + 2, { parent: 1 })),
    ]);
    const parent = { name: 'account-1', n: 1 };
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      ...Array.from({ length: 39 }, (_, i) =>
        desiredAccount(i + 2, { parent, low: ['US'], messaging: ['FR'] }),
      ),
    ]);
    const plan = await planAgainst(desired, fleet);
    const rows = exposureRows(all(plan));
    const [messaging] = rows.filter((r) => r.category === 'messaging');
    const [voice] = rows.filter((r) => r.category === 'voice.low_risk');
    expect(accountsLabel(messaging!.accounts, plan.accounts, mdText)).toBe('all 39 subaccounts of account-1');
    expect(accountsLabel(voice!.accounts, plan.accounts, mdText)).toBe('all 40 accounts');
    // Not the whole set: named.
    expect(accountsLabel(messaging!.accounts.slice(0, 2), plan.accounts, mdText)).toBe(
      'account-2, account-3',
    );
    // A hostile parent name is escaped in the label.
    const fleetNamed = plan.accounts.map((a) => ({ ...a, parent: a.parent ? '<b>@x' : null }));
    expect(accountsLabel(messaging!.accounts, fleetNamed, mdText)).toBe(
      'all 39 subaccounts of &lt;b&gt;@&#8203;x',
    );
  });

  it('expands a join into its effective cells, each row marked as through voice inheritance', async () => {
    const countries = ['US', 'GB', 'CU'];
    const fleet = fakeFleet([
      fakeAccount(1, { countries, voice: { US: { low_risk: true }, CU: { high_risk_tollfraud: true } } }),
      fakeAccount(2, { parent: 1, countries, voice: { GB: { low_risk: true } } }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'], tollfraud: ['CU'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const [join] = plan.accounts[1]!.changes;
    const rows = exposureRows(all(plan));
    expect(rows.map(show)).toEqual([
      'opens critical voice.high_risk_tollfraud CU x1 via join',
      'opens medium voice.low_risk US x1 via join',
      'closes low voice.low_risk GB x1 via join',
    ]);
    for (const r of rows) expect(r.changes).toEqual([join]);
    expect(rowNote(rows[0]!, mdText)).toContain('through voice inheritance');
  });

  it("counts a leave's cells once: its per-country cells stand for it", async () => {
    const countries = ['US', 'GB', 'FR'];
    const fleet = fakeFleet([
      fakeAccount(1, { countries, voice: { US: { low_risk: true } } }),
      fakeAccount(2, { parent: 1, countries, inheritance: true }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['GB'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const changes = plan.accounts[1]!.changes;
    const leave = changes.find((c) => c.category === 'voice.inherit')!;
    expect(leave.effective).toHaveLength(2);
    const rows = exposureRows(all(plan));
    expect(rows.map(show)).toEqual([
      'opens medium voice.low_risk GB x1 via leave',
      'closes low voice.low_risk US x1 via leave',
    ]);
    expect(rows.reduce((n, r) => n + r.cells, 0)).toBe(plan.summary.opens + plan.summary.closes);
    for (const r of rows) expect(r.changes).toContain(leave);
  });

  it('shows a flip whose parent could not be read as a row of its own', () => {
    const flip = {
      account: 'child',
      sid: 'AC' + '2'.repeat(32),
      category: 'voice.inherit',
      country: null,
      countryName: null,
      continent: null,
      from: false,
      to: true,
      direction: 'opens',
      risk: 'high',
      note: 'unknown_parent',
      kind: 'write',
      manual: null,
      source: null,
      effective: null,
    } as CellChange;
    const [row, ...rest] = exposureRows([flip]);
    expect(rest).toEqual([]);
    expect(show(row!)).toBe('opens high voice.inherit - x1');
    expect(row!.cells).toBe(1);
    expect(rowNote(row!, mdText)).toContain('could not be read');
  });

  it('sorts opens before closes, critical first, then category and first country', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true } }, messaging: { GB: true, DE: true } }),
      fakeAccount(2),
    ]);
    const desired = desiredState(
      [
        desiredAccount(1, { low: ['FR'], messaging: ['DE'] }),
        desiredAccount(2, { tollfraud: ['NG'], special: ['PK'] }),
      ],
      { neverDisable: ['US'] },
    );
    const rows = exposureRows(all(await planAgainst(desired, fleet)));
    expect(rows.map(show)).toEqual([
      'opens critical voice.high_risk_tollfraud NG x1',
      'opens high voice.high_risk_special PK x1',
      'opens medium voice.low_risk FR x1',
      'closes high voice.low_risk US x1',
      'closes low messaging GB x1',
    ]);
    expect(rowNote(rows[3]!, mdText)).toBe('closes US, protected by guards.never_disable');
  });
});
