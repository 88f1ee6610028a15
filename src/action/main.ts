import * as core from '@actions/core';

// Placeholder orchestration; the action issue replaces it.
export async function run(): Promise<void> {
  core.setFailed('twilio-geo-permissions: the action is not available in this build yet');
}
