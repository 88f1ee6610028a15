// Policy path -> desired state for the CLI and the action alike: the one file of the core that touches
// the disk (size and type checks before reading), handing the text to the pure loader.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostics.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { MAX_POLICY_BYTES } from '../model/limits.js';
import { loadPolicy, type LoadMode, type LoadResult } from './load.js';

/** A policy file that cannot be read, as the one diagnostic to report (its message is `FILE:1:1: error: ...`). */
export class PolicyFileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
  }
}

/**
 * Reads the policy text. Refuses a missing file, a directory, or one over 1 MiB before reading it.
 * `pointAt` tells the user how to name the file in their front end (e.g. "pass --policy FILE").
 */
export async function readPolicyFile(file: string, pointAt: string): Promise<{ text: string; file: string }> {
  const fail = (message: string) =>
    new PolicyFileError({ severity: 'error', message, location: { file, line: 1, column: 1 } });
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw fail(`this path is not a file: ${pointAt}`);
    size = info.size;
  } catch (err) {
    if (err instanceof PolicyFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw fail(
        `policy file not found (looked in ${path.dirname(path.resolve(file))}): create it or ${pointAt}`,
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

export interface PolicyFileOptions {
  /** The name diagnostics give the file, as the user wrote it (default: the path read). */
  shown?: string;
  /** How the user names the file in this front end, for a file that is missing or not a file. */
  pointAt: string;
  /** Injected so expiry is decided by the caller's clock. */
  now: Date;
  /** 'validate': expired exceptions are errors; 'plan': warnings. */
  mode: LoadMode;
}

export interface LoadedPolicyFile extends LoadResult {
  /** False when the file could not be read; the one diagnostic then says why. */
  readable: boolean;
}

/**
 * Reads and loads the policy at `file`. A file that cannot be read is one error diagnostic on line 1,
 * not a throw, so both front ends report it like any other problem in the file.
 */
export async function readAndLoadPolicy(file: string, options: PolicyFileOptions): Promise<LoadedPolicyFile> {
  const shown = options.shown ?? file;
  let text: string;
  try {
    ({ text } = await readPolicyFile(file, options.pointAt));
  } catch (err) {
    if (!(err instanceof PolicyFileError)) throw err;
    const location = { ...err.diagnostic.location, file: shown };
    return { desired: null, diagnostics: [{ ...err.diagnostic, location }], readable: false };
  }
  return { ...loadPolicy(text, shown, { now: options.now, mode: options.mode }), readable: true };
}
