import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_POLICY_BYTES } from '../policy/parse.js';

/** A policy file that cannot be read: the message is already in `FILE:1:1: error: ...` form. */
export class PolicyFileError extends Error {}

/**
 * Reads the policy for any command. Refuses a missing file or one over 1 MiB before reading it,
 * with a message in the diagnostic format so editors and CI logs link it.
 */
export async function readPolicyFile(file: string): Promise<{ text: string; file: string }> {
  const fail = (message: string) => new PolicyFileError(`${file}:1:1: error: ${message}`);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw fail('this path is not a file: pass the policy file with --policy FILE');
    size = info.size;
  } catch (err) {
    if (err instanceof PolicyFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw fail(
        `policy file not found (looked in ${path.dirname(path.resolve(file))}): create it or pass --policy FILE`,
      );
    }
    throw fail(`cannot read the policy file (${code ?? 'unknown error'}): check its permissions`);
  }
  if (size > MAX_POLICY_BYTES) {
    throw fail(
      `the file is ${size} bytes, over the 1 MiB (${MAX_POLICY_BYTES} bytes) limit for a policy: use groups and continents instead of long lists`,
    );
  }
  try {
    return { text: await readFile(file, 'utf8'), file };
  } catch (err) {
    throw fail(`cannot read the policy file (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
}
