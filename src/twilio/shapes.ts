import * as z from 'zod';
import { TwilioError } from './errors.js';
import { ACCOUNT_SID, API_KEY_SID, MESSAGING_SERVICE_SID, PHONE_NUMBER_SID } from '../model/patterns.js';

/**
 * The fields we rely on in Twilio's answers (as twilio-node maps them), validated so a
 * malformed answer is a named error instead of an `undefined` deep inside the plan.
 */

/** The v2010 Account resource, raw (snake_case). */
export const accountShape = z
  .object({
    sid: z.string().regex(ACCOUNT_SID),
    friendly_name: z.string().nullable(),
    type: z.enum(['Trial', 'Full']),
    status: z.string(),
    owner_account_sid: z.string().nullable(),
    auth_token: z.string().nullable().optional(),
  })
  .transform((a) => ({
    sid: a.sid,
    friendlyName: a.friendly_name,
    type: a.type,
    status: a.status,
    ownerAccountSid: a.owner_account_sid,
    authToken: a.auth_token ?? null,
  }));

/** A page of the v2010 Account list: raw accounts (checked one by one) and the next page's path. */
export const accountListPageShape = z.object({
  accounts: z.array(z.unknown()),
  next_page_uri: z.string().startsWith('/2010-04-01/').nullable().optional(),
});

export const keyShape = z.object({ sid: z.string().regex(API_KEY_SID) });

/** The v2010 Balance resource: only whose it is matters (the identity proof of Standard and Restricted keys). */
export const balanceShape = z
  .object({ account_sid: z.string().regex(ACCOUNT_SID) })
  .transform((b) => ({ accountSid: b.account_sid }));

/** One item of the voice Countries list, raw (snake_case); read without the SDK's instances. */
export const voiceCountryShape = z.object({
  iso_code: z.string().min(1),
  name: z.string(),
  continent: z.string().nullable(),
  country_codes: z.array(z.string()).nullable(),
  low_risk_numbers_enabled: z.boolean(),
  high_risk_special_numbers_enabled: z.boolean(),
  high_risk_tollfraud_numbers_enabled: z.boolean(),
});
export type RawVoiceCountry = z.infer<typeof voiceCountryShape>;

/** What `voiceCountryShape` accepts, tested by hand (see `expectEach`). */
export function isRawVoiceCountry(item: unknown): item is RawVoiceCountry {
  if (typeof item !== 'object' || item === null) return false;
  const c = item as Record<string, unknown>;
  return (
    typeof c.iso_code === 'string' &&
    c.iso_code.length > 0 &&
    typeof c.name === 'string' &&
    (c.continent === null || typeof c.continent === 'string') &&
    (c.country_codes === null || isStringArray(c.country_codes)) &&
    typeof c.low_risk_numbers_enabled === 'boolean' &&
    typeof c.high_risk_special_numbers_enabled === 'boolean' &&
    typeof c.high_risk_tollfraud_numbers_enabled === 'boolean'
  );
}

/** A page of a Twilio v1 list: its items under `content`, the next page's URL in `meta`. */
export const listPageShape = z.object({
  content: z.array(z.unknown()),
  meta: z.object({ next_page_url: z.string().nullable().optional() }),
});

export const prefixShape = z.object({ prefix: z.string().min(1) });

/** The v2010 IncomingPhoneNumber resource: whose number it is, and what it can do. */
export const incomingNumberShape = z
  .object({
    sid: z.string().regex(PHONE_NUMBER_SID),
    account_sid: z.string().regex(ACCOUNT_SID),
    phone_number: z.string().min(1),
    friendly_name: z.string().nullable().optional(),
    capabilities: z
      .object({ voice: z.boolean().optional(), sms: z.boolean().optional() })
      .nullable()
      .optional(),
  })
  .transform((n) => ({
    kind: 'phone-number' as const,
    sid: n.sid,
    accountSid: n.account_sid,
    friendlyName: n.friendly_name ?? '',
    phoneNumber: n.phone_number,
    // Both or nothing: a half-stated capability is not read as either.
    capabilities:
      n.capabilities?.voice !== undefined && n.capabilities.sms !== undefined
        ? { voice: n.capabilities.voice, sms: n.capabilities.sms }
        : null,
    senders: null,
  }));

