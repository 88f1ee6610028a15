import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeRepository, type FakeRepository } from './fake-github-repo.js';

const MAX_BODY = 65_536;
class BodyTooLong extends Error {}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

// Each request's body, read once: a fault may match on it before the route reads it.
const bodies = new WeakMap<IncomingMessage, Promise<Record<string, unknown>>>();
async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = bodies.get(req) ?? readBody(req);
  bodies.set(req, body);
  const parsed = await body;
  // GitHub refuses comment and issue bodies over 65,536 characters; so does the fake, so tests catch it.
  if (typeof parsed.body === 'string' && parsed.body.length > MAX_BODY) throw new BodyTooLong();
  return parsed;
}

/** Answers the first matching fault (true), or leaves the request to the routes (false). */
async function answerFault(
  faults: FakeFailure[],
  req: IncomingMessage,
  res: ServerResponse,
  prefix: string,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  const rest = new URL(req.url ?? '/', 'http://fake').pathname.slice(prefix.length);
  for (const f of faults) {
    if (f.count === 0 || (f.method && f.method !== method) || (f.path && !f.path.test(rest))) continue;
    if (f.bodyIncludes !== undefined) {
      const body = method === 'GET' ? {} : await readJson(req).catch(() => ({}) as Record<string, unknown>);
      if (typeof body.body !== 'string' || !body.body.includes(f.bodyIncludes)) continue;
    }
    if (f.count !== undefined) f.count--;
    send(res, f.status, {
      message: f.message ?? (f.status >= 500 ? 'Server Error' : 'Forbidden'),
      documentation_url: 'https://docs.github.com/rest',
    });
    return true;
  }
  return false;
}

/**
 * A fake GitHub REST server on 127.0.0.1 with in-memory issues, comments, labels, commit -> pull request
 * links, and a repository of branches, files and pull requests (fake-github-repo.ts). Lists paginate
 * with Link headers like the real API.
 */
export const BOT = 'github-actions[bot]';

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  user: string;
  pull_request: boolean;
  created_at: string;
  closed_at: string | null;
}
export interface FakePull {
  number: number;
  merged: boolean;
  merge_commit_sha: string | null;
}
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization: string | undefined;
}

/**
 * One injected failure: a request matching every given field answers `status` with GitHub's error shape
 * (`{"message", "documentation_url"}`) and is not processed. It stays until removed from `failures` (or
 * `count` answers), so a client's retries fail too, as in an outage.
 */
export interface FakeFailure {
  method?: string;
  /** Tested against the path after `/repos/{owner}/{repo}`. */
  path?: RegExp;
  /** Only a write whose JSON `body` field contains this text (the write that records a result, say). */
  bodyIncludes?: string;
  status: number;
  message?: string;
  count?: number;
}

/** Who a token is, as GET /user and GraphQL `viewer` answer it. */
export interface FakeIdentity {
  login: string;
  /**
   * An installation token (GITHUB_TOKEN, a GitHub App's token): GET /user answers 403 "Resource not
   * accessible by integration", GraphQL `viewer` answers the bot login. Otherwise a user token (a PAT).
   */
  installation: boolean;
}

/**
 * A GitHub answer the in-memory API never gives on its own, for the requests matching `method` and
 * `path` (a substring of the path; default: all), `count` times (default: every time):
 * - `primary-rate-limit`: `status` (403 default, or 429) with `x-ratelimit-remaining: 0` and
 *   `x-ratelimit-reset` `resetInSeconds` from now (default 0), GitHub's "API rate limit exceeded" body;
 * - `secondary-rate-limit`: `status` (403 default, or 429) with `retry-after: retryAfter` (default 1) and
 *   GitHub's "You have exceeded a secondary rate limit" body (`message` replaces it, e.g. to test an
 *   answer that only the header marks);
 * - `hang`: never answers (the socket is held until the fake closes);
 * - `forbidden`: 403 "Resource not accessible by integration", as for a fork pull request's token.
 */
