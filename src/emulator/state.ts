import * as z from 'zod';
import { E164, sidPattern } from '../model/patterns.js';

/**
 * The emulator's whole fleet: the `--state` file and the body of GET|PUT /__emulator/state
 * (docs/emulator.md). Countries not named are off; `ownerAccountSid` makes a subaccount.
 */

const sid = (prefix: string) => z.string().regex(sidPattern(prefix), `${prefix} followed by 32 hex digits`);

const voiceFlagsSchema = z.strictObject({
  lowRisk: z.boolean().default(false),
  highRiskSpecial: z.boolean().default(false),
  highRiskTollfraud: z.boolean().default(false),
});

/**
 * Twilio's key types (docs/emulator.md, "API key types"). A key without `type` is `main`, so state
 * files written before types existed keep their meaning: their keys could call /Accounts and /Keys.
 */
export const API_KEY_TYPES = ['main', 'standard', 'restricted'] as const;

const apiKeySchema = z.strictObject({
  sid: sid('SK'),
  secret: z.string().min(1),
  type: z.enum(API_KEY_TYPES).optional(),
  /** A restricted key's grants, each `METHOD /path-template` of a route (docs/emulator.md). */
  permissions: z.array(z.string()).optional(),
});

/**
 * A number the account owns: Twilio's IncomingPhoneNumber resource (twilio-oai twilio_api_v2010.json,
 * `api.v2010.account.incoming_phone_number`). `friendlyName` defaults to the number itself.
 */
const phoneNumberSchema = z.strictObject({
  sid: sid('PN'),
  phoneNumber: z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100'),
  friendlyName: z.string().optional(),
  capabilities: z
    .strictObject({
      voice: z.boolean().default(true),
      sms: z.boolean().default(true),
      mms: z.boolean().default(false),
      fax: z.boolean().default(false),
    })
    .optional(),
});

/**
 * A Messaging Service of the account (twilio-oai twilio_messaging_v1.json, `messaging.v1.service`);
 * `phoneNumbers` lists the SIDs of the account's own numbers in its sender pool.
 */
const messagingServiceSchema = z.strictObject({
  sid: sid('MG'),
  friendlyName: z.string().default(''),
  phoneNumbers: z.array(sid('PN')).default([]),
});

const accountSchema = z.strictObject({
  sid: sid('AC'),
  authToken: z.string().min(1),
  friendlyName: z.string().default(''),
  ownerAccountSid: sid('AC').nullable().default(null),
  type: z.enum(['Trial', 'Full']).default('Full'),
  status: z.enum(['active', 'suspended', 'closed']).default('active'),
  /** API keys created inside this account (extension): they act as this account. */
  apiKeys: z.array(apiKeySchema).default([]),
  voice: z
    .strictObject({
      inheritance: z.boolean().default(false),
      countries: z.record(z.string(), voiceFlagsSchema).default({}),
      /**
       * (extension) `POST /v1/Settings` answers 202 Accepted; with N > 0 the change takes effect only
       * after the account's next N reads of `GET /v1/Settings` (which still show the old value), so a
       * client that does not wait for it is tested. Reads stand in for time so tests are deterministic.
       */
      settingsDelay: z.number().int().min(0).optional(),
      /** (extension) A Settings change accepted but not yet in effect (see settingsDelay). */
      pendingInheritance: z
        .strictObject({
          inheritance: z.boolean(),
          readsLeft: z.number().int().min(1),
          actor: z.strictObject({
            sid: z.string(),
            type: z.enum(['account', 'user']),
            source: z.enum(['api', 'web']),
            ip: z.string(),
          }),
        })
        .optional(),
    })
    .default({ inheritance: false, countries: {} }),
  messaging: z.record(z.string(), z.boolean()).default({}),
  /**
   * (extension) How many days of Monitor Events `GET /v1/Events` returns: Twilio keeps 30 days on the
   * free edition, 13 months with Administration, Security or Enterprise Edition.
   */
  monitorRetentionDays: z.number().int().min(1).optional(),
  /** (optional) The numbers it owns; absent in state files written before senders existed. */
  phoneNumbers: z.array(phoneNumberSchema).optional(),
  /** (optional) Its Messaging Services. */
  messagingServices: z.array(messagingServiceSchema).optional(),
});

