import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../src/policy/json-schema.js';
import { loadPolicy } from '../../src/policy/load.js';

describe('policy JSON Schema', () => {
  const schema = policyJsonSchema() as {
    $schema: string;
    properties: Record<string, unknown>;
    required: string[];
    additionalProperties: boolean;
  };

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
    ]);
    expect(schema.required).toEqual(['version', 'accounts']);
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).toContain('^AC[0-9a-f]{32}$');
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
