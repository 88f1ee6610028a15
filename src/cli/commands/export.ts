import { existsSync } from 'node:fs';
import path from 'node:path';
import { readLiveState } from '../../live/read.js';
import { exportPolicy } from '../../policy/export.js';
import { updatePolicy } from '../../policy/export-update.js';
import { readPolicyFile } from '../../policy/read-file.js';
import type { DesiredState } from '../../model/desired.js';
import { termText } from '../../report/index.js';
import type { TwilioGateway } from '../../model/twilio-port.js';
import type { CliIO, Command } from '../io.js';
import { emit, loadDesiredForCommand, openTwilio } from '../session.js';
import { POLICY_HINT, type FlagName } from '../flags.js';
import { CONNECTION_FLAGS, connectionHelp, readCliSettings, type CliSettings } from '../args.js';

const FLAGS: readonly FlagName[] = [
  'account',
  'policy',
  'demo',
  'out',
  'force',
  'concurrency',
  ...CONNECTION_FLAGS,
];

const HELP = `Usage: geo-permissions export [--account SID]... [--policy FILE] [--out FILE [--force]]

Writes a policy from live state; planning it against the same accounts shows no changes. The file
starts with the schema modeline, so editors complete and check it.

Onto an existing policy (the --policy file, default geo-permissions.yml, when it exists and no
--account is given): the policy is edited, not rewritten. Its account names, groups, guards,
comments and order stay, and in each list every entry (group, continent, code, time-boxed exception)
that live state agrees with is kept; a list live state disagrees with is rebuilt from what is kept
plus the codes open live, and each such change is listed (on stderr when the policy goes to stdout).
An exception that expired while its country is still open is kept, not made permanent.

Otherwise a compact new policy: defaults shared by accounts, continents and groups where they
shorten it, inherit: true where a subaccount inherits. Accounts: every --account SID given
(subaccounts are reached through the main credentials); otherwise the account of the credentials
with all its active subaccounts (parent: relations; names from their friendly names).

Options:
  --account SID          an account to export (repeatable)
  --policy FILE          the policy to update (default: geo-permissions.yml)
  --out FILE             write the policy to FILE instead of stdout; an existing FILE is refused
  --force                replace an existing --out FILE (with --out FILE --policy FILE: update it in place)
${connectionHelp(FLAGS)}
Exit status: 0 written, 1 error (an account could not be read, or --out FILE exists without --force).
`;

export const exportCommand: Command = async (args, io) => {
  const settings = readCliSettings('export', args, io, FLAGS);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (settings.out && !settings.force && existsSync(path.resolve(io.cwd, settings.out))) {
    io.stderr.write(
      `error: ${termText(settings.out)} exists; export never overwrites a file without --force. To update a policy in place, keeping its groups, guards, exceptions and comments: geo-permissions export --policy ${termText(settings.out)} --out ${termText(settings.out)} --force\n`,
    );
    return 1;
  }
  const now = new Date();
  const source = await exportSource(settings, io, now);
  if (!source) return 1;
  const session = await openTwilio(settings);
  try {
    const main = settings.demo ? null : (settings.credentials?.accountSid ?? null);
    const targets = source.wholeFamily && main ? await family(session.gateway, main) : source.targets;
    const live = await readLiveState(
      session.gateway,
      { accounts: targets },
      { concurrency: settings.concurrency },
    );
    if (live.errors.length > 0) {
      for (const e of live.errors)
        io.stderr.write(`error: ${termText(e.account)} (${e.sid}): ${termText(e.message)}\n`);
      return 1;
    }
    const n = Object.keys(live.accounts).length;
    const exported = `Exported ${n} account${n === 1 ? '' : 's'}`;
    if (!source.update) {
      await emit(settings, io, exportPolicy(live, source.names), `${exported}.`, settings.force);
      return 0;
    }
    const { text, changes } = updatePolicy(
      source.update.text,
      source.update.shown,
      source.update.desired,
      live,
      now,
    );
    const said =
      changes.length === 0
        ? `${exported} onto ${termText(source.update.shown)}: it matches live state, nothing changed.`
        : [
            `${exported} onto ${termText(source.update.shown)}; changed to match live state:`,
            ...changes.map((c) => `  ${termText(c)}`),
          ].join('\n');
    if (settings.out) await emit(settings, io, text, said, settings.force);
    else {
      io.stderr.write(`${said}\n`);
      io.stdout.write(text);
    }
    return 0;
  } finally {
    await session.close();
  }
};

interface ExportSource {
  targets: Target[];
  wholeFamily: boolean;
  names: Record<string, string>;
  /** Set when the export edits an existing policy file. */
  update: { text: string; shown: string; desired: DesiredState } | null;
}

/** Which accounts to read, and the policy to edit when there is one; null after an error was printed. */
async function exportSource(settings: CliSettings, io: CliIO, now: Date): Promise<ExportSource | null> {
  const main = settings.demo ? null : (settings.credentials?.accountSid ?? null);
  const none: ExportSource = { targets: [], wholeFamily: false, names: {}, update: null };
  if (settings.accountSids.length > 0) {
    const targets = settings.accountSids.map((sid) => ({
      name: sid,
      sid,
      parentSid: sid === main || !main ? null : main,
    }));
    return { ...none, targets };
  }
  const file = settings.policy === null ? null : path.resolve(io.cwd, settings.policy);
  if (file !== null && !existsSync(file)) return { ...none, wholeFamily: main !== null };
  const desired = await loadDesiredForCommand(settings, io, now);
  if (!desired) return null;
  const targets = desired.accounts.map((a) => ({ name: a.name, sid: a.sid, parentSid: a.parentSid }));
  const names = Object.fromEntries(desired.accounts.map((a) => [a.sid, a.name]));
  // The bundled example (--demo) is a starting point, not the user's file: export it afresh.
  if (file === null) return { ...none, targets, names };
  const { text } = await readPolicyFile(file, POLICY_HINT);
  return { targets, wholeFamily: false, names, update: { text, shown: settings.policy as string, desired } };
}

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
