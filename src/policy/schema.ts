import * as z from 'zod';

/** Twilio account SIDs: "AC" and 32 lower-case hex digits. */
export const SID_PATTERN = /^AC[0-9a-f]{32}$/;
export const SUPPORTED_VERSION = 1;

const listEntry = z
  .string()
  .describe(
    'An ISO 3166-1 alpha-2 country code (US), a group name (core), or continent:NAME (continent:EUROPE).',
  );

/** A time-boxed grant: it counts until the end of `expires` (UTC). */
export const exceptionSchema = z
  .strictObject({
    country: z.string().describe('One ISO 3166-1 alpha-2 country code.'),
    expires: z.iso.date().describe('Last day (UTC) the exception counts, YYYY-MM-DD.'),
    reason: z.string().optional().describe('Why the exception exists.'),
    ticket: z.union([z.string(), z.number()]).optional().describe('The ticket that approved it.'),
  })
  .describe('A time-boxed exception for one country.');

export const countryListSchema = z
  .array(z.union([listEntry, exceptionSchema]))
  .describe('Allow-list: countries not listed are disabled.');

const voiceListsShape = {
  low_risk: countryListSchema
    .optional()
    .describe(
      'Low-risk numbers (voice dialing permissions). Twilio\'s voice list has no CA: US is "United States/Canada" (+1), so write US for Canada; CA through a group beside US is covered, CA alone is an error.',
    ),
  high_risk_special: countryListSchema.optional().describe('High-risk special services numbers.'),
  high_risk_tollfraud: countryListSchema.optional().describe('High-risk toll-fraud (IRSF) numbers.'),
};

const accountVoiceSchema = z
  .strictObject({
    inherit: z
      .boolean()
      .optional()
      .describe("Subaccounts only: take the parent's voice dialing permissions (default false)."),
    ...voiceListsShape,
  })
  .optional();

export const accountSchema = z
  .strictObject({
    sid: z.string().regex(SID_PATTERN).describe('The account SID, "AC" and 32 lower-case hex digits.'),
    parent: z.string().optional().describe('Name of the parent account when this is a subaccount.'),
    voice: accountVoiceSchema,
    messaging: countryListSchema.optional().describe('Messaging geo permissions.'),
  })
  .describe('One Twilio account.');

/** The word `all` in any case: in a glob it would match only a subaccount named "all", so it is refused there. */
export const ALL_WORD = /^all$/i;

/**
 * A control character in a glob: what YAML makes of `"\all"` in double quotes (\a is BEL), a glob that
 * silently matches nothing, so it is refused there with the fix.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

const friendlyNameGlob = z
  .string()
  .min(1)
  // eslint-disable-next-line no-control-regex -- the same characters, refused (and in the JSON Schema)
  .regex(/^(?![Aa][Ll][Ll]$)[^\u0000-\u001f\u007f]*$/)
  .describe(
    'A friendly-name glob: * any run of characters, ? one, \\ before a character makes it literal; case-insensitive, the whole name. Not the word all (write match: all for every subaccount; \\all for a subaccount named "all"), and no control character (in double quotes YAML reads "\\a" as one: write \\all unquoted or in single quotes).',
  );

/** A template: one profile for many subaccounts of one parent, chosen by friendly name. */
export const fleetSchema = z
  .strictObject({
    parent: z
      .string()
      .describe('Name of the parent account (under "accounts:") whose subaccounts this covers.'),
    match: z
      .union([z.literal('all'), friendlyNameGlob, z.array(friendlyNameGlob).min(1)])
      .describe('Which subaccounts: all, or a friendly-name glob (or a list of them).'),
    except: z
      .array(z.string().min(1))
      .optional()
      .describe('Subaccounts left out: friendly-name globs or subaccount SIDs.'),
    voice: accountVoiceSchema,
    messaging: countryListSchema.optional().describe('Messaging geo permissions.'),
  })
  .describe(
    'A fleet template: every subaccount of the parent it matches gets this profile; an explicit "accounts:" entry wins.',
  );

export const unmanagedSchema = z
  .union([
    z.enum(['report', 'ignore']),
    z.strictObject({
      enforce: z.string().describe('The template (under "fleets:") unmanaged subaccounts of its parent get.'),
    }),
  ])
  .describe(
    'What subaccounts covered by no account or template get: report (default: listed with their exposure, counted as drift, never written), ignore, or {enforce: FLEET}.',
  );

/** The most days ahead `expiry_warning_days` may look: a year (a longer horizon lists every exception). */
export const MAX_EXPIRY_WARNING_DAYS = 366;

export const expiredSchema = z
  .enum(['enforce', 'report'])
  .describe(
    'What the scheduled drift run does with a cell only an expired exception opened: enforce (default: disables it as a restrictive change, reads it back and records it; never a guards.never_disable country) or report (lists it as drift and leaves it open).',
  );

export const expiryWarningDaysSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_EXPIRY_WARNING_DAYS)
  .describe(
    'An exception this many days (or fewer) from its end is a warning and is listed as expiring soon (default 14; 0: only on its last day).',
  );

export const policySchema = z
  .strictObject({
    version: z.literal(SUPPORTED_VERSION).describe('Policy language version.'),
    groups: z
      .record(z.string(), countryListSchema)
      .optional()
      .describe('Named lists of countries, groups and continents.'),
    defaults: z
      .strictObject({
        voice: z.strictObject(voiceListsShape).optional(),
        messaging: countryListSchema.optional(),
      })
      .optional()
      .describe('Lists every account uses unless it sets its own list of the same name.'),
    guards: z
      .strictObject({
        max_changes: z
          .number()
          .int()
          .positive()
          .nullable()
          .optional()
          .describe(
            'Cells changed per apply before it refuses without an override; absent or null: no limit.',
          ),
        never_disable: z
          .array(listEntry)
          .optional()
          .describe('Countries no policy edit may switch off (lock-out guard).'),
        never_enable: z
          .array(listEntry)
          .optional()
          .describe(
            'Countries no account may have open in any category (sanctioned or fraud-prone destinations): an allow-list naming one is an error, one open live is critical drift.',
          ),
        allow_high_risk: z
          .array(listEntry)
          .optional()
          .describe(
            'Countries whose high-risk voice enables (special or toll-fraud) this policy acknowledges, so the high-risk guard lets them apply. An exception entry with a ticket acknowledges its own enable.',
          ),
      })
      .optional(),
    accounts: z.record(z.string(), accountSchema).describe('The Twilio accounts, by a name of your choice.'),
    fleets: z
      .record(z.string(), fleetSchema)
      .optional()
      .describe('Templates governing many subaccounts at once, by a name of your choice.'),
    unmanaged: unmanagedSchema.optional(),
    expired: expiredSchema.optional(),
    expiry_warning_days: expiryWarningDaysSchema.optional(),
  })
  .describe('Twilio geo permissions policy (twilio-geo-permissions).');

export type PolicyInput = z.infer<typeof policySchema>;
