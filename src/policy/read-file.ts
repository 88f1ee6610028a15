// Policy path -> desired state for the CLI and the action alike: the one file of the core that touches
// the disk (confinement, type and size checks before reading), handing the text to the pure loader.
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../model/diagnostics.js';
import { formatDiagnostic, visible } from '../model/diagnostics.js';
import { MAX_POLICY_BYTES } from '../model/limits.js';
import { loadPolicy, type LoadMode, type LoadResult } from './load.js';

/** A policy file that cannot be read, as the one diagnostic to report (its message is `FILE:1:1: error: ...`). */
export class PolicyFileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
  }
}

/** Where the action may read: only regular files inside the workspace, reached without a symbolic link. */
export interface Confinement {
  /** The checked-out repository (GITHUB_WORKSPACE); relative policy paths are read from here. */
  workspace: string;
}

/** Pseudo-file systems: their files look regular (size 0) but hold the process's environment, memory, devices. */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev'];

// Opening never waits for a FIFO's writer nor takes a terminal; the action never follows a last link.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

type Fail = (message: string) => PolicyFileError;

/**
 * Reads the policy text. Refuses, before reading a byte: a missing file, anything but a regular file
 * (a directory, a FIFO, a socket, a device), a file of /proc, /sys or /dev, and one over 1 MiB. With
 * `confine` (the action), also a path outside the workspace and any symbolic link on the way.
 * `pointAt` tells the user how to name the file in their front end (e.g. "pass --policy FILE").
 */
export async function readPolicyFile(
  file: string,
  pointAt: string,
  confine?: Confinement,
): Promise<{ text: string; file: string }> {
  const fail: Fail = (message) =>
    new PolicyFileError({
      severity: 'error',
      message: visible(message),
      location: { file, line: 1, column: 1 },
    });
  const target = confine ? await confinedPath(file, confine.workspace, pointAt, fail) : file;
  const info = await checkedStat(target, pointAt, fail);
  try {
    return { text: await readRegularFile(target, info, confine ? NO_FOLLOW : 0, fail), file };
  } catch (err) {
    if (err instanceof PolicyFileError) throw err;
    throw fail(cannotRead(err));
  }
}

/** The type and size checks, on the file a path leads to (a CLI user's symbolic link is followed). */
async function checkedStat(file: string, pointAt: string, fail: Fail): Promise<Stats> {
  let info: Stats;
  let real: string;
  try {
    info = await stat(file);
    real = await realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw fail(
        `policy file not found (looked in ${path.dirname(path.resolve(file))}): create it or ${pointAt}`,
      );
    }
    throw fail(cannotRead(err));
  }
  if (!info.isFile()) throw fail(`this path is ${kindOf(info)}: ${pointAt}`);
  const system = SYSTEM_DIRS.find((dir) => real === dir || real.startsWith(dir + '/'));
  if (system) {
    throw fail(`this path is a file of the system (under ${system}), not a policy file: ${pointAt}`);
  }
  if (info.size > MAX_POLICY_BYTES) throw fail(tooLarge(info.size));
  return info;
}

/**
 * Reads through the handle it checks: fstat must find the regular file stat found (not one swapped in
 * since), and at most MAX_POLICY_BYTES + 1 bytes are read whatever size the file claims.
 */
