import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Runs the built dist/index.js as the runner does: INPUT_* (hyphens kept) with action.yml defaults
 * filled in, the GITHUB_* variables, and empty output and summary files. Nothing of the developer's
 * own environment leaks in except PATH.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
export const DIST = path.join(ROOT, 'dist/index.js');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

export interface ActionRunOptions {
  inputs?: Record<string, string>;
  eventName: string;
  event?: unknown;
  /** The payload file's text as is, instead of `event` (to test a malformed payload). */
  eventText?: string;
  /** Working directory (the checked-out repository). */
  cwd: string;
  githubApiUrl?: string;
  sha?: string;
  ref?: string;
  repository?: string;
  /** Called once the process runs (to send it signals). */
  onSpawn?: (child: ChildProcess) => void;
  /** Runner variables to set or override (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, ...), applied last. */
  env?: Record<string, string>;
}

async function actionDefaults(): Promise<Record<string, string>> {
  const doc = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(doc.inputs)) {
    if (spec.default === undefined) continue;
    // The runner evaluates expressions in defaults; ${{ github.token }} is the job token.
    out[name] = spec.default === '${{ github.token }}' ? 'ghs_e2e_job_token' : String(spec.default);
  }
  return out;
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` heredoc format. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i] ?? '');
    out[m[1] ?? ''] = value.join('\n');
  }
  return out;
}

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'geo-action-'));
  const files = Object.fromEntries(
    ['output', 'summary', 'env', 'state', 'path'].map((f) => [f, path.join(dir, f)]),
  );
  for (const f of Object.values(files)) await writeFile(f, '');
  const eventPath = path.join(dir, 'event.json');
  await writeFile(eventPath, options.eventText ?? JSON.stringify(options.event ?? {}));
  const inputs = { ...(await actionDefaults()), ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? 'acme/telephony',
    GITHUB_API_URL: options.githubApiUrl ?? 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: `${options.githubApiUrl ?? 'http://127.0.0.1:9'}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: options.sha ?? 'f00dfeed',
    GITHUB_REF: options.ref ?? 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_WORKFLOW: 'geo',
    GITHUB_JOB: 'geo',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: options.cwd,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: files.output!,
    GITHUB_STEP_SUMMARY: files.summary!,
    GITHUB_ENV: files.env!,
    GITHUB_STATE: files.state!,
    GITHUB_PATH: files.path!,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  Object.assign(env, options.env);

  const child = spawn(process.execPath, [DIST], { cwd: options.cwd, env });
  options.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(files.output!, 'utf8')),
    summary: await readFile(files.summary!, 'utf8'),
    dir,
  };
}
