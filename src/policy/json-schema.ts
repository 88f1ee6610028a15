// The JSON Schema editors use to complete and check the policy file. Its shape (keys, required keys,
// descriptions, the SID and date patterns) is generated from the zod schema; what zod cannot say is
// added here from the catalog: Twilio's country codes per product, the continent: forms, group names
// that cannot be read as a country, named definitions and messages an editor shows as they are.
import * as z from 'zod';
import {
  CONTINENTS,
  allCountries,
  isUnsupportedDestination,
  messagingCountries,
  voiceCountries,
  type CountryInfo,
} from '../catalog/index.js';
import { accountSchema, countryListSchema, exceptionSchema, policySchema } from './schema.js';

/**
 * The schema's public address: the file at the `v1` major tag, which moves with every 1.x release
 * (policy `version: 1` only gains keys within it). Consumers of the action have no local schema/,
 * so exported policies and the README point here. OWNER is the repository's owner, as in `uses:`.
 */
export const POLICY_SCHEMA_URL =
  'https://raw.githubusercontent.com/OWNER/twilio-geo-permissions/v1/schema/policy.schema.json';

/** The first line of an exported policy: tells yaml-language-server (VS Code YAML, others) the schema. */
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=${POLICY_SCHEMA_URL}`;

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/$defs/${name}` });

function generated(schema: z.ZodType): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    reused: 'inline',
  }) as Json;
  return json;
}

const escapeRegex = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** "EUROPE" in any case, "_" as a space or hyphen too, as the policy checker reads a continent's name. */
const anyCaseContinent = (name: string): string =>
  [...name].map((ch) => (ch === '_' ? '[ _-]' : `[${ch}${ch.toLowerCase()}]`)).join('');

/**
 * Words a group cannot be named, as a regex alternation: country names (as written and lower-case)
 * and continent names, which the checker reads as a mistyped country or continent.
 */
function notGroupNames(): string {
  const names = allCountries().flatMap((c) => [c.name, ...c.aliases]);
  const forms = [...new Set(names.flatMap((n) => [n, n.toLowerCase()]))].sort().map(escapeRegex);
  return [...forms, ...CONTINENTS.map(anyCaseContinent)].join('|');
}

/** Which codes a list takes: voice lists Twilio's voice codes, messaging its messaging codes, groups any. */
type ListProduct = 'any' | 'voice' | 'messaging';

/** A definition's name for one product: countryList, voiceCountryList, messagingCountryList. */
const defName = (product: ListProduct, base: string): string =>
  product === 'any' ? base : `${product}${base[0]?.toUpperCase()}${base.slice(1)}`;

const CODE_MESSAGE =
  'Not a country code Twilio lists: write the upper-case ISO 3166-1 alpha-2 code, e.g. GB (not UK or gb), DE (not Germany).';

function codeDefinition(countries: readonly CountryInfo[], description: string, message: string): Json {
  return {
    type: 'string',
    enum: countries.map((c) => c.iso),
    enumDescriptions: countries.map((c) => c.name),
    description,
    errorMessage: message,
  };
}

/** The named definitions that do not come from zod: codes per product, continents, group names. */
function catalogDefinitions(): Json {
  const unsupported = messagingCountries().filter((c) => isUnsupportedDestination(c.iso));
  return {
    countryCode: codeDefinition(
      messagingCountries(),
      'An ISO 3166-1 alpha-2 country code Twilio lists (groups and guards serve voice and messaging alike).',
      CODE_MESSAGE,
    ),
    voiceCountryCode: codeDefinition(
      voiceCountries(),
      'An ISO 3166-1 alpha-2 country code from Twilio\'s voice dialing list. It has no CA (nor UM): US is "United States/Canada" (+1), so write US for Canada.',
      `${CODE_MESSAGE} Voice has no CA: US "United States/Canada" (+1) covers Canada.`,
    ),
    messagingCountryCode: codeDefinition(
      messagingCountries().filter((c) => !isUnsupportedDestination(c.iso)),
      `An ISO 3166-1 alpha-2 country code from Twilio's messaging list, which ignores updates for ${unsupported.map((c) => c.iso).join(', ')}.`,
      `${CODE_MESSAGE} Twilio does not support messaging to ${unsupported.map((c) => `${c.iso} (${c.name})`).join(', ')}.`,
    ),
    continent: {
      type: 'string',
      enum: CONTINENTS.map((c) => `continent:${c}`),
      description: 'Every country Twilio lists on one continent.',
      errorMessage: `Not a continent: write continent: and one of ${CONTINENTS.join(', ')}.`,
    },
    groupName: {
      type: 'string',
      // Not two letters (a country code in any case), not continent:..., not a country or continent name.
      pattern: `^(?![A-Za-z]{2}$)(?!continent:)(?!(?:${notGroupNames()})$).+$`,
      description:
        'A group defined under groups:. Its name cannot be read as a country: not two letters (US, gb), not continent:NAME, not a country or continent name (Germany, Europe).',
      errorMessage:
        'Not a country code, continent or group: write a country as its upper-case ISO 3166-1 alpha-2 code (DE, not Germany), a continent as continent:NAME (continent:EUROPE), and name a group so it cannot be read as either (not two letters, not a country or continent name).',
    },
  };
}

