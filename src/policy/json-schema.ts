// Placeholder: replaced by the JSON Schema generated from the zod policy schema.
export function policyJsonSchema(): object {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' };
}
