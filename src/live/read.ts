import { mapWithConcurrency } from './concurrency.js';
import type { DesiredAccount } from '../model/desired.js';
import type { LiveAccount, LiveRead } from '../model/live.js';
import type { AccountClient, TwilioGateway } from '../model/twilio-port.js';
import { createCountryTables, type CountryTables } from './country-tables.js';
import { inactiveStatusOf, messageOf } from '../model/errors.js';

export type { LiveRead } from '../model/live.js';

export interface ReadOptions {
  /** Accounts read at once (each account is up to 4 requests). */
  concurrency: number;
  onProgress?(done: number, total: number): void;
}

/** Which of an account's settings a read asks Twilio for (its identity is proven first either way). */
export interface ReadParts {
  voice: boolean;
  /** The inheritance setting: one request for a subaccount, none for a top-level account. */
  inheritance: boolean;
  messaging: boolean;
}

const EVERY_PART: ReadParts = { voice: true, inheritance: true, messaging: true };

/**
 * Reads one account through its own client, after proving the client acts as that account. Pass
 * the same `tables` for every account of a fleet so they share their country records.
 */
export function readAccount(
  client: AccountClient,
  account: Pick<DesiredAccount, 'sid'>,
  tables: CountryTables = createCountryTables(),
): Promise<LiveAccount> {
  return readOver(client, account, tables, null, EVERY_PART);
}

/**
 * Reads the `parts` of one account; what it does not read is as `base` has it (null: every part is
 * read). The identity is proven first, as for a full read.
 */
export async function readOver(
  client: AccountClient,
  account: Pick<DesiredAccount, 'sid'>,
  tables: CountryTables,
  base: LiveAccount | null,
  parts: ReadParts,
): Promise<LiveAccount> {
  const identity = await client.fetchIdentity();
  if (identity.sid !== account.sid)
    throw new Error(
      `the credentials act as ${identity.sid}, not ${account.sid}; refusing to read or write through them`,
    );
  const fresh = base === null ? EVERY_PART : parts;
  // Each list becomes its shared table as soon as it arrives, so the raw one dies young.
  const [voice, voiceInheritance, messaging] = await Promise.all([
    fresh.voice ? client.listVoiceCountries().then((list) => tables.voice(list)) : base?.voice,
    fresh.inheritance ? client.fetchVoiceInheritance() : base?.voiceInheritance,
    fresh.messaging ? client.fetchMessaging().then((list) => tables.messaging(list)) : base?.messaging,
  ]);
  // Every part is read, or taken from `base`, which is then not null.
  return {
    identity,
    voiceInheritance: voiceInheritance ?? null,
    voice: voice ?? {},
    messaging: messaging ?? {},
  };
}

/** Live state of every account in the policy; an account that fails is reported, never dropped. */
export async function readLiveState(
  gateway: TwilioGateway,
  desired: { readonly accounts: readonly Pick<DesiredAccount, 'name' | 'sid' | 'parentSid'>[] },
  options: ReadOptions,
): Promise<LiveRead> {
  const result: LiveRead = { accounts: {}, errors: [] };
  const tables = createCountryTables();
  let done = 0;
  const total = desired.accounts.length;
  await mapWithConcurrency(desired.accounts, options.concurrency, async (account) => {
    try {
      const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
      result.accounts[account.sid] = await readAccount(client, account, tables);
    } catch (err) {
      const status = inactiveStatusOf(err);
      result.errors.push({
        account: account.name,
        sid: account.sid,
        message: messageOf(err),
        ...(status ? { status } : {}),
      });
    }
    options.onProgress?.(++done, total);
  });
  // In the order asked, not the order Twilio answered: export names and writes accounts in this order.
  const accounts: LiveRead['accounts'] = {};
  for (const { sid } of desired.accounts) {
    const account = result.accounts[sid];
    if (account) accounts[sid] = account;
  }
  const order = new Map(desired.accounts.map((a, i) => [a.sid, i]));
  result.errors.sort((a, b) => (order.get(a.sid) ?? 0) - (order.get(b.sid) ?? 0));
  return { ...result, accounts };
}