export interface FakeFault {
  kind: 'primary-rate-limit' | 'secondary-rate-limit' | 'hang' | 'forbidden';
  method?: string;
  path?: string;
  count?: number;
  status?: 403 | 429;
  retryAfter?: number;
  resetInSeconds?: number;
  message?: string;
}

export interface FakeGitHub {
  url: string;
  owner: string;
  repo: string;
  issues: FakeIssue[];
  comments: FakeComment[];
  labels: Set<string>;
  /** commit sha -> pull requests, answered by GET /commits/{sha}/pulls. */
  commitPulls: Map<string, FakePull[]>;
  requests: RequestRecord[];
  /** When true, every write (POST/PATCH) answers 403 as it does for a fork PR's read-only token. */
  readOnly: boolean;
  /** Injected error answers, checked before any route (see FakeFailure). */
  failures: FakeFailure[];
  /** Token -> identity; a token not listed is an installation token of `github-actions[bot]` (GITHUB_TOKEN). */
  identities: Map<string, FakeIdentity>;
  /** Answers injected before the API handles a request (see FakeFault), first match first. */
  faults: FakeFault[];
  /** Branches, files and pull requests, and the job token's `contents` and `pull-requests` permissions. */
  repository: FakeRepository;
  addIssue(partial: Partial<FakeIssue> & { title: string }): FakeIssue;
  addComment(issue: number, body: string, user?: string): FakeComment;
  commentsOn(issue: number): FakeComment[];
  /** Requests other than GET, GraphQL queries left out (the fake answers only `viewer`, a read). */
  writes(): RequestRecord[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { owner?: string; repo?: string } = {}): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'telephony';
  let nextId = 1000;
  let clock = Date.parse('2026-11-01T00:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();

  const state: Omit<FakeGitHub, 'url' | 'close' | 'repository'> = {
    owner,
    repo,
    issues: [],
    comments: [],
    labels: new Set(),
    commitPulls: new Map(),
    requests: [],
    readOnly: false,
    failures: [],
    identities: new Map(),
    faults: [],
    addIssue(partial) {
      const number = state.issues.length + 1;
      const issue: FakeIssue = {
        number,
        body: '',
        state: 'open',
        state_reason: null,
        labels: [],
        user: BOT,
        pull_request: false,
        created_at: now(),
        closed_at: null,
        ...partial,
      };
      state.issues.push(issue);
      return issue;
    },
    addComment(issue, body, user = BOT) {
      const c = { id: nextId++, issue, body, user };
      state.comments.push(c);
      return c;
    },
    commentsOn: (issue) => state.comments.filter((c) => c.issue === issue),
    writes: () => state.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql'),
  };
  const identify = (authorization: string | undefined): FakeIdentity =>
    state.identities.get((authorization ?? '').replace(/^(token|bearer) /i, '')) ?? {
      login: BOT,
      installation: true,
    };
  const repository = fakeRepository({
    owner,
    repo,
    apiBase: () => base,
    html: (p) => html(p),
    now,
    send,
    readJson,
    page: (url, res, items) => page(url, res, items),
    identify: (req) => identify(req.headers.authorization),
    issues: () => state.issues,
    addPullIssue: (fields) => state.addIssue({ ...fields, pull_request: true }),
  });
  // The primary rate limit of GITHUB_TOKEN: 1,000 requests an hour; every answer carries the x-ratelimit-* headers.
  const rateLimit = { limit: 1000, used: 0, reset: Math.ceil(Date.now() / 1000) + 3600 };

  let base = '';
  const html = (p: string) => `https://github.com/${owner}/${repo}${p}`;
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.user, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
    html_url: html(`/issues/${c.issue}#issuecomment-${c.id}`),
  });
  const issueJson = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    user: { login: i.user },
    labels: i.labels.map((name) => ({ name })),
    html_url: html(`/${i.pull_request ? 'pull' : 'issues'}/${i.number}`),
    created_at: i.created_at,
    closed_at: i.closed_at,
    ...(i.pull_request ? { pull_request: { url: `${base}/repos/${owner}/${repo}/pulls/${i.number}` } } : {}),
  });

  function page<T>(req: URL, res: ServerResponse, items: T[]): void {
    const perPage = Math.min(Number(req.searchParams.get('per_page') ?? 30), 100);
    const p = Number(req.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const u = new URL(req.toString());
      u.searchParams.set('page', String(n));
      return `<${base}${u.pathname}${u.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (p < last) links.push(link(p + 1, 'next'), link(last, 'last'));
    if (p > 1) links.push(link(1, 'first'), link(p - 1, 'prev'));
    if (links.length) res.setHeader('Link', links.join(', '));
    send(res, 200, items.slice((p - 1) * perPage, p * perPage));
  }

  /** Answers an injected fault; true when the request was taken (answered, or held unanswered). */
  function injectFault(method: string, path: string, res: ServerResponse): boolean {
    const fault = state.faults.find(
      (f) =>
        (f.count ?? Infinity) > 0 &&
        (!f.method || f.method === method) &&
        (f.path === undefined || path.includes(f.path)),
    );
    if (!fault) return false;
    fault.count = (fault.count ?? Infinity) - 1;
    // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
    switch (fault.kind) {
      case 'hang':
        return true;
      case 'forbidden':
        send(res, 403, { message: 'Resource not accessible by integration' });
        return true;
      case 'primary-rate-limit':
        res.setHeader('x-ratelimit-remaining', '0');
        res.setHeader('x-ratelimit-used', String(rateLimit.limit));
        res.setHeader(
          'x-ratelimit-reset',
          String(Math.ceil(Date.now() / 1000) + (fault.resetInSeconds ?? 0)),
        );
        send(res, fault.status ?? 403, {
          message: 'API rate limit exceeded for installation ID 4242.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
          status: String(fault.status ?? 403),
        });
        return true;
      case 'secondary-rate-limit':
        res.setHeader('retry-after', String(fault.retryAfter ?? 1));
        send(res, fault.status ?? 403, {
          message:
            fault.message ??
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222.',
          documentation_url:
            'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: String(fault.status ?? 403),
        });
        return true;
    }
  }

  /** GET /user and GraphQL `viewer`: who the token is (an installation token is no user). */
  async function handleIdentity(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const who = identify(req.headers.authorization);
    if (path === '/user' && req.method === 'GET') {
      // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
      if (who.installation)
        send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403',
        });
      else send(res, 200, { login: who.login, type: 'User' });
      return true;
    }
    if (path === '/graphql' && req.method === 'POST') {
      const { query } = await readJson(req);
      if (typeof query === 'string' && /\bviewer\s*\{\s*login\s*\}/.test(query))
        send(res, 200, { data: { viewer: { login: who.login } } });
      else
        send(res, 200, { errors: [{ message: 'the fake GitHub answers only query { viewer { login } }' }] });
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const prefix = `/repos/${owner}/${repo}`;
    const path = url.pathname;
    const notFound = () => send(res, 404, { message: 'Not Found' });
    rateLimit.used++;
    res.setHeader('x-ratelimit-limit', String(rateLimit.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, rateLimit.limit - rateLimit.used)));
    res.setHeader('x-ratelimit-used', String(rateLimit.used));
    res.setHeader('x-ratelimit-reset', String(rateLimit.reset));
    res.setHeader('x-ratelimit-resource', path === '/graphql' ? 'graphql' : 'core');
    if (injectFault(method, path, res)) return;
    if (await handleIdentity(req, res, path)) return;
    if (!path.startsWith(prefix)) return notFound();
    const rest = path.slice(prefix.length);
    if (method !== 'GET' && state.readOnly)
      return send(res, 403, { message: 'Resource not accessible by integration' });
    if (await repository.handle(req, res, url, rest)) return;

    let m: RegExpExecArray | null;
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      if (method === 'GET') return page(url, res, state.commentsOn(issue).map(commentJson));
      if (method === 'POST') {
        const body = await readJson(req);
        const author = identify(req.headers.authorization).login;
        return send(res, 201, commentJson(state.addComment(issue, String(body.body), author)));
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const c = state.comments.find((x) => x.id === Number(m![1]));
      if (!c) return notFound();
      c.body = String((await readJson(req)).body);
      return send(res, 200, commentJson(c));
    }
    if (rest === '/issues') {
      if (method === 'GET') {
        const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const st = url.searchParams.get('state') ?? 'open';
        const creator = url.searchParams.get('creator');
        const items = state.issues.filter(
          (i) =>
            wanted.every((l) => i.labels.includes(l)) &&
            (st === 'all' || i.state === st) &&
            (!creator || i.user === creator),
        );
        return page(url, res, items.map(issueJson));
      }
      if (method === 'POST') {
        const body = await readJson(req);
        const labels = (body.labels as string[] | undefined) ?? [];
        for (const l of labels) state.labels.add(l);
        const issue = state.addIssue({
          title: String(body.title),
          body: String(body.body ?? ''),
          labels,
          user: identify(req.headers.authorization).login,
        });
        return send(res, 201, issueJson(issue));
      }
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return notFound();
      if (method === 'GET') return send(res, 200, issueJson(issue));
      if (method === 'PATCH') {
        const body = await readJson(req);
        if (typeof body.title === 'string') issue.title = body.title;
        if (typeof body.body === 'string') issue.body = body.body;
        if (body.state === 'open' || body.state === 'closed') {
          issue.state = body.state;
          issue.closed_at = body.state === 'closed' ? now() : null;
        }
        if (typeof body.state_reason === 'string') issue.state_reason = body.state_reason;
        return send(res, 200, issueJson(issue));
      }
    }
    if ((m = /^\/issues\/(\d+)\/labels$/.exec(rest)) && method === 'POST') {
      // https://docs.github.com/en/rest/issues/labels#add-labels-to-an-issue
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return notFound();
      const labels = ((await readJson(req)).labels as string[] | undefined) ?? [];
      for (const l of labels) {
        state.labels.add(l);
        if (!issue.labels.includes(l)) issue.labels.push(l);
      }
      return send(
        res,
        200,
        issue.labels.map((name) => ({ name })),
      );
    }
    if ((m = /^\/labels\/(.+)$/.exec(rest)) && method === 'GET') {
      const name = decodeURIComponent(m[1] ?? '');
      return state.labels.has(name) ? send(res, 200, { name, color: 'd93f0b' }) : notFound();
    }
    if (rest === '/labels' && method === 'POST') {
      const body = await readJson(req);
      const name = String(body.name);
      if (state.labels.has(name)) return send(res, 422, { message: 'Validation Failed' });
      state.labels.add(name);
      return send(res, 201, { name, color: body.color });
    }
    if ((m = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(rest)) && method === 'GET') {
      const pulls = state.commitPulls.get(m[1] ?? '') ?? [];
      return send(
        res,
        200,
        pulls.map((p) => ({
          number: p.number,
          state: p.merged ? 'closed' : 'open',
          merged_at: p.merged ? '2026-11-02T00:00:00Z' : null,
          merge_commit_sha: p.merge_commit_sha,
          html_url: html(`/pull/${p.number}`),
        })),
      );
    }
    return notFound();
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    res.on('finish', () =>
      state.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search,
        status: res.statusCode,
        authorization: req.headers.authorization,
      }),
    );
    answerFault(state.failures, req, res, `/repos/${owner}/${repo}`)
      .then((answered) => (answered ? undefined : handle(req, res)))
      .catch((err: unknown) =>
        err instanceof BodyTooLong
          ? send(res, 422, {
              message: 'Validation Failed',
              errors: [{ message: 'Body is too long (maximum is 65536 characters)' }],
            })
          : send(res, 500, { message: String(err) }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    repository,
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A `hang` fault holds its socket open; close it so the server can stop.
        server.closeAllConnections();
      }),
  });
}
