import { mapWithConcurrency } from '../live/concurrency.js';
import type { DesiredAccount, DesiredState } from '../model/desired.js';
import type { LiveAccount, VoiceFlags } from '../model/live.js';
import type { AccountPlan, ApplyResult, CellChange, CellOutcome, CellResult, Plan } from '../model/plan.js';
import type { AccountClient, TwilioGateway, VoiceCountryUpdate } from '../model/twilio-port.js';
import { createCountryTables, type CountryTables } from '../live/country-tables.js';
import { readAccount } from '../live/read.js';
import { compareChanges, diffAccount } from '../plan/build.js';
import { cellId } from '../plan/cells.js';

export interface ApplyOptions {
  /** Countries per BulkCountryUpdates request. */
  batchSize: number;
  /** Accounts written at once. */
  concurrency: number;
  /** Read-back: how many reads of the touched cells, and the pause between them. */
  readBack: { attempts: number; delayMs: number };
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const codeOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
};

const VOICE_FLAG: Record<string, keyof VoiceFlags> = {
  'voice.low_risk': 'low_risk',
  'voice.high_risk_special': 'high_risk_special',
  'voice.high_risk_tollfraud': 'high_risk_tollfraud',
};

/** A cell the apply takes responsibility for, with its outcome once known. */
interface Tracked {
  change: CellChange;
  /** true: a write is sent for it; false: already as wanted when re-read, only read back. */
  write: boolean;
  outcome: CellOutcome | null;
  errorCode: number | null;
  detail: string | null;
}

function liveValue(live: LiveAccount, c: CellChange): boolean | null {
  if (c.category === 'voice.inherit') return live.voiceInheritance;
  if (c.category === 'messaging') return live.messaging[c.country as string]?.enabled ?? null;
  const flags = live.voice[c.country as string];
  return flags ? flags[VOICE_FLAG[c.category] as keyof VoiceFlags] : null;
}

