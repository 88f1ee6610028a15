import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../core/diagnostics.js';
import type { DesiredState } from '../core/desired.js';
import { loadPolicy } from '../policy/load.js';

export interface LoadedPolicy {
  desired: DesiredState | null;
  diagnostics: Diagnostic[];
}

/** Reads the policy file and checks it; a missing file is one error diagnostic, not a crash. */
export async function loadPolicyFile(
  file: string,
  mode: 'validate' | 'plan',
  now: Date,
): Promise<LoadedPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      desired: null,
      diagnostics: [
        {
          severity: 'error',
          message:
            code === 'ENOENT'
              ? `policy file not found; set the action input "policy" to its path (relative to the workspace)`
              : `cannot read the policy file (${code ?? 'error'})`,
          location: { file, line: 1, column: 1 },
        },
      ],
    };
  }
  return loadPolicy(text, file, { now, mode });
}
