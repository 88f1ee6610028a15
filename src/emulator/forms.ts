import { voiceCountry, voiceCoveredBy, type Product } from '../catalog/index.js';
import { emulatorCountry } from './countries.js';
import { OFF, TwilioFault, VOICE_FIELDS } from './fleet.js';
import type { VoiceCell } from './state.js';

/** The write requests' bodies, checked as Twilio checks them: every refusal is a 400 (code 20001). */

function badRequest(message: string): TwilioFault {
  return new TwilioFault(400, 20001, message);
}

/** Validates the whole UpdateRequest before anything changes; flags must be the strings "true"/"false". */
export function parseBulkUpdate(
  raw: string | null,
  current: (iso: string) => VoiceCell | undefined,
): Array<{ iso: string; cell: VoiceCell }> {
  if (raw === null) throw badRequest('Missing required parameter UpdateRequest in the post body');
  let items: unknown;
  try {
    items = JSON.parse(raw);
  } catch {
    throw badRequest('UpdateRequest must be a JSON array');
  }
  if (!Array.isArray(items) || items.length === 0)
    throw badRequest('UpdateRequest must be a non-empty JSON array');
  return items.map((item: unknown, index) => bulkUpdateItem(item, index, current));
}

function bulkUpdateItem(
  item: unknown,
  index: number,
  current: (iso: string) => VoiceCell | undefined,
): { iso: string; cell: VoiceCell } {
  if (typeof item !== 'object' || item === null)
    throw badRequest(`UpdateRequest[${index}] must be an object`);
  const record = item as Record<string, unknown>;
  const iso = typeof record.iso_code === 'string' ? record.iso_code.toUpperCase() : '';
  if (!emulatorCountry('voice', iso))
    throw badRequest(
      voiceUnknown(
        `UpdateRequest[${index}].iso_code`,
        iso,
        `UpdateRequest[${index}].iso_code is not a known country`,
      ),
    );
  // Omitted flags keep their value (UNCONFIRMED in Twilio; see docs/emulator.md).
  const cell: VoiceCell = { ...(current(iso) ?? OFF) };
  for (const [key, wire] of VOICE_FIELDS) {
    const value = record[wire];
    if (value === undefined) continue;
    if (typeof value === 'boolean')
      throw badRequest(
        `UpdateRequest[${index}].${wire} must be the string "true" or "false", not the JSON boolean ${value}`,
      );
    if (value !== 'true' && value !== 'false')
      throw badRequest(`UpdateRequest[${index}].${wire} must be the string "true" or "false"`);
    cell[key] = value === 'true';
  }
  return { iso, cell };
}

/** Each Permissions field is a JSON object whose `enabled` is a JSON boolean. */
export function parsePermissions(values: string[]): Array<{ iso: string; enabled: boolean }> {
  if (values.length === 0) throw badRequest('Missing required parameter Permissions');
  return values.map((raw, index) => permissionItem(raw, index));
}

function permissionItem(raw: string, index: number): { iso: string; enabled: boolean } {
  let item: unknown;
  try {
    item = JSON.parse(raw);
  } catch {
    throw badRequest(`Permissions[${index}] must be a JSON object`);
  }
  const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const iso = typeof record.country_code === 'string' ? record.country_code.toUpperCase() : '';
  if (!emulatorCountry('messaging', iso))
    throw badRequest(`Permissions[${index}].country_code is not a known country`);
  if (record.type !== undefined && record.type !== 'country')
    throw badRequest(`Permissions[${index}].type must be "country"`);
  if (typeof record.enabled !== 'boolean')
    throw badRequest(`Permissions[${index}].enabled must be a JSON boolean (true or false)`);
  return { iso, enabled: record.enabled };
}

/** `iso` upper-cased, or a 400 when `product`'s list does not have it (Console changes). */
export function knownIso(product: Product, iso: string): string {
  const upper = iso.toUpperCase();
  if (!emulatorCountry(product, upper))
    throw badRequest(
      product === 'voice' ? voiceUnknown('voice', iso, `unknown country ${iso}`) : `unknown country ${iso}`,
    );
  return upper;
}

/** A code voice does not list; for CA, says where Twilio lists Canada (an emulator wording, not Twilio's). */
function voiceUnknown(field: string, iso: string, otherwise: string): string {
  const cover = voiceCoveredBy(iso.toUpperCase());
  return cover
    ? `${field} ${iso} is not in the voice list: Twilio dials it through ${cover} (${voiceCountry(cover)?.name ?? cover})`
    : otherwise;
}
