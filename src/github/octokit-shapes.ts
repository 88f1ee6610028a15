import type { Thread } from '../model/github-port.js';
import type { Octokit } from './octokit-client.js';

/** The client and the repository every request goes to. */
export interface RepoApi {
  octokit: Octokit;
  repo: { owner: string; repo: string };
}

export interface RawUser {
  login: string;
}

/** The fields an issue and a pull request share, as the REST API answers them. */
export interface RawThread {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  user: RawUser | null;
  html_url: string;
}

export const toThread = (t: RawThread): Thread => ({
  number: t.number,
  title: t.title,
  body: t.body ?? '',
  state: t.state === 'closed' ? 'closed' : 'open',
  author: t.user?.login ?? '',
  url: t.html_url,
});
