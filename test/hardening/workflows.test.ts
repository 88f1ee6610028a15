import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The example workflows use the concurrency groups docs/hardening.md recommends, and only real inputs. */
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'examples/workflows');
const load = (name: string) => parse(readFileSync(path.join(dir, name), 'utf8')) as Workflow;
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
  concurrency?: Concurrency;
  strategy?: { matrix?: { shard?: string[] } };
  steps: Step[];
}
interface Workflow {
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
