import { existsSync } from 'node:fs';
import path from 'node:path';
import { readLiveState } from '../../live/read.js';
import { exportPolicy } from '../../policy/export.js';
import type { TwilioGateway } from '../../model/twilio-port.js';
import type { Command } from '../io.js';
import { emit, loadDesiredForCommand, openTwilio } from '../session.js';
import { CONNECTION_FLAGS, connectionHelp, readCliSettings } from '../args.js';
import type { FlagName } from '../flags.js';

const FLAGS: readonly FlagName[] = ['account', 'policy', 'demo', 'out', 'concurrency', ...CONNECTION_FLAGS];

const HELP = `Usage: geo-permissions export [--account SID]... [--policy FILE] [--out FILE]

Writes a compact policy from live state: defaults shared by accounts, continents and groups where
they shorten it, inherit: true where a subaccount inherits. Planning it against the same accounts
shows no changes.

Which accounts: every --account SID given (subaccounts are reached through the main credentials);
otherwise the accounts of the policy file, when it exists (their names are kept); otherwise the
account of the credentials with all its active subaccounts (parent: relations; names from their
friendly names).

Options:
  --account SID          an account to export (repeatable)
  --policy FILE          take the accounts and names from this policy (default: geo-permissions.yml)
  --out FILE             write the policy to FILE instead of stdout
${connectionHelp(FLAGS)}
Exit status: 0 written, 1 error (an account could not be read).
`;

export const exportCommand: Command = async (args, io) => {
  const settings = readCliSettings('export', args, io, FLAGS);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  let targets: Target[] = [];
  let wholeFamily = false;
  const names: Record<string, string> = {};
  const main = settings.demo ? null : (settings.credentials?.accountSid ?? null);
  if (settings.accountSids.length > 0) {
    targets = settings.accountSids.map((sid) => ({
      name: sid,
      sid,
      parentSid: sid === main || !main ? null : main,
    }));
  } else if (settings.policy === null || existsSync(path.resolve(io.cwd, settings.policy))) {
    const desired = await loadDesiredForCommand(settings, io, new Date());
    if (!desired) return 1;
    targets = desired.accounts.map((a) => ({ name: a.name, sid: a.sid, parentSid: a.parentSid }));
    for (const a of desired.accounts) names[a.sid] = a.name;
  } else if (main) wholeFamily = true;
  const session = await openTwilio(settings);
  try {
    if (wholeFamily && main) targets = await family(session.gateway, main);
    const live = await readLiveState(
      session.gateway,
      { accounts: targets },
      { concurrency: settings.concurrency },
    );
    if (live.errors.length > 0) {
      for (const e of live.errors) io.stderr.write(`error: ${e.account} (${e.sid}): ${e.message}\n`);
      return 1;
    }
    const text = exportPolicy(live, names);
    const n = Object.keys(live.accounts).length;
    await emit(settings, io, text, `Exported ${n} account${n === 1 ? '' : 's'}.`);
    return 0;
  } finally {
    await session.close();
  }
};

interface Target {
  name: string;
  sid: string;
  parentSid: string | null;
}

/**
 * The credentials' account and its active subaccounts, for bootstrapping a policy from live state.
 * Names are left to exportPolicy (friendly names slugified and de-duplicated, else the SID); each
 * subaccount is read with its own derived credentials, as a policy's subaccount would be.
 */
async function family(gateway: TwilioGateway, main: string): Promise<Target[]> {
  const client = await gateway.forAccount({ sid: main, parentSid: null });
  const subaccounts = (await client.listSubaccounts?.()) ?? [];
  return [
    { name: main, sid: main, parentSid: null },
    ...subaccounts.map((s) => ({ name: s.sid, sid: s.sid, parentSid: main })),
  ];
}
