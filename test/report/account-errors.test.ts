// A wrong parent token makes every account fail alike: one line with the count and the accounts.
import { describe, expect, it } from 'vitest';
import {
  accountErrorsMarkdown,
  accountErrorsText,
  groupAccountErrors,
  type AccountError,
} from '../../src/report/account-errors.js';

const sid = (n: number) => `AC${String(n).padStart(32, '0')}`;
/** What the transport says for a 401: the account's SID in the path and in the hint. */
const unauthorized = (n: number): AccountError => ({
  account: `prod-${String.fromCharCode(96 + n)}`,
  sid: sid(n),
  message: `GET /v1/DialingPermissions/Countries for ${sid(n)}: HTTP 401. Twilio error 20003: Authenticate. check the credentials used for ${sid(n)}.`,
});

describe('account errors', () => {
  it('groups accounts whose messages differ only by their own SID, largest group first', () => {
    const errors = [
      { account: 'lone', sid: sid(99), message: 'timeout after 3 attempts' },
      ...Array.from({ length: 12 }, (_, i) => unauthorized(i + 1)),
    ];
    const groups = groupAccountErrors(errors);
    expect(groups.map((g) => g.accounts.length)).toEqual([12, 1]);
    expect(groups[0]!.message).toBe(
      'GET /v1/DialingPermissions/Countries for AC…: HTTP 401. Twilio error 20003: Authenticate. check the credentials used for AC….',
    );
    expect(groups[0]!.accounts.slice(0, 2)).toEqual([
      { account: 'prod-a', sid: sid(1) },
      { account: 'prod-b', sid: sid(2) },
    ]);
  });

  it('says one line per group: the count, the message once, three names and how many more', () => {
    const errors = Array.from({ length: 12 }, (_, i) => unauthorized(i + 1));
    expect(accountErrorsText(errors)).toEqual([
      '12 accounts not read: GET /v1/DialingPermissions/Countries for AC…: HTTP 401. Twilio error 20003: Authenticate. check the credentials used for AC…. (prod-a, prod-b, prod-c and 9 more)',
    ]);
    expect(accountErrorsMarkdown(errors, { what: 'failed', names: 2 })).toEqual([
      '- 12 accounts failed: GET /v1/DialingPermissions/Countries for AC…: HTTP 401. Twilio error 20003: Authenticate. check the credentials used for AC…. (prod-a, prod-b and 10 more)',
    ]);
  });

  it('keeps a lone account as it was: its name, its SID and its message with the SID', () => {
    const [one] = [unauthorized(1)];
    expect(accountErrorsText([one!])).toEqual([`prod-a (${sid(1)}): not read: ${one!.message}`]);
    expect(accountErrorsMarkdown([one!])).toEqual([`- prod-a \`${sid(1)}\`: not read: ${one!.message}`]);
  });

  it('does not group different errors, nor the same words naming another account', () => {
    const a = { account: 'a', sid: sid(1), message: `HTTP 401 for ${sid(1)}` };
    const b = { account: 'b', sid: sid(2), message: `HTTP 401 for ${sid(1)}` };
    const c = { account: 'c', sid: sid(3), message: 'HTTP 500' };
    expect(groupAccountErrors([a, b, c]).map((g) => g.accounts.map((x) => x.account))).toEqual([
      ['a'],
      ['b'],
      ['c'],
    ]);
    expect(groupAccountErrors([])).toEqual([]);
  });

  it('escapes names and messages in each format', () => {
    const errors = [1, 2].map((n) => ({ account: `<b>${n}</b>`, sid: sid(n), message: '@team \u001b[31m' }));
    const [md] = accountErrorsMarkdown(errors);
    expect(md).toBe(
      '- 2 accounts not read: @&#8203;team \\\\u001b\\[31m (&lt;b&gt;1&lt;/b&gt;, &lt;b&gt;2&lt;/b&gt;)',
    );
    expect(accountErrorsText(errors)[0]).not.toContain('\u001b');
  });
});

describe('the plan report says a shared failure once', () => {
  it('names the count and the accounts when a wrong parent token fails them all alike', async () => {
    const { renderPlanMarkdown, renderPlanText } = await import('../../src/report/plan.js');
    const { planAgainst, fakeFleet, fakeAccount, desiredAccount, desiredState } =
      await import('../support/fake-account-client.js');
    const accounts = [1, 2, 3, 4, 5, 6].map((n) => fakeAccount(n, { parent: n === 1 ? null : 1 }));
    const fleet = fakeFleet(accounts);
    // Every subaccount's token is refused the same way.
    fleet.faults.unreachable = accounts.slice(1).map((a) => a.identity.sid);
    const parent = { name: 'account-1', n: 1 };
    const plan = await planAgainst(
      desiredState([desiredAccount(1), ...[2, 3, 4, 5, 6].map((n) => desiredAccount(n, { parent }))]),
      fleet,
    );
    expect(plan.summary.errors).toBe(5);
    const md = renderPlanMarkdown(plan);
    expect(md.match(/check the credentials/g)).toHaveLength(1);
    expect(md).toMatch(/- 5 accounts not read: .*\(account-2, account-3, account-4 and 2 more\)/);
    expect(renderPlanText(plan).match(/check the credentials/g)).toHaveLength(1);
  });
});
