import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { discoverSubaccounts } from '../../live/discover.js';
import { readLiveState } from '../../live/read.js';
import { governFleet } from '../../plan/fleet.js';
import type { FleetExport } from '../../policy/export-fleet.js';
import { exportPolicy } from '../../policy/export.js';
import { updatePolicy } from '../../policy/export-update.js';
import { readPolicyFile } from '../../policy/read-file.js';
import type { DesiredState } from '../../model/desired.js';
import { MAX_POLICY_BYTES } from '../../model/limits.js';
import { DISCOVERED_STATUSES, type AccountIdentity, type LiveRead } from '../../model/live.js';
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
  'adopt',
  'concurrency',
  ...CONNECTION_FLAGS,
];

const HELP = `Usage: geo-permissions export [--account SID]... [--policy FILE] [--adopt] [--out FILE [--force]]

Writes a policy from live state; planning it against the same accounts shows no changes. The file
starts with the schema modeline, so editors complete and check it.

Onto an existing policy (the --policy file, default geo-permissions.yml, when it exists and no
--account is given): the policy is edited, not rewritten. Its account names, groups, guards,
comments and order stay, and in each list every entry (group, continent, code, time-boxed exception)
that live state agrees with is kept; a list live state disagrees with is rebuilt from what is kept
plus the codes open live, and each such change is listed (on stderr when the policy goes to stdout).
An exception that expired while its country is still open is kept, not made permanent.
The parents' subaccounts are listed as plan lists them. Templates (fleets:) are never rewritten: a
member that differs from its template is listed (the plan sets it back to the template); an
unmanaged subaccount (unmanaged: report) is listed, and named with what it has open in a comment
at the end of the file; suspended ones are listed, never read. unmanaged: ignore leaves them out.

Otherwise a compact new policy: defaults shared by accounts (never high-risk voice), continents and
groups where they shorten it, inherit: true where a subaccount inherits, and (when the whole family
is exported, never from --account SIDs) a fleets: template for a profile 3 or more subaccounts share.
Accounts: every --account SID given (subaccounts are reached through the main credentials); otherwise
the account of the credentials with all its active subaccounts (parent: relations; names from their
friendly names; suspended ones are named in a comment at the end, not read).

Options:
  --account SID          an account to export (repeatable)
  --policy FILE          the policy to update (default: geo-permissions.yml)
  --adopt                onto a policy: give each template member that differs from its template,
                         and each unmanaged subaccount, its own accounts: entry as live (explicit
                         entries win over templates), so the plan is empty (guards.never_enable
                         countries are left out: the plan closes them); the last line counts the
                         entries and names each that opens high-risk voice
  --out FILE             write the policy to FILE instead of stdout; an existing FILE is refused
  --force                replace an existing --out FILE (with --out FILE --policy FILE: update it in place)
${connectionHelp(FLAGS)}
Exit status: 0 written, 1 error (an account could not be read, --out FILE exists without --force, the
policy written in place was saved by someone else while export ran, or the result is over the 1 MiB
a policy may be: nothing is written then).
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
  if (replacesPolicy(settings, io)) return 1;
  const now = new Date();
  const source = await exportSource(settings, io, now);
  if (!source) return 1;
  const session = await openTwilio(settings);
  try {
    return source.update
      ? await exportOnto(settings, io, session.gateway, source.update, now)
      : await exportAfresh(settings, io, session.gateway, source);
  } finally {
    await session.close();
  }
};

const resolved = (file: string): string => (existsSync(file) ? realpathSync(file) : file);

/**
 * True, said, when --account would write its new policy over the existing policy file: that replaces
 * the file's other accounts, groups, guards and comments, where --force onto the policy means an edit.
 */
function replacesPolicy(settings: CliSettings, io: CliIO): boolean {
  if (!settings.out || settings.policy === null || settings.accountSids.length === 0) return false;
  const policy = path.resolve(io.cwd, settings.policy);
  if (!existsSync(policy) || resolved(path.resolve(io.cwd, settings.out)) !== resolved(policy)) return false;
  io.stderr.write(
    `error: --out ${termText(settings.out)} is the policy file, and with --account export writes a new policy of those accounts only: it would replace the policy (its other accounts, groups, guards and comments). To update it in place, leave out --account; to write the new policy, give another --out FILE\n`,
  );
  return true;
}

const accountsWord = (n: number) => `${n} account${n === 1 ? '' : 's'}`;

/** Prints each account that could not be read; true when there was one (the export then stops). */
function readErrors(io: CliIO, errors: LiveRead['errors']): boolean {
  for (const e of errors)
    io.stderr.write(`error: ${termText(e.account)} (${e.sid}): ${termText(e.message)}\n`);
  return errors.length > 0;
}

/** A new policy: the accounts named, or the credentials' account and its subaccounts. */
async function exportAfresh(
  settings: CliSettings,
  io: CliIO,
  gateway: TwilioGateway,
  source: ExportSource,
): Promise<number> {
  const main = settings.demo ? null : (settings.credentials?.accountSid ?? null);
  const whole = source.wholeFamily && main !== null;
  const { targets, suspended } = whole
    ? await family(gateway, main)
    : { targets: source.targets, suspended: [] };
  const live = await readLiveState(gateway, { accounts: targets }, { concurrency: settings.concurrency });
  if (readErrors(io, live.errors)) return 1;
  const n = suspended.length;
  const notRead =
    n > 0 ? `; not read: ${n} suspended subaccount${n === 1 ? '' : 's'} (listed at the end of the file)` : '';
  const said = `Exported ${accountsWord(Object.keys(live.accounts).length)}${notRead}.`;
  const text = exportPolicy(live, source.names, suspended, new Set(whole ? [main] : []));
  const smaller = whole
    ? 'Export some of the accounts with --account SID, or split the family across policy files'
    : 'Export fewer accounts per file (--account SID)';
  if (tooLargeToLoad(io, text, smaller)) return 1;
  // Onto the policy path only where no policy file was (replacesPolicy refused the other case): a bootstrap.
  await emit(settings, io, text, said, true);
  return 0;
}

/**
 * The policy file edited to match live state. The parents' subaccounts are listed and sorted as plan
 * sorts them (plan/fleet.ts), so template members and unmanaged subaccounts are read and accounted for.
 */
async function exportOnto(
  settings: CliSettings,
  io: CliIO,
  gateway: TwilioGateway,
  update: NonNullable<ExportSource['update']>,
  now: Date,
): Promise<number> {
  const discovery = await discoverSubaccounts(gateway, update.desired, settings);
  const governed = governFleet(update.desired, discovery);
  const live = await readLiveState(
    gateway,
    { accounts: governed.reads },
    { concurrency: settings.concurrency },
  );
  // An unmanaged subaccount that cannot be read is listed as such; any other account stops the export.
  const unmanaged = new Set(governed.unmanaged.map((u) => u.sid));
  if (
    readErrors(
      io,
      live.errors.filter((e) => !unmanaged.has(e.sid)),
    )
  )
    return 1;
  const fleet: FleetExport = {
    members: governed.desired.accounts.filter((a) => a.fleet),
    unmanaged: governed.unmanaged,
    suspended: governed.suspended,
    conflicts: governed.conflicts,
    unlisted: discovery.parents.flatMap((p) =>
      p.error ? [{ parent: p.parent, sid: p.sid, error: p.error }] : [],
    ),
    adopt: settings.adopt,
  };
  const { text, changes, notes } = updatePolicy(update.text, update.shown, update.desired, live, now, fleet);
  const read = Object.keys(live.accounts).filter((sid) => settings.adopt || !unmanaged.has(sid)).length;
  const exported = `Exported ${accountsWord(read)} onto ${termText(update.shown)}`;
  const said =
    changes.length === 0 && notes.length === 0
      ? `${exported}: it matches live state, nothing changed.`
      : [
          changes.length > 0
            ? `${exported}; changed to match live state:`
            : `${exported}; its accounts match live state.`,
          ...changes.map((c) => `  ${termText(c)}`),
          ...(notes.length > 0 ? ['Fleet:', ...notes.map((c) => `  ${termText(c)}`)] : []),
        ].join('\n');
  const smaller = settings.adopt
    ? 'Without --adopt, template members stay under their template and unmanaged subaccounts are only counted'
    : 'Govern the accounts the policy lists through fleets: templates';
  if (tooLargeToLoad(io, text, smaller)) return 1;
  if (settings.out && (await changedMeanwhile(settings, io, update))) return 1;
  if (settings.out) await emit(settings, io, text, said, settings.force);
  else {
    io.stderr.write(`${said}\n`);
    io.stdout.write(text);
  }
  return 0;
}

/** True, said, when `text` is over the size a policy may be: plan and apply would refuse the file. */
function tooLargeToLoad(io: CliIO, text: string, smaller: string): boolean {
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_POLICY_BYTES) return false;
  io.stderr.write(
    `error: the exported policy would be ${bytes} bytes, over the 1 MiB (${MAX_POLICY_BYTES} bytes) a policy may be, so plan would refuse it; nothing was written. ${smaller}.\n`,
  );
  return true;
}

/**
 * True, said, when --out is the policy itself and the file no longer holds the text this export edited:
 * it was saved while Twilio was read (minutes for a large fleet), and writing would lose that edit.
 */
async function changedMeanwhile(
  settings: CliSettings,
  io: CliIO,
  update: NonNullable<ExportSource['update']>,
): Promise<boolean> {
  if (resolved(path.resolve(io.cwd, settings.out as string)) !== resolved(update.file)) return false;
  const { text } = await readPolicyFile(update.file, POLICY_HINT);
  if (text === update.text) return false;
  io.stderr.write(
    `error: ${termText(update.shown)} changed while export read Twilio; nothing was written, so the change is kept. Run the export again.\n`,
  );
  return true;
}

interface ExportSource {
  targets: Target[];
  wholeFamily: boolean;
  names: Record<string, string>;
  /** Set when the export edits an existing policy file. */
  update: { text: string; shown: string; file: string; desired: DesiredState } | null;
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
  return {
    targets,
    wholeFamily: false,
    names,
    update: { text, shown: settings.policy as string, file, desired },
  };
}

interface Target {
  name: string;
  sid: string;
  parentSid: string | null;
}

/**
 * The credentials' account and its active subaccounts, for bootstrapping a policy from live state, and
 * its suspended ones, which are listed but not read (Twilio refuses every request of a suspended account).
 * Names are left to exportPolicy (friendly names slugified and de-duplicated, else the SID); each
 * subaccount is read with its own derived credentials, as a policy's subaccount would be.
 */
async function family(
  gateway: TwilioGateway,
  main: string,
): Promise<{ targets: Target[]; suspended: AccountIdentity[] }> {
  const client = await gateway.forAccount({ sid: main, parentSid: null });
  const subaccounts = (await client.listSubaccounts?.({ statuses: DISCOVERED_STATUSES })) ?? [];
  const active = subaccounts.filter((s) => s.status !== 'suspended');
  return {
    targets: [
      { name: main, sid: main, parentSid: null },
      ...active.map((s) => ({ name: s.sid, sid: s.sid, parentSid: main })),
    ],
    suspended: subaccounts.filter((s) => s.status === 'suspended'),
  };
}