/** Ordered writes for one account, then a bounded read-back of every touched cell. */
async function applyAccount(
  account: DesiredAccount,
  planned: AccountPlan,
  client: AccountClient,
  options: ApplyOptions,
  counter: { writes: number },
  tables: CountryTables,
  /** false when a voice disable of the parent did not verify: joining would inherit the wider lists. */
  parentNarrowed: boolean,
): Promise<Tracked[]> {
  const sleep = options.sleep ?? defaultSleep;
  // Re-read right before writing: the plan may be minutes or days old.
  let fresh = await readAccount(client, account, tables);
  const tracked: Tracked[] = [];
  const seen = new Set<string>();
  let failed = false;
  const fail = (items: readonly Tracked[], err: unknown) => {
    failed = true;
    for (const t of items) {
      t.outcome = 'failed';
      t.errorCode = codeOf(err);
      t.detail = messageOf(err);
    }
  };

  // Leaving inheritance comes first: Twilio refuses country writes while a subaccount inherits. Cells that
  // were already effective through the parent may then be re-enabled: that restores what was reviewed.
  const restores = new Set<string>();
  const plannedLeave = planned.changes.find((c) => c.category === 'voice.inherit' && !c.to);
  /** Set once inheritance was left here: the subaccount's own stored lists are now in effect. */
  let left: Tracked | null = null;
  if (plannedLeave && fresh.voiceInheritance === true) {
    const t: Tracked = { change: plannedLeave, write: true, outcome: null, errorCode: null, detail: null };
    tracked.push(t);
    seen.add(cellId(plannedLeave));
    const before = diffAccount({ account, live: fresh, parent: { desired: null, live: null } }).changes;
    const differing = new Set(before.map(cellId));
    try {
      counter.writes++;
      await client.setVoiceInheritance(false);
      left = t;
      for (const iso of Object.keys(fresh.voice))
        for (const category of Object.keys(VOICE_FLAG)) {
          const key = cellId({
            sid: account.sid,
            category: category as CellChange['category'],
            country: iso,
          });
          if (!differing.has(key)) restores.add(key);
        }
      fresh = await readAccount(client, account, tables);
    } catch (err) {
      fail([t], err);
    }
  }

  const now = diffAccount({ account, live: fresh, parent: { desired: null, live: null } }).changes;
  const nowByKey = new Map(now.map((c) => [cellId(c), c]));
  for (const c of planned.changes) {
    if (seen.has(cellId(c))) continue;
    seen.add(cellId(c));
    if (c.kind === 'manual') {
      tracked.push({
        change: c,
        write: false,
        outcome: 'manual',
        errorCode: null,
        detail: c.manual?.reason ?? null,
      });
      continue;
    }
    const current = nowByKey.get(cellId(c));
    tracked.push({
      change: current ? { ...c, from: current.from } : c,
      write: current !== undefined,
      outcome: null,
      errorCode: null,
      detail: current ? null : 'already as the policy wants when re-read before writing',
    });
  }
  for (const c of now) {
    if (seen.has(cellId(c))) continue;
    if (c.kind === 'manual') {
      tracked.push({
        change: c,
        write: false,
        outcome: 'manual',
        errorCode: null,
        detail: 'changed since the plan; ' + (c.manual?.reason ?? ''),
      });
    } else if (c.category !== 'voice.inherit' && (!c.to || restores.has(cellId(c)))) {
      // Restrictive and what the policy wants, or what was already effective through the parent.
      tracked.push({
        change: c,
        write: true,
        outcome: null,
        errorCode: null,
        detail: c.to
          ? 'was in effect through the parent before leaving inheritance; kept on'
          : 'changed since the plan; disabled to match the policy',
      });
    } else {
      tracked.push({
        change: c,
        write: false,
        outcome: 'skipped',
        errorCode: null,
        detail:
          'changed since the plan: the reviewed plan did not show this, and apply never enables what was not reviewed; re-run plan',
      });
    }
  }
  if (failed) {
    // Inheritance could not be left: the subaccount still follows its parent, write none of its voice cells.
    for (const t of tracked)
      if (t.outcome === null && t.change.category !== 'messaging') {
        t.outcome = 'skipped';
        t.detail = 'not attempted: leaving inheritance failed, so the subaccount still follows its parent';
      }
  }

  const writes = tracked.filter((t) => t.write && t.outcome === null);
  const skipAfterFailure = (items: readonly Tracked[]) => {
    for (const t of items) {
      if (t.outcome !== null) continue;
      t.outcome = 'skipped';
      t.detail = 'not attempted: an earlier restrictive write for this account failed, so nothing is enabled';
    }
  };

  // Voice: the target flags of each touched country, all three sent together.
  const voiceWrites = writes.filter((t) => t.change.category in VOICE_FLAG);
  const byCountry = new Map<string, Tracked[]>();
  for (const t of voiceWrites)
    byCountry.set(t.change.country as string, [...(byCountry.get(t.change.country as string) ?? []), t]);
  const flagsOf = (iso: string): VoiceFlags => {
    const f = fresh.voice[iso];
    return {
      low_risk: f?.low_risk ?? false,
      high_risk_special: f?.high_risk_special ?? false,
      high_risk_tollfraud: f?.high_risk_tollfraud ?? false,
    };
  };
  const restrictUpdates: Array<{ update: VoiceCountryUpdate; cells: Tracked[] }> = [];
  const enableUpdates: Array<{ update: VoiceCountryUpdate; cells: Tracked[] }> = [];
  for (const [iso, cells] of [...byCountry].sort(([a], [b]) => a.localeCompare(b))) {
    const disables = cells.filter((t) => !t.change.to);
    const enables = cells.filter((t) => t.change.to);
    const afterDisables = flagsOf(iso);
    for (const t of disables) afterDisables[VOICE_FLAG[t.change.category] as keyof VoiceFlags] = false;
    if (disables.length > 0) restrictUpdates.push({ update: { iso, ...afterDisables }, cells: disables });
    if (enables.length > 0) {
      const target = { ...afterDisables };
      for (const t of enables) target[VOICE_FLAG[t.change.category] as keyof VoiceFlags] = true;
      enableUpdates.push({ update: { iso, ...target }, cells: enables });
    }
  }
  const sendVoice = async (updates: typeof restrictUpdates) => {
    for (let i = 0; i < updates.length; i += options.batchSize) {
      const batch = updates.slice(i, i + options.batchSize);
      try {
        counter.writes++;
        await client.bulkUpdateVoice(batch.map((b) => b.update));
      } catch (err) {
        fail(
          batch.flatMap((b) => b.cells),
          err,
        );
      }
    }
  };

  // 1. Disables.
  await sendVoice(restrictUpdates);

  // The own lists of a subaccount that just left inheritance may be wider than both its parent's (before)
  // and the policy (after): if they could not be narrowed, it follows its parent again.
  if (left && failed) {
    const why = 'the subaccount left inheritance, but its own lists could not be narrowed to the policy';
    try {
      counter.writes++;
      await client.setVoiceInheritance(true);
      left.detail = `${why}; inheritance was turned back on, so it follows its parent as before`;
    } catch (err) {
      left.detail = `${why}, and turning inheritance back on failed too: ${messageOf(err)}`;
      left.errorCode = codeOf(err);
    }
    left.outcome = 'failed';
    for (const t of tracked)
      if (t.outcome === null && t.change.category !== 'messaging') {
        t.outcome = 'skipped';
        t.detail = 'not in effect: the subaccount follows its parent again (leaving inheritance was undone)';
      }
  }

  // 2. Inheritance on (the subaccount follows its parent; its own cells are not written).
  // (Leaving inheritance happened first, above.)
  const inherit = writes.find((t) => t.change.category === 'voice.inherit');
  if (inherit?.change.to === true) {
    if (failed) skipAfterFailure([inherit]);
    else if (!parentNarrowed) {
      inherit.outcome = 'skipped';
      inherit.detail =
        "not attempted: the parent's voice changes did not all apply, and joining now would give this subaccount the parent's unnarrowed lists";
    } else {
      try {
        counter.writes++;
        await client.setVoiceInheritance(true);
      } catch (err) {
        fail([inherit], err);
      }
    }
  }

  // 3. Messaging: the disables, then the enables only when nothing restrictive failed. A PATCH answers
  // per country inside its 200, so a refused disable sent beside enables would leave both applied.
  const messaging = writes.filter((t) => t.change.category === 'messaging');
  const patchMessaging = async (items: readonly Tracked[]) => {
    if (items.length === 0) return;
    try {
      counter.writes++;
      const results = await client.updateMessaging(
        items.map((t) => ({ iso: t.change.country as string, enabled: t.change.to })),
      );
      const byIso = new Map(results.map((r) => [r.iso, r]));
      for (const t of items) {
        const r = byIso.get(t.change.country as string);
        if (!r) {
          failed = true;
          t.outcome = 'failed';
          t.detail = 'Twilio answered no result for this country';
        } else if (r.errorCode !== 0) {
          failed = true;
          t.outcome = 'failed';
          t.errorCode = r.errorCode;
          t.detail = r.errorMessages.join('; ') || `Twilio error ${r.errorCode}`;
        }
      }
    } catch (err) {
      fail(items, err);
    }
  };
  await patchMessaging(messaging.filter((t) => !t.change.to));
  const messagingEnables = messaging.filter((t) => t.change.to);
  if (failed) skipAfterFailure(messagingEnables);
  else await patchMessaging(messagingEnables);

  // 4. Voice enables.
  if (failed) skipAfterFailure(enableUpdates.flatMap((u) => u.cells));
  else await sendVoice(enableUpdates);

  // Read-back: every touched cell (written, or found already right) until it shows the wanted value.
  let pending = tracked.filter((t) => t.outcome === null);
  for (let attempt = 1; pending.length > 0 && attempt <= options.readBack.attempts; attempt++) {
    if (attempt > 1) await sleep(options.readBack.delayMs);
    let live: LiveAccount;
    try {
      live = await readAccount(client, account, tables);
    } catch (err) {
      if (attempt === options.readBack.attempts) {
        for (const t of pending) {
          t.outcome = 'failed';
          t.detail = `could not read back: ${messageOf(err)}`;
        }
      }
      continue;
    }
    for (const t of pending) {
      const value = liveValue(live, t.change);
      if (value === t.change.to) {
        t.outcome = 'verified';
      } else if (attempt === options.readBack.attempts) {
        t.outcome = 'failed';
        t.detail = `read back ${String(value)} after ${attempt} reads (wanted ${String(t.change.to)})`;
      }
    }
    pending = pending.filter((t) => t.outcome === null);
  }

  // A write whose answer was an error may still have been applied (a dropped connection, an unreadable
  // body after Twilio handled it): one read says what is true, so the report never calls a done cell failed.
  const unsure = tracked.filter((t) => t.write && t.outcome === 'failed' && t.errorCode === null);
  if (unsure.length > 0) {
    try {
      const live = await readAccount(client, account, tables);
      for (const t of unsure)
        if (liveValue(live, t.change) === t.change.to) {
          t.outcome = 'verified';
          t.detail = `read back as wanted although the write answered: ${t.detail ?? 'an error'}`;
        }
    } catch {
      // The cells stay failed with the write's own error; the next plan shows their true state.
    }
  }
  return tracked;
}

