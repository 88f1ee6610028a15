// An in-memory fleet behind the AccountClient port, for pure-core unit tests (plan, apply, drift).
// Integration tests use the real emulator over HTTP instead.
import { countryInfo, voiceCountry, voiceCoveredBy } from '../../src/catalog/index.js';
import type { DesiredAccount, DesiredState, GrantSet } from '../../src/model/desired.js';
import type {
  AccountIdentity,
  LiveMessagingCountry,
  LiveVoiceCountry,
  VoiceFlags,
} from '../../src/model/live.js';
import type {
  AccountClient,
  AccountTarget,
  GeoEvent,
  MessagingUpdate,
  MessagingUpdateResult,
  TwilioGateway,
  VoiceCountryUpdate,
} from '../../src/model/twilio-port.js';
import type { Plan } from '../../src/model/plan.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';

export interface FakeAccount {
  identity: AccountIdentity;
  inheritance: boolean | null;
  voice: Record<string, VoiceFlags>;
  messaging: Record<string, boolean>;
  events: GeoEvent[];
}

export interface FakeFaults {
  /** Fails every BulkCountryUpdates that touches one of these countries. */
  voiceFailIso?: string[];
  /** Per-country messaging error codes (e.g. 30649) answered inside the 200. */
  messagingErrors?: Record<string, number>;
  /** Accounts whose client cannot be built. */
  unreachable?: string[];
  /** Accounts whose subaccount list Twilio refuses, as it does for a Standard or Restricted API key. */
  cannotListAccounts?: string[];
  /** Parents whose Accounts list answers 503: a failure that says nothing about the key type. */
  accountsListFails?: string[];
}

export interface FakeFleet {
  accounts: Record<string, FakeAccount>;
  faults: FakeFaults;
  calls: Array<{ sid: string; op: string; detail?: unknown }>;
}

export const OFF: VoiceFlags = { low_risk: false, high_risk_special: false, high_risk_tollfraud: false };

export function sid(n: number): string {
  return `AC${String(n).padStart(32, '0')}`;
}

export function fakeAccount(
  n: number,
  opts: {
    name?: string;
    parent?: number | null;
    type?: 'Trial' | 'Full';
    countries?: string[];
    voice?: Record<string, Partial<VoiceFlags>>;
    messaging?: Record<string, boolean>;
    inheritance?: boolean;
  } = {},
): FakeAccount {
  const voice: Record<string, VoiceFlags> = {};
  const messaging: Record<string, boolean> = {};
  for (const iso of opts.countries ?? ['US', 'CA', 'GB', 'DE', 'FR', 'BR', 'NG', 'PK']) {
    // As Twilio lists them: voice has no CA (Canada is dialled through US "United States/Canada").
    if (!voiceCoveredBy(iso)) voice[iso] = { ...OFF, ...(opts.voice?.[iso] ?? {}) };
    messaging[iso] = opts.messaging?.[iso] ?? false;
  }
  const parent = opts.parent ?? null;
  return {
    identity: {
      sid: sid(n),
      friendlyName: opts.name ?? `account-${n}`,
      type: opts.type ?? 'Full',
      status: 'active',
      ownerAccountSid: parent === null ? null : sid(parent),
    },
    inheritance: parent === null ? null : (opts.inheritance ?? false),
    voice,
    messaging,
    events: [],
  };
}

export function fakeFleet(accounts: FakeAccount[], faults: FakeFaults = {}): FakeFleet {
  return { accounts: Object.fromEntries(accounts.map((a) => [a.identity.sid, a])), faults, calls: [] };
}

