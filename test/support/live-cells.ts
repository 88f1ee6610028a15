/**
 * The cells that are on, as sets of `sid|category|country`, to check the product's promise against the
 * emulator's whole state: what is live (an inheriting subaccount has its parent's voice lists in effect)
 * and what a policy allows (a subaccount whose policy inherits is allowed its parent's desired lists).
 */
import type { DesiredAccount, DesiredState } from '../../src/model/desired.js';
import { VOICE_CATEGORIES } from '../../src/model/desired.js';
import { voiceCountry } from '../../src/catalog/index.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { control } from './emulator-helpers.js';
import type { RunningEmulator } from '../../src/emulator/index.js';

const FLAG_OF = {
  low_risk: 'lowRisk',
  high_risk_special: 'highRiskSpecial',
  high_risk_tollfraud: 'highRiskTollfraud',
} as const;

/** Every cell in effect on the emulator now. */
export async function liveOn(emulator: RunningEmulator): Promise<Set<string>> {
  return effectiveOn((await control(emulator, 'GET', 'state')) as EmulatorState);
}

export function effectiveOn(state: EmulatorState): Set<string> {
  const bySid = new Map(state.accounts.map((a) => [a.sid, a]));
  const on = new Set<string>();
  for (const account of state.accounts) {
    const owner = account.ownerAccountSid ? bySid.get(account.ownerAccountSid) : undefined;
    const voiceSource = owner && account.voice.inheritance ? owner : account;
    // Only what Twilio's voice list has: a CA cell in a state file is not listed, so not in effect.
    for (const [iso, cell] of Object.entries(voiceSource.voice.countries).filter(([iso]) =>
      voiceCountry(iso),
    ))
      for (const category of VOICE_CATEGORIES)
        if (cell[FLAG_OF[category]]) on.add(`${account.sid}|voice.${category}|${iso}`);
    for (const [iso, enabled] of Object.entries(account.messaging))
      if (enabled) on.add(`${account.sid}|messaging|${iso}`);
  }
  return on;
}

/** Every cell a policy allows on the accounts it names. */
export function policyOn(desired: DesiredState): Set<string> {
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  const on = new Set<string>();
  for (const account of desired.accounts) {
    const voiceFrom: DesiredAccount | undefined = account.voice.inherit
      ? byName.get(account.parent ?? '')
      : account;
    if (voiceFrom && !voiceFrom.voice.inherit)
      for (const category of VOICE_CATEGORIES)
        for (const iso of Object.keys(voiceFrom.voice[category]))
          on.add(`${account.sid}|voice.${category}|${iso}`);
    for (const iso of Object.keys(account.messaging)) on.add(`${account.sid}|messaging|${iso}`);
  }
  return on;
}

/** The cells on in `live` that none of `allowed` has on, restricted to the accounts `scope` names. */
export function widerThanAll(live: Set<string>, allowed: Set<string>[], scope: DesiredState): string[] {
  const sids = new Set(scope.accounts.map((a) => a.sid));
  return [...live]
    .filter((cell) => sids.has(cell.split('|')[0] ?? ''))
    .filter((cell) => !allowed.some((set) => set.has(cell)))
    .sort();
}
