import path from 'node:path';
import { hasErrors } from '../../model/diagnostics.js';
import { readAndLoadPolicy } from '../../policy/read-file.js';
import { DEFAULT_POLICY_FILE } from '../../model/defaults.js';
import { POLICY_HINT, readArgs } from '../flags.js';
import { printDiagnostics, type Command } from '../io.js';

const HELP = `Usage: geo-permissions validate [--policy FILE]

Checks the policy file without any network access and prints every problem as
FILE:LINE:COL: error|warning: MESSAGE on stderr.

Options:
  --policy FILE  the policy file (default: geo-permissions.yml)

Exit status: 0 valid (warnings allowed), 1 invalid.
`;

export const validateCommand: Command = async (args, io) => {
  const parsed = readArgs('validate', args, ['policy']);
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const policy = parsed.values.policy ?? DEFAULT_POLICY_FILE;
  // Messages name the file as the user wrote it; reading resolves it against the injected cwd.
  const { desired, diagnostics, readable } = await readAndLoadPolicy(path.resolve(io.cwd, policy), {
    shown: policy,
    pointAt: POLICY_HINT,
    now: new Date(),
    mode: 'validate',
  });
  printDiagnostics(io, diagnostics);
  if (!readable) return 1;
  if (!desired || hasErrors(diagnostics)) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.stderr.write(`${policy}: invalid, ${errors} error${errors === 1 ? '' : 's'}\n`);
    return 1;
  }
  const n = desired.accounts.length;
  const warnings = diagnostics.length;
  io.stdout.write(
    `${policy}: valid, ${n} account${n === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`,
  );
  return 0;
};
