import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINENTS, messagingCountries, voiceCountries } from '../../src/catalog/index.js';
import { POLICY_SCHEMA_URL, SCHEMA_MODELINE, policyJsonSchema } from '../../src/policy/json-schema.js';
import { loadPolicy } from '../../src/policy/load.js';
import { YamlLanguageServer } from '../support/yaml-language-server.js';

const schema = policyJsonSchema() as {
  $schema: string;
  $id: string;
  properties: Record<string, unknown>;
  required: string[];
  additionalProperties: boolean;
  $defs: Record<string, { description?: string; enum?: string[] }>;
};
const SID = `AC${'1'.repeat(32)}`;

/** A policy with one group and one account whose messaging and voice lists hold `entries`. */
function policyWith(opts: {
  messaging?: string[];
  voice?: string[];
  groups?: Record<string, string[]>;
}): string {
  const flow = (items: string[]) => `[${items.join(', ')}]`;
  const groups = opts.groups ?? { core: ['US', 'GB'] };
  return [
    'version: 1',
    'groups:',
    ...Object.entries(groups).map(([name, items]) => `  ${name}: ${flow(items)}`),
    'accounts:',
    '  prod:',
    `    sid: ${SID}`,
    ...(opts.voice ? ['    voice:', `      low_risk: ${flow(opts.voice)}`] : []),
    ...(opts.messaging ? [`    messaging: ${flow(opts.messaging)}`] : []),
    '',
  ].join('\n');
}

describe('policy JSON Schema, as ajv (a real validator) reads it', () => {
  // `format: date` is an annotation here: zod writes the date's pattern beside it, which ajv checks.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, formats: { date: true } });
  // Editor keywords: yaml-language-server and VS Code show them; to a validator they are annotations.
  ajv.addKeyword('errorMessage');
  ajv.addKeyword('enumDescriptions');
  const validate = ajv.compile(schema);
  const errorsOf = (text: string): ErrorObject[] => (validate(parse(text)) ? [] : (validate.errors ?? []));
  const flagged = (text: string) => [...new Set(errorsOf(text).map((e) => e.instancePath))].sort();

  it('is generated from the zod schema: every top-level key, required keys, no others', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual([
      'version',
      'groups',
      'defaults',
      'guards',
      'accounts',
      'fleets',
      'unmanaged',
      'expired',
      'expiry_warning_days',
    ]);
    expect(schema.required).toEqual(['version', 'accounts']);
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).toContain('^AC[0-9a-f]{32}$');
  });

  it('has a stable public $id, named definitions that each say what they are, and is the committed file', () => {
    expect(schema.$id).toBe(POLICY_SCHEMA_URL);
    expect(POLICY_SCHEMA_URL).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/twilio-geo-permissions\/v1\/schema\/policy\.schema\.json$/,
    );
    expect(SCHEMA_MODELINE).toBe(`# yaml-language-server: $schema=${POLICY_SCHEMA_URL}`);
    expect(Object.keys(schema.$defs)).not.toContainEqual(expect.stringMatching(/^__/));
    for (const [name, def] of Object.entries(schema.$defs)) expect(def.description, name).toBeTruthy();
    const committed = readFileSync(new URL('../../schema/policy.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(schema, null, 2)}\n`);
  });

  it("knows Twilio's codes per product: voice has no CA, messaging has it", () => {
    expect(schema.$defs.countryCode?.enum).toEqual(messagingCountries().map((c) => c.iso));
    expect(schema.$defs.messagingCountryCode?.enum).toEqual(
      messagingCountries()
        .map((c) => c.iso)
        .filter((iso) => !['IR', 'SY', 'CU'].includes(iso)),
    );
    expect(schema.$defs.voiceCountryCode?.enum).toEqual(voiceCountries().map((c) => c.iso));
    expect(schema.$defs.voiceCountryCode?.enum).not.toContain('CA');
    expect(flagged(policyWith({ messaging: ['CA'] }))).toEqual([]);
    expect(flagged(policyWith({ voice: ['CA'] }))).toEqual(['/accounts/prod/voice/low_risk/0']);
  });

  it('flags UK, Germany, gb and continent:EUROP where they are written, and accepts codes, continents and groups', () => {
    const text = policyWith({
      messaging: ['US', 'UK', 'core', 'Germany', 'gb', 'continent:EUROP', 'continent:EUROPE'],
    });
    expect(flagged(text)).toEqual([1, 3, 4, 5].map((i) => `/accounts/prod/messaging/${i}`));
  });

  it('refuses group names that could be read as a country: two letters, continent:, a country name', () => {
    for (const name of ['EU', 'gb', 'Germany', 'germany', '"continent:MINE"'])
      expect(flagged(policyWith({ groups: { [name]: ['DE'] } })), name).toEqual([`/groups`]);
    for (const name of ['core', 'eu-launch', 'EU-launch', 'Core', 'latam_2'])
      expect(flagged(policyWith({ groups: { [name]: ['DE'] } })), name).toEqual([]);
  });

  it('agrees with the policy checker on every code, continent and common mistake in a voice or messaging list', () => {
    const words = [
      ...messagingCountries().map((c) => c.iso),
      ...CONTINENTS.map((c) => `continent:${c}`),
      ...['UK', 'EL', 'gb', 'Us', 'Germany', 'continent:EUROP', 'continent:europe', 'EUROPE', 'Europe'],
      ...['north america', 'core', 'XX'],
    ];
    const lists = words.flatMap((word) => [{ messaging: [word] }, { voice: [word] }]);
    const disagree = lists.filter((list) => {
      const text = policyWith(list);
      const { diagnostics } = loadPolicy(text, 'p.yml', { now: new Date(), mode: 'validate' });
      const checkerOk = !diagnostics.some((d) => d.severity === 'error');
      return checkerOk !== (errorsOf(text).length === 0);
    });
    expect(disagree).toEqual([]);
  });

  it('agrees with the policy checker on match: all, globs, and the word all where a glob goes', () => {
    const withMatch = (match: string) =>
      [
        'version: 1',
        'accounts:',
        `  prod: {sid: ${SID}}`,
        'fleets:',
        '  customers:',
        '    parent: prod',
        `    match: ${match}`,
        '',
      ].join('\n');
    for (const ok of ['all', '"cust-*"', '["cust-*", eu-?]', '[\\all]', 'allison'])
      expect([ok, errorsOf(withMatch(ok))]).toEqual([ok, []]);
    for (const bad of ['[all]', '["cust-*", ALL]', 'All', '["\\all"]', '"\\all"'])
      expect([bad, flagged(withMatch(bad))]).toEqual([
        bad,
        expect.arrayContaining(['/fleets/customers/match']),
      ]);
    for (const match of ['all', '[\\all]', '[all]', 'All', '["\\all"]', "'\\all'"]) {
      const checker = loadPolicy(withMatch(match), 'p.yml', { now: new Date(), mode: 'validate' });
      expect([match, checker.diagnostics.length > 0]).toEqual([match, errorsOf(withMatch(match)).length > 0]);
    }
  });

  it('accepts the shipped example policy and the exception form', () => {
    const example = readFileSync(new URL('../../examples/geo-permissions.yml', import.meta.url), 'utf8');
    expect(errorsOf(example)).toEqual([]);
    const exception = policyWith({
      groups: { core: ['US', '{ country: ZA, expires: 2028-12-31, ticket: 42 }'] },
    });
    expect(errorsOf(exception)).toEqual([]);
    const badDate = policyWith({ groups: { core: ['{ country: ZA, expires: 2028-13-01 }'] } });
    expect(flagged(badDate)).toEqual(['/groups/core/0', '/groups/core/0/expires']);
  });
});

