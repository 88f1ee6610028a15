// The fake GitHub's repository: branches (git refs), files (the contents API) and pull requests, as the
// clean-up pull request uses them, answered as GitHub's REST docs describe them (docs/emulator.md, "Fake
// GitHub", cites each page). Pull requests are issues too, as on GitHub: they share the issues' numbers
// and are listed by the issues API, flagged.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeCommit {
  sha: string;
  parent: string | null;
  /** The whole tree: path -> text. */
  files: Map<string, string>;
  message: string;
  author: string;
}

/** A pull request's git side; its title, body, state and author are its issue's (FakeIssue). */
export interface FakePullRequest {
  number: number;
  head: string;
  base: string;
  /** The head commit when the pull request was last changed (its branch may be gone since). */
  headSha: string;
  merged: boolean;
}

/** The job token's permissions, as a workflow's `permissions:` sets them for GITHUB_TOKEN. */
export interface FakePermissions {
  contents: 'read' | 'write';
  'pull-requests': 'read' | 'write';
}

export interface FakeRepository {
  defaultBranch: string;
  /** Branch name -> the commit it points at. */
  branches: Map<string, string>;
  commits: Map<string, FakeCommit>;
  pulls: Map<number, FakePullRequest>;
  /** `write` both by default; a write the token may not make answers 403 "Resource not accessible by integration". */
  permissions: FakePermissions;
  /**
   * The repository setting "Allow GitHub Actions to create and approve pull requests" (off by default on
   * GitHub for new repositories; on here unless a test turns it off). Off: an installation token's
   * POST /pulls answers 403 "GitHub Actions is not permitted to create or approve pull requests.".
   */
  actionsCanCreatePullRequests: boolean;
  /** Commits `text` as `path` on `branch` (made from the default branch when missing); answers the commit. */
  commitFile(branch: string, path: string, text: string, message?: string): string;
  /** The file at a branch or commit, or undefined. */
  fileAt(ref: string, path: string): string | undefined;
  /** Merges a pull request as "squash and merge" does: its head's tree on top of the base, closed, merged. */
  mergePull(number: number): void;
}

/** What the repository needs of the rest of the fake: its issues, identities and answer helpers. */
export interface RepositoryHost {
  owner: string;
  repo: string;
  apiBase(): string;
  html(path: string): string;
  now(): string;
  send(res: ServerResponse, status: number, body: unknown): void;
  readJson(req: IncomingMessage): Promise<Record<string, unknown>>;
  page<T>(url: URL, res: ServerResponse, items: T[]): void;
  identify(req: IncomingMessage): { login: string; installation: boolean };
  issues(): Array<{
    number: number;
    title: string;
    body: string;
    state: 'open' | 'closed';
    user: string;
    created_at: string;
    closed_at: string | null;
  }>;
  addPullIssue(fields: { title: string; body: string; user: string }): { number: number };
}

const DOCS = 'https://docs.github.com/rest';
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
/** Git's blob id, as the contents API answers it in `sha`. */
export const blobSha = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return sha1(`blob ${bytes.length}\0${text}`);
};

