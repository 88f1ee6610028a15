// The RepositoryGateway over the REST API: git refs, contents and pulls, on the client and repository
// of the GitHubGateway (octokit.ts), so both share its retries, throttling, timeouts and time budget.
import type { PullRequest, RepositoryFile, RepositoryGateway } from '../model/github-port.js';
import { GitHubError } from '../model/github-port.js';
import { call, toGitHubError } from './octokit-client.js';
import { toThread, type RawThread, type RepoApi } from './octokit-shapes.js';

interface RawPull extends RawThread {
  head: { ref: string; sha: string };
  base: { ref: string };
  merged_at?: string | null;
}

const toPull = (p: RawPull): PullRequest => ({
  ...toThread(p),
  headRef: p.head.ref,
  headSha: p.head.sha,
  baseRef: p.base.ref,
  merged: Boolean(p.merged_at),
});

/** A read answered 404 is "there is none": null; anything else fails as a GitHubError. */
async function orNone<T>(operation: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    const e = toGitHubError(operation, err);
    if (e.kind === 'not-found') return null;
    throw e;
  }
}

export function repositoryGateway(api: RepoApi): RepositoryGateway {
  const { octokit, repo } = api;
  const heads = (branch: string) => `heads/${branch}`;
  return {
    defaultBranch: () =>
      call('get the repository', async () => (await octokit.rest.repos.get(repo)).data.default_branch),
    branchHead: (branch) =>
      orNone(
        'get a branch',
        async () => (await octokit.rest.git.getRef({ ...repo, ref: heads(branch) })).data.object.sha,
      ),
    createBranch: (branch, sha) =>
      call('create a branch', async () => {
        await octokit.rest.git.createRef({ ...repo, ref: `refs/${heads(branch)}`, sha });
      }),
    resetBranch: (branch, sha) =>
      call('reset a branch', async () => {
        await octokit.rest.git.updateRef({ ...repo, ref: heads(branch), sha, force: true });
      }),
    deleteBranch: (branch) =>
      call('delete a branch', async () => {
        await octokit.rest.git.deleteRef({ ...repo, ref: heads(branch) });
      }),
    commitsAhead: (base, head) =>
      call('compare two commits', async () => {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          ...repo,
          basehead: `${base}...${head}`,
        });
        return {
          total: data.ahead_by,
          commits: data.commits.map((c) => ({
            sha: c.sha,
            author: c.author?.login ?? null,
            message: c.commit.message,
          })),
        };
      }),
    readFile: (path, ref) => readFile(api, path, ref),
    writeFile: ({ path, branch, text, sha, message }) =>
      call(
        'commit a file',
        async () =>
          (
            await octokit.rest.repos.createOrUpdateFileContents({
              ...repo,
              path,
              branch,
              sha,
              message,
              content: Buffer.from(text, 'utf8').toString('base64'),
            })
          ).data.commit.sha ?? '',
      ),
    listPullRequests: (branch, state) =>
      call('list pull requests', async () =>
        (
          await octokit.paginate(octokit.rest.pulls.list, {
            ...repo,
            head: `${repo.owner}:${branch}`,
            state,
            per_page: 100,
          })
        ).map((p) => toPull(p as RawPull)),
      ),
    createPullRequest: (pull) =>
      call('create a pull request', async () =>
        toPull((await octokit.rest.pulls.create({ ...repo, ...pull })).data as RawPull),
      ),
    updatePullRequest: (pullNumber, update) =>
      call('update a pull request', async () =>
        toPull(
          (await octokit.rest.pulls.update({ ...repo, pull_number: pullNumber, ...update })).data as RawPull,
        ),
      ),
  };
}

/** A file's text (the contents API answers base64, in lines); null when `ref` has no such file. */
async function readFile(
  { octokit, repo }: RepoApi,
  path: string,
  ref: string,
): Promise<RepositoryFile | null> {
  const data = await orNone(
    'read a file',
    async () => (await octokit.rest.repos.getContent({ ...repo, path, ref })).data,
  );
  if (data === null) return null;
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
    throw new GitHubError(null, 'read a file', `${path} is not a file at ${ref}`);
  if (data.encoding !== 'base64')
    throw new GitHubError(
      null,
      'read a file',
      `${path} is too large for the contents API (${data.size} bytes)`,
    );
  return { path, sha: data.sha, text: Buffer.from(data.content, 'base64').toString('utf8') };
}
