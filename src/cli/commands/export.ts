import { existsSync } from 'node:fs';
import path from 'node:path';
import { readLiveState } from '../../engine/read.js';
import { exportPolicy } from '../../export/export.js';
import type { Command } from '../io.js';
import { emit, loadDesired, openTwilio } from '../session.js';
import { CONNECTION_HELP, readSettings } from '../settings.js';

const HELP = `Usage: geo-permissions export [--account SID]... [--policy FILE] [--out FILE]

Writes a compact policy from live state: defaults shared by accounts, continents and groups where
they shorten it, inherit: true where a subaccount inherits. Planning it against the same accounts
shows no changes.

Which accounts: every --account SID given (subaccounts are reached through the main credentials);
otherwise the accounts of the policy file, when it exists (their names are kept); otherwise the
account of the credentials.

Options:
  --account SID          an account to export (repeatable)
  --policy FILE          take the accounts and names from this policy (default: geo-permissions.yml)
  --out FILE             write the policy to FILE instead of stdout
${CONNECTION_HELP}
Exit status: 0 written, 1 error (an account could not be read).
`;

export const exportCommand: Command = async (args, io) => {
  const settings = readSettings('export', args, io, [
    'account',
    'policy',
    'demo',
    'out',
    'concurrency',
    'twilio-url',
  ]);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  let targets: Array<{ name: string; sid: string; parentSid: string | null }> = [];
  const names: Record<string, string> = {};
  const main = settings.demo ? null : (settings.credentials?.accountSid ?? null);
  if (settings.accountSids.length > 0) {
    targets = settings.accountSids.map((sid) => ({
      name: sid,
      sid,
      parentSid: sid === main || !main ? null : main,
    }));
  } else if (settings.policy === null || existsSync(path.resolve(io.cwd, settings.policy))) {
    const desired = await loadDesired(settings, io, new Date());
    if (!desired) return 1;
    targets = desired.accounts.map((a) => ({ name: a.name, sid: a.sid, parentSid: a.parentSid }));
    for (const a of desired.accounts) names[a.sid] = a.name;
  } else if (main) {
    targets = [{ name: main, sid: main, parentSid: null }];
  }
  const session = await openTwilio(settings);
  try {
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
