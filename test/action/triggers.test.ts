import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/action/context.js';
import { resolveMode } from '../../src/action/mode.js';
import { PreflightError, preflight } from '../../src/action/preflight.js';
import { readActionSettings } from '../../src/action/settings.js';
import {
  readCheckedOutHead,
  whyNoApply,
  whyNoExpiryClose,
  whyNoRevert,
  whyNoTargetPlan,
} from '../../src/action/triggers.js';

const repository = { full_name: 'acme/telephony', default_branch: 'main' };
const ctx = (eventName: string, over: Partial<RunContext> = {}): RunContext => ({
  eventName,
  payload: { repository },
  payloadError: null,
  owner: 'acme',
  repo: 'telephony',
  sha: 'c0ffee0000000000000000000000000000000000',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  runId: '4242',
  runAttempt: '1',
  tempDir: '/tmp',
  ...over,
});
const target = (headSha: string) =>
  ctx('pull_request_target', {
    payload: { repository, pull_request: { number: 7, head: { sha: headSha } } },
  });
const settings = (inputs: Record<string, string> = {}) =>
  readActionSettings((name) => ({ 'github-token': 'ghs_x', ...inputs })[name] ?? '');
const decide = (mode: 'plan' | 'apply' | 'drift' | 'validate', c: RunContext) => resolveMode(mode, c, true);

describe('whyNoApply: only a push or a dispatch of the default branch applies', () => {
  it('lets a push and a dispatch of the default branch apply', () => {
    expect(whyNoApply(ctx('push'))).toBeNull();
    expect(whyNoApply(ctx('workflow_dispatch'))).toBeNull();
  });
  it.each([
    ['pull_request_target', /not on pull_request_target; .*Plan the pull request instead/],
    ['pull_request', /not on pull_request; /],
    ['schedule', /not on schedule; .*mode: drift with on-drift: revert/],
    ['release', /not on release; .*on: push to the default branch/],
    ['', /not on \(no event\)/],
  ])('refuses %s, saying what to run instead', (event, message) => {
    expect(whyNoApply(ctx(event))).toMatch(message);
  });
  it('refuses another branch, and a payload it could not read, naming why', () => {
    expect(whyNoApply(ctx('push', { ref: 'refs/heads/feature' }))).toMatch(
      /and refs\/heads\/feature is not the default branch main; nothing was read or written\. Merge/,
    );
    const unread = ctx('workflow_dispatch', {
      payload: {},
      payloadError: 'the event payload e.json is not valid JSON',
    });
    expect(whyNoApply(unread)).toMatch(
      /names no default branch.*\(the event payload e\.json is not valid JSON\)/,
    );
  });
});

describe('whyNoRevert: on-drift: revert writes on a schedule or a dispatch of the default branch', () => {
  it('lets a schedule and a default-branch dispatch revert', () => {
    expect(whyNoRevert(ctx('schedule', { ref: '' }))).toBeNull();
    expect(whyNoRevert(ctx('workflow_dispatch'))).toBeNull();
  });
  it('refuses pull_request_target (its GITHUB_REF is the base branch), a push, and another branch', () => {
    expect(whyNoRevert(ctx('pull_request_target'))).toMatch(
      /not on pull_request_target; nothing was reverted/,
    );
    expect(whyNoRevert(ctx('push'))).toMatch(/not on push/);
    expect(whyNoRevert(ctx('workflow_dispatch', { ref: 'refs/heads/x' }))).toMatch(
      /writes only from the default branch, and refs\/heads\/x is not the default branch main/,
    );
  });
});

describe('whyNoExpiryClose: expired exceptions close where a revert may write, and nowhere else', () => {
  it('lets a schedule and a default-branch dispatch close them', () => {
    expect(whyNoExpiryClose(ctx('schedule', { ref: '' }))).toBeNull();
    expect(whyNoExpiryClose(ctx('workflow_dispatch'))).toBeNull();
  });
  it.each([
    ['pull_request', ctx('pull_request'), /a drift scan on pull_request writes nothing/],
    // Its GITHUB_REF is the base branch, and a fork's pull request may trigger it.
    ['pull_request_target', ctx('pull_request_target'), /on pull_request_target writes nothing/],
    ['push', ctx('push'), /on push writes nothing/],
    ['no event', ctx(''), /on \(no event\) writes nothing/],
    [
      'a dispatch of another branch',
      ctx('workflow_dispatch', { ref: 'refs/heads/x' }),
      /refs\/heads\/x is not the default branch main, and only the default branch's policy/,
    ],
    [
      'a dispatch whose payload names no default branch',
      ctx('workflow_dispatch', { payload: {} }),
      /names no default branch/,
    ],
  ])('refuses %s', (_name, c, why) => {
    expect(whyNoExpiryClose(c)).toMatch(why);
  });
});

