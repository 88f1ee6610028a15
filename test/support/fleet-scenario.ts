// The 40-account plan of issue 11: prod and 39 subaccounts, ten getting the same five messaging enables,
// eleven a few different cells, and the last one a toll-fraud enable to Cuba. Its own module, using only
// the fake fleet's helpers, so the benchmark can build it against an older version of the code too.
import type { DesiredAccount, DesiredState } from '../../src/model/desired.js';
import { desiredAccount, desiredState, fakeAccount, type FakeAccount } from './fake-account-client.js';

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'MX', 'BR', 'CU'];
const account = (n: number, opts: Parameters<typeof fakeAccount>[1] = {}): FakeAccount =>
  fakeAccount(n, { countries: COUNTRIES, ...opts });

/**
 * prod and 39 subaccounts: ten of them get the same five messaging enables, eleven others a few
 * different cells, and the last one a toll-fraud enable to Cuba.
 */
export function fleetScenario(): { desired: DesiredState; accounts: FakeAccount[] } {
  const parent = { name: 'prod', n: 1 };
  const same = ['DE', 'FR', 'ES', 'IT', 'NL'];
  const desiredAccounts: DesiredAccount[] = [
    desiredAccount(1, { name: 'prod', low: ['US'], messaging: ['US'] }),
  ];
  const accounts: FakeAccount[] = [
    account(1, { voice: { US: { low_risk: true } }, messaging: { US: true } }),
  ];
  for (let n = 2; n <= 40; n++) {
    const name = `customer-${String(n - 1).padStart(2, '0')}`;
    const live = account(n, { name, parent: 1, voice: { US: { low_risk: true } }, messaging: { US: true } });
    let wants: Parameters<typeof desiredAccount>[1] = { low: ['US'], messaging: ['US'] };
    if (n <= 11) wants = { low: ['US'], messaging: ['US', ...same] };
    else if (n <= 22) wants = { low: ['US', COUNTRIES[(n % 6) + 1]!, 'MX'], messaging: ['US', 'BR'] };
    if (n === 40) wants = { low: ['US'], tollfraud: ['CU'], messaging: ['US'] };
    desiredAccounts.push(desiredAccount(n, { name, parent, ...wants }));
    accounts.push(live);
  }
  return { desired: desiredState(desiredAccounts, { maxChanges: 100 }), accounts };
}