/** A page of the v2010 IncomingPhoneNumber list: raw numbers and the next page's path. */
export const incomingNumberPageShape = z.object({
  incoming_phone_numbers: z.array(z.unknown()),
  next_page_uri: z.string().startsWith('/2010-04-01/').nullable().optional(),
});

/** The messaging v1 Service resource: whose it is. */
export const messagingServiceShape = z.object({
  sid: z.string().regex(MESSAGING_SERVICE_SID),
  account_sid: z.string().regex(ACCOUNT_SID),
  friendly_name: z.string().nullable().optional(),
});

/** A page of a Service's PhoneNumbers (its sender pool). */
export const serviceNumbersPageShape = z.object({
  phone_numbers: z.array(z.object({ phone_number: z.string().nullable() })),
  meta: z.object({ next_page_url: z.string().nullable().optional() }),
});

export const bulkUpdateShape = z.object({ updateCount: z.number().int().nonnegative() });

export const settingsShape = z.object({ dialingPermissionsInheritance: z.boolean() });

export const messagingCountryShape = z.object({
  country_code: z.string().min(1),
  enabled: z.boolean(),
  prefix: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
});
export type RawMessagingCountry = z.infer<typeof messagingCountryShape>;

/** What `messagingCountryShape` accepts, tested by hand (see `expectEach`). */
export function isRawMessagingCountry(item: unknown): item is RawMessagingCountry {
  if (typeof item !== 'object' || item === null) return false;
  const p = item as Record<string, unknown>;
  return (
    typeof p.country_code === 'string' &&
    p.country_code.length > 0 &&
    typeof p.enabled === 'boolean' &&
    (p.prefix === undefined || p.prefix === null || typeof p.prefix === 'string') &&
    (p.message === undefined || p.message === null || typeof p.message === 'string')
  );
}

export const messagingUpdateShape = z.array(
  z.object({
    country_code: z.string().min(1),
    enabled: z.boolean(),
    error_code: z.number().int(),
    error_messages: z.array(z.string()).nullable().optional(),
  }),
);

export const eventShape = z.object({
  sid: z.string().min(1),
  eventType: z.string(),
  eventDate: z.date().refine((d) => !Number.isNaN(d.getTime()), 'not a date'),
  actorSid: z.string().nullable(),
  actorType: z.string().nullable(),
  source: z.string().nullable(),
  sourceIpAddress: z.string().nullable(),
  description: z.string().nullable(),
  eventData: z.unknown(),
});

/** Validates `value`; the error names the fields that failed, never their values (they may be secrets). */
export function expectShape<T>(schema: z.ZodType<T>, value: unknown, what: string, account: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || '(whole body)'))];
  throw new TwilioError(
    `${what} for ${account}: Twilio's answer is missing or has unexpected fields: ${fields.slice(0, 5).join(', ')}`,
    'malformed',
    account,
  );
}

/**
 * Validates a long list (about 250 countries per account, on fleets of 1,000 accounts): each item
 * goes through a hand-written test of the same rules, which allocates nothing, and only an item that
 * fails it goes through zod, whose error names the fields. Zod on every item allocated about as
 * much as the rest of the read together. Returns the items themselves.
 */
export function expectEach<T>(
  schema: z.ZodType<T>,
  accepts: (item: unknown) => item is T,
  items: unknown,
  what: string,
  account: string,
): T[] {
  if (!Array.isArray(items)) return expectShape(z.array(schema), items, what, account);
  return items.map((item, i) =>
    accepts(item) ? item : expectShape(schema, item, `${what} (item ${i})`, account),
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