/**
 * Applies a reviewed plan: per account, re-read, disables first, inheritance in the safe order, the
 * messaging disables then its enables, voice enables, then read-back. A failed restrictive write stops
 * that account's enables, so a partial failure never leaves an account more open than both the old and
 * the new policy.
 */
export async function applyPlan(
  desired: DesiredState,
  plan: Plan,
  gateway: TwilioGateway,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const bySid = new Map(desired.accounts.map((a) => [a.sid, a]));
  const counter = { writes: 0 };
  // Every read of the apply shares its country records and tables (most accounts repeat them).
  const tables = createCountryTables();
  const accountErrors: ApplyResult['accountErrors'] = [];
  const cells: CellResult[] = [];
  const work = plan.accounts.filter((a) => a.error === null && a.changes.length > 0);
  for (const a of plan.accounts)
    if (a.error !== null)
      accountErrors.push({ account: a.account, sid: a.sid, message: `not planned: ${a.error}` });

  const applyOne = async (planned: AccountPlan, parentNarrowed: boolean): Promise<Tracked[]> => {
    const account = bySid.get(planned.sid);
    const asSkipped = (detail: string): Tracked[] =>
      planned.changes.map((change) => ({
        change,
        write: false,
        outcome: change.kind === 'manual' ? 'manual' : 'skipped',
        errorCode: null,
        detail: change.kind === 'manual' ? (change.manual?.reason ?? null) : detail,
      }));
    if (!account) return asSkipped('the account is no longer in the policy');
    if (planned.changes.every((c) => c.kind === 'manual')) return asSkipped('');
    try {
      const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
      return await applyAccount(account, planned, client, options, counter, tables, parentNarrowed);
    } catch (err) {
      accountErrors.push({ account: planned.account, sid: planned.sid, message: messageOf(err) });
      return asSkipped(`not attempted: ${messageOf(err)}`);
    }
  };

  // Parents first: a subaccount that joins inheritance takes on its parent's lists as they are then, so
  // it joins only once every voice disable of its parent verified.
  const workSids = new Set(work.map((a) => a.sid));
  const parentOf = (a: AccountPlan) => bySid.get(a.sid)?.parentSid ?? null;
  const isChild = (a: AccountPlan) => workSids.has(parentOf(a) ?? '');
  const first = await mapWithConcurrency(
    work.filter((a) => !isChild(a)),
    options.concurrency,
    (planned) => applyOne(planned, true),
  );
  const unnarrowed = new Set(
    first
      .flat()
      .filter((t) => t.change.category.startsWith('voice.') && !t.change.to && t.outcome !== 'verified')
      .map((t) => t.change.sid),
  );
  const second = await mapWithConcurrency(work.filter(isChild), options.concurrency, (planned) =>
    applyOne(planned, !unnarrowed.has(parentOf(planned) ?? '')),
  );
  const perAccount = [...first, ...second];

  for (const t of perAccount.flat()) {
    cells.push({ ...t.change, outcome: t.outcome ?? 'failed', errorCode: t.errorCode, detail: t.detail });
  }
  cells.sort(compareChanges);
  const summary: Record<CellOutcome, number> = { verified: 0, failed: 0, manual: 0, skipped: 0 };
  for (const c of cells) summary[c.outcome]++;
  return {
    schemaVersion: 1,
    policyFile: plan.policyFile,
    fingerprint: plan.fingerprint,
    ok: summary.failed === 0 && summary.skipped === 0 && accountErrors.length === 0,
    cells,
    summary,
    accountErrors,
    writeRequests: counter.writes,
  };
}