export function fakeRepository(host: RepositoryHost): FakeRepository & {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<boolean>;
} {
  let made = 0;
  const repo: FakeRepository = {
    defaultBranch: 'main',
    branches: new Map(),
    commits: new Map(),
    pulls: new Map(),
    permissions: { contents: 'write', 'pull-requests': 'write' },
    actionsCanCreatePullRequests: true,
    commitFile(branch, path, text, message = `Update ${path}`) {
      const parent = repo.branches.get(branch) ?? repo.branches.get(repo.defaultBranch)!;
      const files = new Map(repo.commits.get(parent)!.files);
      files.set(path, text);
      const sha = commit(parent, files, message, 'octocat');
      repo.branches.set(branch, sha);
      return sha;
    },
    fileAt(ref, path) {
      const sha = repo.branches.get(ref) ?? ref;
      return repo.commits.get(sha)?.files.get(path);
    },
    mergePull(number) {
      const pull = repo.pulls.get(number)!;
      const head = repo.commits.get(repo.branches.get(pull.head) ?? pull.headSha)!;
      const sha = commit(
        repo.branches.get(pull.base)!,
        new Map(head.files),
        `${head.message} (#${number})`,
        'octocat',
      );
      repo.branches.set(pull.base, sha);
      pull.merged = true;
      const issue = host.issues().find((i) => i.number === number)!;
      issue.state = 'closed';
      issue.closed_at = host.now();
    },
  };

  function commit(
    parent: string | null,
    files: Map<string, string>,
    message: string,
    author: string,
  ): string {
    const sha = sha1(`commit ${++made} ${parent ?? ''} ${message}`);
    repo.commits.set(sha, { sha, parent, files, message, author });
    return sha;
  }
  repo.branches.set(repo.defaultBranch, commit(null, new Map(), 'Initial commit', 'octocat'));

  const isAncestor = (ancestor: string, of: string): boolean => {
    for (let at: string | null = of; at; at = repo.commits.get(at)?.parent ?? null)
      if (at === ancestor) return true;
    return false;
  };
  const refJson = (branch: string, sha: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: `REF_${sha.slice(0, 12)}`,
    url: `${host.apiBase()}/repos/${host.owner}/${host.repo}/git/refs/heads/${branch}`,
    object: {
      sha,
      type: 'commit',
      url: `${host.apiBase()}/repos/${host.owner}/${host.repo}/git/commits/${sha}`,
    },
  });
  const pullJson = (pull: FakePullRequest) => {
    const issue = host.issues().find((i) => i.number === pull.number)!;
    const side = (ref: string, sha: string) => ({
      ref,
      sha,
      label: `${host.owner}:${ref}`,
      repo: { full_name: `${host.owner}/${host.repo}` },
    });
    return {
      number: pull.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: { login: issue.user },
      html_url: host.html(`/pull/${pull.number}`),
      head: side(pull.head, repo.branches.get(pull.head) ?? pull.headSha),
      base: side(pull.base, repo.branches.get(pull.base) ?? ''),
      merged: pull.merged,
      merged_at: pull.merged ? issue.closed_at : null,
      created_at: issue.created_at,
      closed_at: issue.closed_at,
    };
  };
  const failed = (res: ServerResponse, status: number, message: string, doc: string, errors?: unknown[]) =>
    host.send(res, status, {
      message,
      ...(errors ? { errors } : {}),
      documentation_url: `${DOCS}/${doc}`,
      status: String(status),
    });

  /**
   * A write the job token's permissions do not allow: 403 "Resource not accessible by integration", with
   * the permission it needed in `x-accepted-github-permissions`, as GitHub sends it to fine-grained tokens.
   */
  function forbidden(res: ServerResponse, permission: keyof FakePermissions, doc: string): true {
    res.setHeader('x-accepted-github-permissions', `${permission}=write`);
    failed(res, 403, 'Resource not accessible by integration', doc);
    return true;
  }

  async function refs(req: IncomingMessage, res: ServerResponse, encoded: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    // Octokit sends `heads/<branch>` as one path parameter, its slashes written %2F.
    const rest = decodeURIComponent(encoded);
    const doc = 'git/refs';
    let m: RegExpExecArray | null;
    if ((m = /^\/git\/ref\/heads\/(.+)$/.exec(rest)) && method === 'GET') {
      const branch = m[1]!;
      const sha = repo.branches.get(branch);
      if (!sha) failed(res, 404, 'Not Found', `${doc}#get-a-reference`);
      else host.send(res, 200, refJson(branch, sha));
      return true;
    }
    if ((m = /^\/git\/matching-refs\/heads\/(.*)$/.exec(rest)) && method === 'GET') {
      const prefix = m[1]!;
      const found = [...repo.branches]
        .filter(([b]) => b.startsWith(prefix))
        .map(([b, sha]) => refJson(b, sha));
      host.send(res, 200, found);
      return true;
    }
    if ((m = /^\/git\/refs(?:\/(.*))?$/.exec(rest)) && method === 'GET') {
      // The older listing (developer.github.com v3, "Get all References"), a namespace optional.
      const prefix = `refs/${m[1] ?? ''}`;
      host.send(
        res,
        200,
        [...repo.branches].map(([b, sha]) => refJson(b, sha)).filter((r) => r.ref.startsWith(prefix)),
      );
      return true;
    }
    const write = (rest === '/git/refs' && method === 'POST') || /^\/git\/refs\/heads\/.+$/.test(rest);
    if (!write) return false;
    if (repo.permissions.contents !== 'write') return forbidden(res, 'contents', doc);
    const body = method === 'DELETE' ? {} : await host.readJson(req);
    if (rest === '/git/refs') return createRef(res, body);
    const branch = rest.slice('/git/refs/heads/'.length);
    const current = repo.branches.get(branch);
    if (!current) return (failed(res, 422, 'Reference does not exist', `${doc}#update-a-reference`), true);
    if (method === 'DELETE') {
      if (branch === repo.defaultBranch)
        return (failed(res, 422, 'Cannot delete the default branch', `${doc}#delete-a-reference`), true);
      repo.branches.delete(branch);
      res.statusCode = 204;
      res.end();
      return true;
    }
    if (method !== 'PATCH') return false;
    const sha = String(body.sha ?? '');
    if (!repo.commits.has(sha))
      return (failed(res, 422, 'Object does not exist', `${doc}#update-a-reference`), true);
    if (body.force !== true && !isAncestor(current, sha))
      return (failed(res, 422, 'Update is not a fast forward', `${doc}#update-a-reference`), true);
    repo.branches.set(branch, sha);
    host.send(res, 200, refJson(branch, sha));
    return true;
  }

  function createRef(res: ServerResponse, body: Record<string, unknown>): true {
    const doc = 'git/refs#create-a-reference';
    const ref = String(body.ref ?? '');
    const sha = String(body.sha ?? '');
    const m = /^refs\/heads\/(.+)$/.exec(ref);
    if (!m) failed(res, 422, `${ref} is not a valid ref name.`, doc);
    else if (repo.branches.has(m[1]!)) failed(res, 422, 'Reference already exists', doc);
    else if (!repo.commits.has(sha)) failed(res, 422, 'Object does not exist', doc);
    else {
      repo.branches.set(m[1]!, sha);
      host.send(res, 201, refJson(m[1]!, sha));
    }
    return true;
  }

  async function contents(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    rest: string,
  ): Promise<boolean> {
    const m = /^\/contents\/(.+)$/.exec(rest);
    if (!m) return false;
    const path = decodeURIComponent(m[1]!);
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      const ref = url.searchParams.get('ref') ?? repo.defaultBranch;
      const text = repo.fileAt(ref, path);
      if (text === undefined)
        return (failed(res, 404, 'Not Found', 'repos/contents#get-repository-content'), true);
      host.send(res, 200, fileJson(path, text));
      return true;
    }
    if (method !== 'PUT') return false;
    const doc = 'repos/contents#create-or-update-file-contents';
    if (repo.permissions.contents !== 'write') return forbidden(res, 'contents', doc);
    const body = await host.readJson(req);
    const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch;
    const head = repo.branches.get(branch);
    if (!head) return (failed(res, 404, `Branch ${branch} not found`, doc), true);
    const current = repo.fileAt(head, path);
    if (current !== undefined && typeof body.sha !== 'string')
      return (failed(res, 422, 'Invalid request.\n\n"sha" wasn\'t supplied.', doc), true);
    if (current !== undefined && body.sha !== blobSha(current))
      return (failed(res, 409, `${path} does not match ${String(body.sha)}`, doc), true);
    const text = Buffer.from(String(body.content ?? ''), 'base64').toString('utf8');
    const files = new Map(repo.commits.get(head)!.files);
    files.set(path, text);
    const sha = commit(head, files, String(body.message ?? ''), host.identify(req).login);
    repo.branches.set(branch, sha);
    const { content: _content, encoding: _encoding, ...content } = fileJson(path, text);
    host.send(res, current === undefined ? 201 : 200, {
      content,
      commit: { sha, message: String(body.message ?? ''), parents: [{ sha: head }] },
    });
    return true;
  }

  /**
   * GET …/compare/{base}...{head}: the commits `head` has that `base` does not, oldest first, each with
   * its author's login; `ahead_by` and `behind_by` count them each way. 404 for an unknown commit.
   */
  function compare(req: IncomingMessage, res: ServerResponse, rest: string): boolean {
    const m = /^\/compare\/([^/]+)\.\.\.([^/]+)$/.exec(rest);
    if (!m || (req.method ?? 'GET') !== 'GET') return false;
    const [base, head] = [m[1]!, m[2]!].map((ref) => repo.branches.get(decodeURIComponent(ref)) ?? ref);
    if (!repo.commits.has(base!) || !repo.commits.has(head!))
      return (failed(res, 404, 'Not Found', 'commits/commits#compare-two-commits'), true);
    const only = (from: string, not: string) => {
      const shas: string[] = [];
      for (let at: string | null = from; at && !isAncestor(at, not); at = repo.commits.get(at)!.parent)
        shas.push(at);
      return shas.reverse();
    };
    const ahead = only(head!, base!);
    const behind = only(base!, head!);
    host.send(res, 200, {
      status:
        ahead.length && behind.length
          ? 'diverged'
          : ahead.length
            ? 'ahead'
            : behind.length
              ? 'behind'
              : 'identical',
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map((sha) => {
        const c = repo.commits.get(sha)!;
        return {
          sha,
          author: { login: c.author },
          commit: { message: c.message, author: { name: c.author } },
          parents: c.parent ? [{ sha: c.parent }] : [],
        };
      }),
    });
    return true;
  }

  /** A file as the contents API answers it: base64 in lines of 60 characters, as GitHub wraps it. */
  function fileJson(path: string, text: string) {
    const base64 = Buffer.from(text, 'utf8').toString('base64');
    return {
      type: 'file',
      encoding: 'base64',
      name: path.split('/').at(-1),
      path,
      size: Buffer.byteLength(text),
      sha: blobSha(text),
      content: (base64.match(/.{1,60}/g) ?? []).join('\n') + '\n',
      html_url: host.html(`/blob/${repo.defaultBranch}/${path}`),
    };
  }

  async function pulls(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<boolean> {
    const method = req.method ?? 'GET';
    if (rest === '/pulls' && method === 'GET') {
      const state = url.searchParams.get('state') ?? 'open';
      const head = url.searchParams.get('head');
      const base = url.searchParams.get('base');
      const listed = [...repo.pulls.values()]
        .map(pullJson)
        .filter(
          (p) =>
            (state === 'all' || p.state === state) &&
            (!head || p.head.label === head || (!head.includes(':') && p.head.ref === head)) &&
            (!base || p.base.ref === base),
        )
        .sort((a, b) => b.number - a.number);
      host.page(url, res, listed);
      return true;
    }
    const m = /^\/pulls\/(\d+)$/.exec(rest);
    if (rest !== '/pulls' && !m) return false;
    const pull = m ? repo.pulls.get(Number(m[1])) : undefined;
    if (m && !pull) return (failed(res, 404, 'Not Found', 'pulls/pulls#get-a-pull-request'), true);
    if (pull && method === 'GET') return (host.send(res, 200, pullJson(pull)), true);
    const doc = pull ? 'pulls/pulls#update-a-pull-request' : 'pulls/pulls#create-a-pull-request';
    if (repo.permissions['pull-requests'] !== 'write') return forbidden(res, 'pull-requests', doc);
    const body = await host.readJson(req);
    if (pull && method === 'PATCH') return updatePull(res, pull, body);
    if (!pull && method === 'POST') return createPull(req, res, body, doc);
    return false;
  }

  function createPull(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, doc: string) {
    const who = host.identify(req);
    if (who.installation && !repo.actionsCanCreatePullRequests)
      return (
        failed(res, 403, 'GitHub Actions is not permitted to create or approve pull requests.', doc),
        true
      );
    const head = String(body.head ?? '').replace(new RegExp(`^${host.owner}:`), '');
    const base = String(body.base ?? '');
    const invalid = (field: string) => [{ resource: 'PullRequest', field, code: 'invalid' }];
    const headSha = repo.branches.get(head);
    const baseSha = repo.branches.get(base);
    if (!headSha) return (failed(res, 422, 'Validation Failed', doc, invalid('head')), true);
    if (!baseSha) return (failed(res, 422, 'Validation Failed', doc, invalid('base')), true);
    const open = [...repo.pulls.values()]
      .map(pullJson)
      .find((p) => p.state === 'open' && p.head.ref === head && p.base.ref === base);
    if (open)
      return (
        failed(res, 422, 'Validation Failed', doc, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${host.owner}:${head}.`,
          },
        ]),
        true
      );
    if (isAncestor(headSha, baseSha))
      return (
        failed(res, 422, 'Validation Failed', doc, [
          { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
        ]),
        true
      );
    const issue = host.addPullIssue({
      title: String(body.title ?? ''),
      body: String(body.body ?? ''),
      user: who.login,
    });
    const pull: FakePullRequest = { number: issue.number, head, base, headSha, merged: false };
    repo.pulls.set(pull.number, pull);
    host.send(res, 201, pullJson(pull));
    return true;
  }

  function updatePull(res: ServerResponse, pull: FakePullRequest, body: Record<string, unknown>): true {
    const issue = host.issues().find((i) => i.number === pull.number)!;
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string') issue.body = body.body;
    if ((body.state === 'open' || body.state === 'closed') && !pull.merged) {
      issue.state = body.state;
      issue.closed_at = body.state === 'closed' ? host.now() : null;
    }
    pull.headSha = repo.branches.get(pull.head) ?? pull.headSha;
    host.send(res, 200, pullJson(pull));
    return true;
  }

  return Object.assign(repo, {
    async handle(req: IncomingMessage, res: ServerResponse, url: URL, rest: string): Promise<boolean> {
      if (rest === '' && req.method === 'GET') {
        host.send(res, 200, {
          name: host.repo,
          full_name: `${host.owner}/${host.repo}`,
          default_branch: repo.defaultBranch,
          html_url: host.html(''),
        });
        return true;
      }
      return (
        (await refs(req, res, rest)) ||
        compare(req, res, rest) ||
        (await contents(req, res, url, rest)) ||
        pulls(req, res, url, rest)
      );
    },
  });
}