const eventSchema = z.strictObject({
  sid: sid('AE'),
  accountSid: sid('AC'),
  eventType: z.string(),
  resourceType: z.string(),
  eventDate: z.string(),
  actorSid: z.string().nullable(),
  actorType: z.string().nullable(),
  source: z.string().nullable(),
  sourceIpAddress: z.string().nullable(),
  description: z.string().nullable(),
  eventData: z.unknown(),
});

export const emulatorStateSchema = z.strictObject({
  accounts: z.array(accountSchema),
  /** Monitor Events recorded so far (extension), oldest first. */
  events: z.array(eventSchema).default([]),
});

export type EmulatorState = z.output<typeof emulatorStateSchema>;
export type EmulatorStateInput = z.input<typeof emulatorStateSchema>;
export type EmulatorAccount = EmulatorState['accounts'][number];
export type EmulatorEvent = EmulatorState['events'][number];
export type EmulatorApiKey = EmulatorAccount['apiKeys'][number];
export type VoiceCell = EmulatorAccount['voice']['countries'][string];
export type EmulatorPhoneNumber = NonNullable<EmulatorAccount['phoneNumbers']>[number];
export type EmulatorMessagingService = NonNullable<EmulatorAccount['messagingServices']>[number];

/** Parses and checks a state document; the error names the first bad path. */
export function parseEmulatorState(input: unknown): EmulatorState {
  const parsed = emulatorStateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid emulator state at ${issue?.path.map(String).join('.') || '(top level)'}: ${issue?.message}`,
    );
  }
  const state = parsed.data;
  const sids = new Set<string>();
  for (const account of state.accounts) {
    if (sids.has(account.sid))
      throw new Error(`invalid emulator state: account ${account.sid} appears twice`);
    sids.add(account.sid);
  }
  for (const account of state.accounts)
    for (const key of account.apiKeys)
      if (key.permissions !== undefined && key.type !== 'restricted')
        throw new Error(`invalid emulator state: ${key.sid} has permissions but is not a restricted key`);
  for (const account of state.accounts)
    if (account.ownerAccountSid !== null && !sids.has(account.ownerAccountSid))
      throw new Error(
        `invalid emulator state: ${account.sid} names an unknown owner ${account.ownerAccountSid}`,
      );
  checkSenders(state);
  return state;
}

/**
 * A number and a SID belong to one account; a service's pool holds its own account's numbers, and
 * a number sits in at most one service (Twilio's rule for Messaging Service senders).
 */
function checkSenders(state: EmulatorState): void {
  const seen = new Set<string>();
  const once = (key: string, what: string) => {
    if (seen.has(key)) throw new Error(`invalid emulator state: ${what} appears twice`);
    seen.add(key);
  };
  for (const account of state.accounts) {
    const own = new Set<string>();
    for (const n of account.phoneNumbers ?? []) {
      once(n.sid, n.sid);
      once(n.phoneNumber, `phone number ${n.phoneNumber}`);
      own.add(n.sid);
    }
    const pooled = new Set<string>();
    for (const service of account.messagingServices ?? []) {
      once(service.sid, service.sid);
      for (const pn of service.phoneNumbers) {
        if (!own.has(pn))
          throw new Error(
            `invalid emulator state: ${service.sid} lists ${pn}, which is not a phone number of ${account.sid}`,
          );
        if (pooled.has(pn))
          throw new Error(`invalid emulator state: ${pn} is in more than one Messaging Service`);
        pooled.add(pn);
      }
    }
  }
}
