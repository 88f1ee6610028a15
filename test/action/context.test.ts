import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRunContext } from '../../src/action/context.js';
import { notOnDefaultBranch, resolveMode } from '../../src/action/mode.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'geo-context-'));
});

async function contextWith(eventName: string, payloadText: string) {
  const file = path.join(dir, `${eventName}-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, payloadText);
  return readRunContext({
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: file,
    GITHUB_REF: 'refs/heads/main',
  });
}

describe('readRunContext', () => {
  it('reads a well-formed payload without a problem', async () => {
    const ctx = await contextWith('pull_request', JSON.stringify({ pull_request: { number: 7 } }));
    expect(ctx.payloadError).toBeNull();
    expect(ctx.payload.pull_request?.number).toBe(7);
  });

  it('says why a malformed payload is read as empty, naming the file', async () => {
    const ctx = await contextWith('pull_request', '{"pull_request": {"number": 7');
    expect(ctx.payload).toEqual({});
    expect(ctx.payloadError).toMatch(/^the event payload .*pull_request-.*\.json is not valid JSON: /);
  });

  it('rejects a payload that is JSON but not an object', async () => {
    const ctx = await contextWith('push', '[1, 2]');
    expect(ctx.payload).toEqual({});
    expect(ctx.payloadError).toMatch(/is not a JSON object$/);
  });

  it('says so when the payload file is missing', () => {
    const ctx = readRunContext({ GITHUB_EVENT_PATH: path.join(tmpdir(), 'geo-no-such-event.json') });
    expect(ctx.payloadError).toMatch(/could not be read: ENOENT/);
  });

  it('has no problem when the runner gives no payload path (a local run)', () => {
    expect(readRunContext({}).payloadError).toBeNull();
  });
});

describe('resolveMode with an unreadable payload', () => {
  it('fails a push under auto rather than guess whether it is to the default branch', async () => {
    const ctx = await contextWith('push', 'not json');
    expect(() => resolveMode('auto', ctx, true)).toThrowError(
      /cannot tell whether this push is to the default branch: the event payload .* is not valid JSON/,
    );
  });

  it('still plans a pull request (the plan flow then fails for want of its number)', async () => {
    const ctx = await contextWith('pull_request', 'not json');
    expect(resolveMode('auto', ctx, true).mode).toBe('plan');
  });
});

describe('notOnDefaultBranch', () => {
  const repository = { full_name: 'acme/telephony', default_branch: 'main' };
  it('lets a schedule, and a run on the default branch, write', async () => {
    expect(notOnDefaultBranch(await contextWith('schedule', '{}'))).toBeNull();
    expect(
      notOnDefaultBranch(await contextWith('workflow_dispatch', JSON.stringify({ repository }))),
    ).toBeNull();
  });
  it('refuses another branch, a pull request ref, or a payload without a default branch', async () => {
    const other = { ...(await contextWith('workflow_dispatch', JSON.stringify({ repository }))) };
    expect(notOnDefaultBranch({ ...other, ref: 'refs/heads/feature' })).toMatch(
      /not the default branch main/,
    );
    expect(notOnDefaultBranch({ ...other, eventName: 'pull_request', ref: 'refs/pull/7/merge' })).toMatch(
      /not the default branch/,
    );
    expect(notOnDefaultBranch(await contextWith('push', '{}'))).toMatch(/names no default branch/);
  });
});
