import { formatDiagnostic } from '../model/diagnostics.js';
import { PolicyFileError, readPolicyFile } from '../policy/read-file.js';
import { loadPolicy } from '../policy/load.js';
import type { CliIO } from './io.js';

/**
 * Reads the policy at `absolute`, loads it under the name the user wrote (`shown`), and prints every
 * diagnostic to stderr; null (after printing why) when the file cannot be read.
 */
export async function readAndLoadPolicy(
  io: CliIO,
  shown: string,
  absolute: string,
  options: Parameters<typeof loadPolicy>[2],
): Promise<ReturnType<typeof loadPolicy> | null> {
  let text: string;
  try {
    ({ text } = await readPolicyFile(absolute, 'pass --policy FILE'));
  } catch (err) {
    if (!(err instanceof PolicyFileError)) throw err;
    io.stderr.write(err.message.replace(absolute, shown) + '\n');
    return null;
  }
  const loaded = loadPolicy(text, shown, options);
  for (const d of loaded.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
  return loaded;
}
