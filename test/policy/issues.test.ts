import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { issuesToDiagnostics } from '../../src/policy/issues.js';
import { parseYaml } from '../../src/policy/parse.js';

/** Diagnostics for `text` checked against `schema`, as `LINE:COL: severity: message`. */
function diagnose(schema: z.ZodType, text: string): string[] {
  const result = parseYaml(text, 'p.yml');
  if (!result.ok) throw new Error('expected the YAML to parse');
  const check = schema.safeParse(result.parsed.value);
  if (check.success) return [];
  return issuesToDiagnostics(check.error.issues, schema, result.parsed).map((d) =>
    formatDiagnostic(d).replace(/^p\.yml:/, ''),
  );
}

// The policy schema cannot produce these issues (its one literal, version, is checked before), but
// issuesToDiagnostics takes any schema: each kind of issue still gets its own message.
describe('issuesToDiagnostics', () => {
  it('words each kind of issue the policy schema itself never raises', () => {
    const schema = z.object({
      name: z.string(),
      color: z.enum(['red', 'blue']),
      email: z.email(),
      code: z.string().max(3),
      step: z.number().refine((n) => n % 5 === 0, { message: 'not a multiple of 5' }),
    });
    expect(diagnose(schema, ['color: green', 'email: nope', 'code: abcd', 'step: 7', ''].join('\n'))).toEqual(
      [
        '1:1: error: missing required key "name" in the top level: add it; see the policy reference in README.md',
        '1:8: error: color must be "red" or "blue", not "green"',
        '2:8: error: email has an invalid format: see the policy reference in README.md for the expected form',
        '3:7: error: code is out of range: see the policy reference in README.md for the allowed values',
        '4:7: error: step: not a multiple of 5 (see the policy reference in README.md)',
      ],
    );
  });
});
