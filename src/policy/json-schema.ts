import * as z from 'zod';
import { policySchema } from './schema.js';

/** The JSON Schema editors use to complete and check the policy file, generated from the zod schema. */
export function policyJsonSchema(): object {
  return {
    ...z.toJSONSchema(policySchema, { target: 'draft-2020-12', io: 'input', reused: 'ref' }),
    $id: 'https://github.com/twilio-geo-permissions/schema/policy.schema.json',
    title: 'geo-permissions.yml',
  };
}
