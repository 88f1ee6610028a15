import * as core from '@actions/core';
import type { TwilioGateway } from '../model/twilio-port.js';
import type { GitHubGateway, RepositoryGateway } from '../model/github-port.js';
import type { RunContext } from './context.js';
import type { ActionSettings } from './settings.js';

/**
 * Builds the Twilio gateway from the inputs. Loaded lazily: the SDK is the heaviest part of the
 * bundle and the validate path never needs it. Every secret, given or derived, is masked.
 */
export async function createTwilio(settings: ActionSettings): Promise<TwilioGateway> {
  const { createTwilioGateway, parsePerAccountCredentials, twilioOptions } =
    await import('../twilio/index.js');
  const t = settings.twilio;
  if (!t.accountSid) throw new Error('twilio-account-sid is required to read live state');
  const credentials =
    t.apiKey && t.apiSecret
      ? { kind: 'apiKey' as const, accountSid: t.accountSid, apiKey: t.apiKey, apiSecret: t.apiSecret }
      : { kind: 'authToken' as const, accountSid: t.accountSid, authToken: t.authToken ?? '' };
  const perAccount = t.credentialsJson ? parsePerAccountCredentials(t.credentialsJson) : {};
  return createTwilioGateway(
    twilioOptions(credentials, {
      perAccount,
      baseUrl: t.apiUrl,
      location: t.location,
      proxy: t.proxy,
      concurrency: Math.max(settings.concurrency, 4),
    }),
    { mask: (secret) => core.setSecret(secret), log: (line) => core.debug(line) },
  );
}

/** The GitHub gateway for this repository, or null without a token (then comments and issues are skipped). */
export async function createGitHub(
  settings: ActionSettings,
  ctx: RunContext,
): Promise<(GitHubGateway & RepositoryGateway) | null> {
  if (!settings.githubToken || !ctx.owner) return null;
  const { createOctokitGateway } = await import('../github/octokit.js');
  return createOctokitGateway(
    settings.githubToken,
    { owner: ctx.owner, repo: ctx.repo },
    { requestTimeoutMs: settings.githubTimeoutSeconds * 1000, log: (line) => core.info(line) },
  );
}
