import { mapWithConcurrency } from '../core/concurrency.js';
import type { DesiredAccount } from '../core/desired.js';
import type { LiveAccount, LiveMessagingCountry, LiveRead, LiveVoiceCountry } from '../core/live.js';
import type { AccountClient, TwilioGateway } from '../core/ports.js';

export type { LiveRead } from '../core/live.js';

export interface ReadOptions {
  /** Accounts read at once (each account is up to 4 requests). */
  concurrency: number;
  onProgress?(done: number, total: number): void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// A fleet repeats the same ~250 country names, calling codes and hints in every account: keeping one
// copy of each keeps 1,000 accounts' live state in tens of MB instead of hundreds (DESIGN quality bar).
const INTERN_LIMIT = 10_000;
const strings = new Map<string, string>();
const codeLists = new Map<string, string[]>();
function intern(text: string): string;
function intern(text: string | null): string | null;
function intern(text: string | null): string | null {
  if (text === null) return null;
  const known = strings.get(text);
  if (known !== undefined) return known;
  if (strings.size < INTERN_LIMIT) strings.set(text, text);
  return text;
}
function internCodes(codes: readonly string[]): string[] {
  const key = codes.join(',');
  const known = codeLists.get(key);
  if (known) return known;
  const list = codes.map((c) => intern(c));
  if (codeLists.size < INTERN_LIMIT) codeLists.set(key, list);
  return list;
}

function compactVoice(c: LiveVoiceCountry): LiveVoiceCountry {
  return {
    iso: intern(c.iso),
    name: intern(c.name),
    continent: intern(c.continent),
    callingCodes: internCodes(c.callingCodes),
    low_risk: c.low_risk,
    high_risk_special: c.high_risk_special,
    high_risk_tollfraud: c.high_risk_tollfraud,
  };
}

function compactMessaging(c: LiveMessagingCountry): LiveMessagingCountry {
  return { iso: intern(c.iso), enabled: c.enabled, prefix: intern(c.prefix), message: intern(c.message) };
}

/** Reads one account through its own client, after proving the client acts as that account. */
export async function readAccount(
  client: AccountClient,
  account: Pick<DesiredAccount, 'sid'>,
): Promise<LiveAccount> {
  const identity = await client.fetchIdentity();
  if (identity.sid !== account.sid)
    throw new Error(
      `the credentials act as ${identity.sid}, not ${account.sid}; refusing to read or write through them`,
    );
  const [voice, voiceInheritance, messaging] = await Promise.all([
    client.listVoiceCountries(),
    client.fetchVoiceInheritance(),
    client.fetchMessaging(),
  ]);
  return {
    identity,
    voiceInheritance,
    voice: Object.fromEntries(voice.map((c) => [c.iso, compactVoice(c)])),
    messaging: Object.fromEntries(messaging.map((c) => [c.iso, compactMessaging(c)])),
  };
}

/** Live state of every account in the policy; an account that fails is reported, never dropped. */
export async function readLiveState(
  gateway: TwilioGateway,
  desired: { readonly accounts: readonly Pick<DesiredAccount, 'name' | 'sid' | 'parentSid'>[] },
  options: ReadOptions,
): Promise<LiveRead> {
  const result: LiveRead = { accounts: {}, errors: [] };
  let done = 0;
  const total = desired.accounts.length;
  await mapWithConcurrency(desired.accounts, options.concurrency, async (account) => {
    try {
      const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
      result.accounts[account.sid] = await readAccount(client, account);
    } catch (err) {
      result.errors.push({ account: account.name, sid: account.sid, message: messageOf(err) });
    }
    options.onProgress?.(++done, total);
  });
  const order = new Map(desired.accounts.map((a, i) => [a.sid, i]));
  result.errors.sort((a, b) => (order.get(a.sid) ?? 0) - (order.get(b.sid) ?? 0));
  return result;
}