/** A list, its entries and its exceptions for one product. */
function listDefinitions(product: ListProduct): Json {
  const code = defName(product, 'countryCode');
  const exception = generated(exceptionSchema) as Json & { properties: Record<string, Json> };
  const list = generated(countryListSchema);
  return {
    [defName(product, 'countryEntry')]: {
      description: 'A country code (US), continent:NAME (continent:EUROPE) or the name of a group (core).',
      type: 'string',
      // Which form a string must be is decided by its shape, so an editor reports the one mistake made
      // ("UK" is a wrong code, not a wrong group name) with that form's message.
      if: { pattern: '^[A-Za-z]{2}$' },
      then: ref(code),
      else: { if: { pattern: '^continent:' }, then: ref('continent'), else: ref('groupName') },
      // Editors gather completions from anyOf, never from if/then: this offers the codes and continents.
      anyOf: [ref(code), ref('continent'), { type: 'string' }],
    },
    [defName(product, 'exception')]: {
      ...exception,
      properties: {
        ...exception.properties,
        country: { ...ref(code), description: exception.properties.country?.description },
      },
    },
    [defName(product, 'countryList')]: {
      type: 'array',
      description: list.description,
      items: { anyOf: [ref(defName(product, 'countryEntry')), ref(defName(product, 'exception'))] },
    },
  };
}

/**
 * Replaces, top-down, what the generated tree repeats by references to the named definitions: every
 * country list (of the product of the `voice` or `messaging` key above it), every list entry, every
 * account.
 */
function nameDefinitions(node: unknown, product: ListProduct, parts: Parts): unknown {
  if (Array.isArray(node)) return node.map((n) => nameDefinitions(n, product, parts));
  if (node === null || typeof node !== 'object') return node;
  const json = node as Json;
  const description = typeof json.description === 'string' ? { description: json.description } : {};
  if (json.type === 'array' && same(json.items, parts.list.items))
    return { ...ref(defName(product, 'countryList')), ...description };
  if (same(json, parts.entry)) return ref('countryEntry');
  if (same(json, parts.account)) return ref('account');
  const out: Json = {};
  for (const [k, v] of Object.entries(json))
    out[k] = nameDefinitions(v, k === 'voice' || k === 'messaging' ? k : product, parts);
  return out;
}

interface Parts {
  list: Json;
  entry: Json;
  account: Json;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The JSON Schema of the policy file, with named definitions ($defs) and a stable public $id. */
export function policyJsonSchema(): object {
  const list = generated(countryListSchema);
  const entry = (list.items as { anyOf: Json[] }).anyOf[0] as Json;
  const parts: Parts = { list, entry, account: generated(accountSchema) };
  const root = nameDefinitions(generated(policySchema), 'any', parts) as Json & {
    properties: Record<string, Json>;
  };
  const groups = root.properties.groups;
  if (groups) groups.propertyNames = ref('groupName');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: POLICY_SCHEMA_URL,
    title: 'geo-permissions.yml',
    ...root,
    $defs: {
      account: nameDefinitions(parts.account, 'any', { ...parts, account: {} }),
      ...listDefinitions('any'),
      ...listDefinitions('voice'),
      ...listDefinitions('messaging'),
      ...catalogDefinitions(),
    },
  };
}
