import type { Diagnostic } from '../model/diagnostics.js';
import type { DesiredState } from '../model/desired.js';
import { PolicyFileError, readPolicyFile } from '../policy/read-file.js';
import { loadPolicy } from '../policy/load.js';

export interface LoadedPolicy {
  desired: DesiredState | null;
  diagnostics: Diagnostic[];
}

/** Reads the policy file and checks it; a file that cannot be read is one error diagnostic, not a crash. */
export async function loadPolicyFile(
  file: string,
  mode: 'validate' | 'plan',
  now: Date,
): Promise<LoadedPolicy> {
  let text: string;
  try {
    ({ text } = await readPolicyFile(
      file,
      'set the action input "policy" to its path (relative to the workspace)',
    ));
  } catch (err) {
    if (!(err instanceof PolicyFileError)) throw err;
    return { desired: null, diagnostics: [err.diagnostic] };
  }
  return loadPolicy(text, file, { now, mode });
}
