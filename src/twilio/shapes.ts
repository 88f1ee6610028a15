import * as z from 'zod';
import { TwilioError } from './errors.js';

/**
 * The fields we rely on in Twilio's answers (as twilio-node maps them), validated so a
 * malformed answer is a named error instead of an `undefined` deep inside the plan.
 */

/** The v2010 Account resource, raw (snake_case). */
export const accountShape = z
  .object({
    sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
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

export const keyShape = z.object({ sid: z.string().regex(/^SK[0-9a-fA-F]{32}$/) });

export const voiceCountryShape = z.object({
  isoCode: z.string().min(1),
  name: z.string(),
  continent: z.string().nullable(),
  countryCodes: z.array(z.string()).nullable(),
  lowRiskNumbersEnabled: z.boolean(),
  highRiskSpecialNumbersEnabled: z.boolean(),
  highRiskTollfraudNumbersEnabled: z.boolean(),
});

export const prefixShape = z.object({ prefix: z.string().min(1) });

export const bulkUpdateShape = z.object({ updateCount: z.number().int().nonnegative() });

export const settingsShape = z.object({ dialingPermissionsInheritance: z.boolean() });

export const messagingReadShape = z.array(
  z.object({
    country_code: z.string().min(1),
    enabled: z.boolean(),
    prefix: z.string().nullable().optional(),
    message: z.string().nullable().optional(),
  }),
);

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