class FakeClient implements AccountClient {
  constructor(
    private readonly fleet: FakeFleet,
    readonly sid: string,
  ) {}
  private get account(): FakeAccount {
    const a = this.fleet.accounts[this.sid];
    if (!a) throw new Error(`unknown account ${this.sid}`);
    return a;
  }
  private log(op: string, detail?: unknown) {
    this.fleet.calls.push({ sid: this.sid, op, detail });
  }
  async fetchIdentity() {
    this.log('identity');
    return { ...this.account.identity };
  }
  /** Like Twilio (and the emulator): an inheriting subaccount shows its parent's voice values. */
  private get voiceSource(): FakeAccount {
    const owner = this.account.identity.ownerAccountSid;
    return owner && this.account.inheritance ? (this.fleet.accounts[owner] ?? this.account) : this.account;
  }
  async listVoiceCountries(): Promise<LiveVoiceCountry[]> {
    this.log('voice.list');
    return Object.entries(this.voiceSource.voice).map(([iso, f]) => {
      const entry = voiceCountry(iso) ?? countryInfo(iso);
      return {
        iso,
        name: entry?.name ?? iso,
        continent: entry?.continent ?? null,
        callingCodes: entry?.callingCodes ?? [],
        ...f,
      };
    });
  }
  async fetchVoiceInheritance() {
    this.log('settings.get');
    return this.account.inheritance;
  }
  async fetchMessaging(): Promise<LiveMessagingCountry[]> {
    this.log('messaging.get');
    return Object.entries(this.account.messaging).map(([iso, enabled]) => ({
      iso,
      enabled,
      prefix: countryInfo(iso)?.callingCodes[0] ?? null,
      message: null,
    }));
  }
  async bulkUpdateVoice(updates: readonly VoiceCountryUpdate[]) {
    this.log('voice.bulk', updates);
    if (this.account.inheritance)
      throw Object.assign(new Error(`${this.sid} inherits; set DialingPermissionsInheritance=false first`), {
        code: 20400,
      });
    const bad = updates.find((u) => this.fleet.faults.voiceFailIso?.includes(u.iso));
    if (bad) throw Object.assign(new Error(`Twilio rejected the update for ${bad.iso}`), { code: 20001 });
    for (const { iso, ...flags } of updates) this.account.voice[iso] = flags;
    return { updateCount: updates.length };
  }
  async setVoiceInheritance(inherit: boolean) {
    this.log('settings.post', inherit);
    this.account.inheritance = inherit;
  }
  async updateMessaging(updates: readonly MessagingUpdate[]): Promise<MessagingUpdateResult[]> {
    this.log('messaging.patch', updates);
    return updates.map((u) => {
      const code = this.fleet.faults.messagingErrors?.[u.iso] ?? 0;
      if (code === 0) this.account.messaging[u.iso] = u.enabled;
      return {
        iso: u.iso,
        enabled: code === 0 ? u.enabled : !u.enabled,
        errorCode: code,
        errorMessages: code === 0 ? [] : ['High risk country permission cannot be updated'],
      };
    });
  }
  /** Like Twilio: each status is one filtered listing; closed subaccounts only under Status=closed. */
  async listSubaccounts(options: { statuses?: readonly string[] } = {}): Promise<AccountIdentity[]> {
    const statuses = options.statuses ?? ['active'];
    this.log('accounts.list', statuses);
    if (this.fleet.faults.cannotListAccounts?.includes(this.sid))
      throw Object.assign(
        new Error(
          `HTTP 401 (Twilio 20003) listing the subaccounts of ${this.sid}: Standard and Restricted API keys cannot call /Accounts`,
        ),
        { status: 401 },
      );
    if (this.fleet.faults.accountsListFails?.includes(this.sid))
      throw Object.assign(new Error(`HTTP 503 listing the subaccounts of ${this.sid}`), { status: 503 });
    return Object.values(this.fleet.accounts)
      .filter((a) => a.identity.ownerAccountSid === this.sid && statuses.includes(a.identity.status ?? ''))
      .map((a) => ({ ...a.identity }));
  }
  async listGeoEvents(since: Date) {
    this.log('events');
    return this.account.events.filter((e) => new Date(e.eventDate) >= since);
  }
}

export function fakeGateway(fleet: FakeFleet): TwilioGateway {
  return {
    async forAccount(target: AccountTarget) {
      if (fleet.faults.unreachable?.includes(target.sid))
        throw new Error(`HTTP 401 for ${target.sid}: check the credentials`);
      return new FakeClient(fleet, target.sid);
    },
  };
}

/** The plan of `desired` against the fake fleet, read the way the engine reads Twilio. */
export async function planAgainst(desired: DesiredState, fleet: FakeFleet): Promise<Plan> {
  return buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 4 }));
}

export const writeCalls = (fleet: FakeFleet) =>
  fleet.calls.filter((c) => ['voice.bulk', 'settings.post', 'messaging.patch'].includes(c.op));

// Hand-made desired states, so core tests do not depend on the policy loader.

const at = (line: number) => ({ file: 'geo-permissions.yml', line, column: 1 });

export function grants(codes: string[], via: string[] = ['test'], line = 10): GrantSet {
  return Object.fromEntries(
    codes.map((country) => [country, { country, location: at(line), via, exception: null }]),
  );
}

export function desiredAccount(
  n: number,
  opts: {
    name?: string;
    parent?: { name: string; n: number } | null;
    inherit?: boolean;
    low?: string[];
    special?: string[];
    tollfraud?: string[];
    messaging?: string[];
    via?: string[];
  } = {},
): DesiredAccount {
  const voice = opts.inherit
    ? { inherit: true as const, location: at(n * 10 + 2) }
    : {
        inherit: false as const,
        location: at(n * 10 + 2),
        low_risk: grants(opts.low ?? [], opts.via, n * 10 + 3),
        high_risk_special: grants(opts.special ?? [], opts.via, n * 10 + 4),
        high_risk_tollfraud: grants(opts.tollfraud ?? [], opts.via, n * 10 + 5),
      };
  return {
    name: opts.name ?? `account-${n}`,
    sid: sid(n),
    parent: opts.parent?.name ?? null,
    parentSid: opts.parent ? sid(opts.parent.n) : null,
    location: at(n * 10),
    voice,
    messaging: grants(opts.messaging ?? [], opts.via, n * 10 + 6),
  };
}

export function desiredState(
  accounts: DesiredAccount[],
  guards: {
    maxChanges?: number | null;
    neverDisable?: string[];
    neverEnable?: string[];
    allowHighRisk?: string[];
  } = {},
): DesiredState {
  return {
    file: 'geo-permissions.yml',
    accounts,
    guards: {
      maxChanges: guards.maxChanges ?? null,
      maxChangesLocation: guards.maxChanges ? at(3) : null,
      neverDisable: Object.fromEntries((guards.neverDisable ?? []).map((c) => [c, at(4)])),
      neverEnable: Object.fromEntries((guards.neverEnable ?? []).map((c) => [c, at(5)])),
      allowHighRisk: Object.fromEntries((guards.allowHighRisk ?? []).map((c) => [c, at(6)])),
    },
    expiring: [],
    expiry: { expired: 'enforce', warningDays: 14, location: null },
    warnings: [],
  };
}