describe('whyNoTargetPlan: pull_request_target plans only a checkout of the pull request head', () => {
  const head = 'a'.repeat(40);
  it('plans every other event without looking at the checkout', () => {
    const never = () => {
      throw new Error('read');
    };
    expect(whyNoTargetPlan(ctx('pull_request'), 'p.yml', never)).toBeNull();
  });
  it('plans the head when it is what is checked out', () => {
    expect(whyNoTargetPlan(target(head), 'p.yml', () => ({ sha: head, error: null }))).toBeNull();
  });
  it('validates the base branch checkout, or one git cannot read, saying what to do instead', () => {
    expect(whyNoTargetPlan(target(head), 'p.yml', () => ({ sha: 'b'.repeat(40), error: null }))).toMatch(
      /GITHUB_SHA c0ffee0\), and the checked-out commit bbbbbbb is not the pull request head aaaaaaa: .*validated only.*on: pull_request/,
    );
    expect(
      whyNoTargetPlan(target(head), 'p.yml', () => ({ sha: null, error: 'fatal: not a git repository' })),
    ).toMatch(/a checkout that git could not read \(fatal: not a git repository\)/);
    expect(whyNoTargetPlan(ctx('pull_request_target'), 'p.yml')).toMatch(/names no pull request head/);
  });
  it('never plans a fork head, whose policy would be read with the base repository secrets', () => {
    const fork = ctx('pull_request_target', {
      payload: {
        repository,
        pull_request: { number: 7, head: { sha: head, repo: { full_name: 'eve/telephony', fork: true } } },
      },
    });
    expect(whyNoTargetPlan(fork, 'p.yml', () => ({ sha: head, error: null }))).toMatch(
      /^pull_request_target of a fork \(eve\/telephony\): its policy would be read with this repository's secrets, so the policy was validated only/,
    );
  });
  it('reads the checkout the policy file lives in, and says why when there is none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-nogit-'));
    const read = readCheckedOutHead(path.join(dir, 'p.yml'));
    expect(read.sha).toBeNull();
    expect(read.error).toMatch(/not a git repository/);
    expect(readCheckedOutHead(path.join(import.meta.dirname, 'x.yml')).sha).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('preflight: what the mode needs, before any request', () => {
  it('turns a pull_request_target plan of the base branch into validate, with the reason', () => {
    const d = preflight(decide('plan', target('a'.repeat(40))), settings(), target('a'.repeat(40)), () => ({
      sha: 'b'.repeat(40),
      error: null,
    }));
    expect(d).toMatchObject({ mode: 'validate', noCredentials: false });
    expect(d.reason).toMatch(/^pull_request_target runs on the base branch/);
  });
  it('fails a pull request plan whose payload names no pull request, unless comment: false', () => {
    const unread = ctx('pull_request', {
      payload: {},
      payloadError: 'the event payload e.json is not valid JSON',
    });
    expect(() => preflight(decide('plan', unread), settings(), unread)).toThrowError(
      /names no pull request, so the plan was not commented \(the event payload e\.json is not valid JSON\); nothing was read/,
    );
    expect(preflight(decide('plan', unread), settings({ comment: 'false' }), unread).mode).toBe('plan');
    expect(preflight(decide('plan', ctx('push')), settings(), ctx('push')).mode).toBe('plan');
  });
  it('fails an apply without a token, a repository or a commit, or on the wrong trigger', () => {
    const c = ctx('push');
    expect(preflight(decide('apply', c), settings(), c).mode).toBe('apply');
    expect(() => preflight(decide('apply', c), settings({ 'github-token': '' }), c)).toThrowError(
      /^github-token is required to apply: .*pull-requests: write$/,
    );
    expect(() => preflight(decide('apply', c), settings(), { ...c, owner: '' })).toThrowError(
      /github-token is required to apply \(and GITHUB_REPOSITORY is not set\)/,
    );
    expect(() => preflight(decide('apply', c), settings(), { ...c, sha: '' })).toThrowError(
      /GITHUB_SHA is not set/,
    );
    expect(() => preflight(decide('apply', target('a')), settings(), target('a'))).toThrowError(
      PreflightError,
    );
  });
  it('leaves validate and drift as they are', () => {
    expect(preflight(decide('validate', ctx('')), settings(), ctx('')).mode).toBe('validate');
    const drift = ctx('pull_request_target');
    expect(preflight(decide('drift', drift), settings({ 'github-token': '' }), drift).mode).toBe('drift');
  });
});

describe('allow-unreviewed-enables', () => {
  it('is false unless set, and takes only true or false', () => {
    expect(settings().allowUnreviewedEnables).toBe(false);
    expect(settings({ 'allow-unreviewed-enables': 'true' }).allowUnreviewedEnables).toBe(true);
    expect(() => settings({ 'allow-unreviewed-enables': 'yes' })).toThrowError(
      /allow-unreviewed-enables must be true or false, got "yes"/,
    );
  });
});