describe('policy JSON Schema, as yaml-language-server (a real editor backend) reads it over stdio', () => {
  let dir: string;
  let server: YamlLanguageServer;
  const file = () => path.join(dir, 'geo-permissions.yml');
  // As a consumer's repository would: the schema beside the policy, found through the modeline.
  const modeline = '# yaml-language-server: $schema=./schema/policy.schema.json';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'geo-schema-'));
    mkdirSync(path.join(dir, 'schema'));
    writeFileSync(path.join(dir, 'schema', 'policy.schema.json'), JSON.stringify(schema));
    server = await YamlLanguageServer.start(dir);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('flags UK, Germany, gb and continent:EUROP, each with the message of its form', async () => {
    const text = `${modeline}\n${policyWith({ messaging: ['US', 'UK', 'Germany', 'gb', 'continent:EUROP', 'core'] })}`;
    const diagnostics = await server.diagnose(file(), text);
    const line = text.split('\n').findIndex((l) => l.includes('messaging:'));
    const at = (word: string) => text.split('\n')[line]!.indexOf(word);
    expect(diagnostics.map((d) => [d.range.start.line, d.range.start.character])).toEqual(
      ['UK', 'Germany', 'gb', 'continent:EUROP'].map((w) => [line, at(w)]),
    );
    const [uk, germany, gb, europ] = diagnostics.map((d) => d.message);
    expect(uk).toMatch(/^Not a country code Twilio lists: .*GB \(not UK or gb\)/);
    expect(gb).toBe(uk);
    expect(germany).toMatch(/DE, not Germany/);
    expect(europ).toBe(`Not a continent: write continent: and one of ${CONTINENTS.join(', ')}.`);
  });

  it('says why CA is refused in a voice list, and accepts the shipped example without a diagnostic', async () => {
    const voice = await server.diagnose(file(), `${modeline}\n${policyWith({ voice: ['CA'] })}`);
    expect(voice.map((d) => d.message)).toEqual([
      expect.stringMatching(/Voice has no CA: US "United States\/Canada"/),
    ]);
    const example = readFileSync(new URL('../../examples/geo-permissions.yml', import.meta.url), 'utf8');
    expect(await server.diagnose(file(), example.replace(/^# yaml-language-server: .*/, modeline))).toEqual(
      [],
    );
  });

  it('completes country codes with their names, and no CA in a voice list', async () => {
    const text = `${modeline}\n${policyWith({ messaging: ['US', ''], voice: ['US', ''] })}`;
    await server.diagnose(file(), text);
    const lines = text.split('\n');
    const complete = async (key: string) => {
      const line = lines.findIndex((l) => l.includes(key));
      const items = await server.complete(file(), line, lines[line]!.indexOf(']'));
      return new Map(
        items.map((i) => [
          i.label,
          typeof i.documentation === 'string' ? i.documentation : i.documentation?.value,
        ]),
      );
    };
    const messaging = await complete('messaging:');
    expect(messaging.get('DE')).toBe('Germany');
    expect(messaging.get('CA')).toBe('Canada');
    expect(messaging.has('continent:EUROPE')).toBe(true);
    const voice = await complete('low_risk:');
    expect(voice.get('US')).toBe('United States/Canada');
    expect(voice.has('CA')).toBe(false);
  });
});

describe('examples/geo-permissions.yml', () => {
  const text = readFileSync(new URL('../../examples/geo-permissions.yml', import.meta.url), 'utf8');

  it('points editors at the shipped schema', () => {
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/policy.schema.json');
  });

  it('is valid', () => {
    const result = loadPolicy(text, 'examples/geo-permissions.yml', {
      now: new Date('2026-11-25T00:00:00Z'),
      mode: 'validate',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.desired?.accounts.map((a) => a.name)).toEqual(['production', 'support-eu', 'marketing']);
  });
});
