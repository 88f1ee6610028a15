import * as core from '@actions/core';
import type { GitHubGateway } from '../model/github-port.js';

/** The author of what GITHUB_TOKEN writes, and the default of the `bot-login` input. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';

const resolved = new WeakMap<GitHubGateway, Promise<string>>();

/**
 * The author the action's own comments and issues carry: the github-token's identity as GitHub answers
 * it (so a GitHub App's or a user's token is recognised without configuration), else `bot-login`.
 * Asked once per gateway.
 */
export function ownLogin(gh: GitHubGateway, botLogin: string): Promise<string> {
  let login = resolved.get(gh);
  if (!login) {
    login = resolveOwnLogin(gh, botLogin);
    resolved.set(gh, login);
  }
  return login;
}

async function resolveOwnLogin(gh: GitHubGateway, botLogin: string): Promise<string> {
  const login = await gh.authenticatedLogin();
  if (!login) {
    core.warning(
      `GitHub did not say who the github-token is; the action's own comments and issues are recognised ` +
        `by the bot-login input, ${botLogin}`,
    );
    return botLogin;
  }
  // A bot-login set on purpose that disagrees with GitHub would otherwise be silently ignored.
  if (login !== botLogin && botLogin !== GITHUB_ACTIONS_LOGIN)
    core.warning(
      `bot-login is ${botLogin}, but the github-token acts as ${login}: the action's own comments and ` +
        `issues are recognised by ${login}, the author GitHub writes`,
    );
  core.info(`the github-token acts as ${login}; the action's own comments and issues are those by ${login}`);
  return login;
}
