// Its own module, imported alone by the action's run context, so the validate path loads no renderer.

/** The run's page on GitHub (the server alone outside a runner). */
export function runLink(run: { serverUrl: string; owner: string; repo: string; runId: string }): string {
  return run.runId ? `${run.serverUrl}/${run.owner}/${run.repo}/actions/runs/${run.runId}` : run.serverUrl;
}

/** A commit's page on GitHub. */
export function commitLink(run: { serverUrl: string; owner: string; repo: string }, sha: string): string {
  return `${run.serverUrl}/${run.owner}/${run.repo}/commit/${encodeURIComponent(sha)}`;
}