async function readRegularFile(
  file: string,
  checked: Stats,
  extraFlags: number,
  fail: Fail,
): Promise<string> {
  const handle = await open(file, OPEN_FLAGS | extraFlags);
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.ino !== checked.ino || info.dev !== checked.dev) {
      throw fail('the policy file changed while it was being read: run again');
    }
    // Sized by what the file claims, grown when it holds more (a /proc file claims 0 bytes).
    let buffer = Buffer.allocUnsafe(Math.min(MAX_POLICY_BYTES, info.size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_POLICY_BYTES) throw fail(tooLarge(null));
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

/**
 * The path the action reads: inside the workspace, and no symbolic link on the way from it. A pull
 * request can commit a link, and a link can reach the runner's secrets (/proc/self/environ, or the job
 * token that actions/checkout keeps in the workspace's .git/config), so the action follows none.
 */
async function confinedPath(file: string, workspace: string, pointAt: string, fail: Fail): Promise<string> {
  const root = path.resolve(workspace);
  const target = path.resolve(root, file);
  const relative = path.relative(root, target);
  if (isOutside(relative)) {
    throw fail(
      `the policy path is outside the workspace (an absolute path or ".."); the action reads only files inside the workspace: ${pointAt}`,
    );
  }
  let step = root;
  for (const part of relative.split(path.sep)) {
    step = path.join(step, part);
    const link = await isSymbolicLink(step);
    if (link === null) break; // missing: reported as not found
    if (link) {
      throw fail(
        `the policy path is a symbolic link or goes through one; the action reads only regular files inside the workspace, never through a link: ${pointAt}, naming the file itself`,
      );
    }
  }
  await checkInside(root, target, pointAt, fail);
  return target;
}

/** True for a link, false for anything else, null when the path does not exist. */
async function isSymbolicLink(file: string): Promise<boolean | null> {
  try {
    return (await lstat(file)).isSymbolicLink();
  } catch (err) {
    // Missing: reported as not found; unreadable: reported by the stat that follows.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : false;
  }
}

/** A path relative to the workspace that climbs out of it (or is on another drive). */
function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative);
}

/** The same containment on the resolved paths, should the workspace itself be reached through links. */
async function checkInside(root: string, target: string, pointAt: string, fail: Fail): Promise<void> {
  let realRoot: string;
  let realTarget: string;
  try {
    [realRoot, realTarget] = await Promise.all([realpath(root), realpath(target)]);
  } catch {
    return; // a missing file or workspace is reported by the checks that follow
  }
  if (isOutside(path.relative(realRoot, realTarget))) {
    throw fail(
      `the policy path leads outside the workspace; the action reads only files inside it: ${pointAt}`,
    );
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'not a file';
  if (info.isFIFO()) return 'a named pipe (FIFO), not a file';
  if (info.isSocket()) return 'a socket, not a file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device, not a file';
  return 'not a regular file';
}

/** `bytes` null: the file grew past the limit while it was read (or claims a size of 0, as /proc files do). */
function tooLarge(bytes: number | null): string {
  const size = bytes === null ? '' : ` ${bytes} bytes,`;
  return `the file is${size} over the 1 MiB (${MAX_POLICY_BYTES} bytes) limit for a policy: use groups and continents instead of long lists`;
}

function cannotRead(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'the policy path is a symbolic link: name the file itself';
  return `cannot read the policy file (${code ?? 'unknown error'}): check its permissions`;
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
  /** The action: read only regular files inside this workspace, without following links. */
  confine?: Confinement;
}

export interface LoadedPolicyFile extends LoadResult {
  /** False when the file could not be read; the one diagnostic then says why. */
  readable: boolean;
  /** The text read, when readable: what the CLI's saved plan binds to (its sha256). */
  text?: string;
}

/**
 * Reads and loads the policy at `file`. A file that cannot be read is one error diagnostic on line 1,
 * not a throw, so both front ends report it like any other problem in the file.
 */
export async function readAndLoadPolicy(file: string, options: PolicyFileOptions): Promise<LoadedPolicyFile> {
  const shown = options.shown ?? file;
  let text: string;
  try {
    ({ text } = await readPolicyFile(file, options.pointAt, options.confine));
  } catch (err) {
    if (!(err instanceof PolicyFileError)) throw err;
    const location = { ...err.diagnostic.location, file: shown };
    return { desired: null, diagnostics: [{ ...err.diagnostic, location }], readable: false };
  }
  return { ...loadPolicy(text, shown, { now: options.now, mode: options.mode }), readable: true, text };
}
