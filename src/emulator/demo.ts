import type { EmulatorState } from './state.js';

/** Demo SIDs match the example policy (examples/geo-permissions.yml and DESIGN.md). */
export const DEMO = {
  production: 'AC00000000000000000000000000000001',
  supportEu: 'AC00000000000000000000000000000002',
  sandbox: 'AC00000000000000000000000000000003',
  consoleUser: 'US00000000000000000000000000000042',
  /** An API key created inside support-eu. */
  supportEuKey: 'SK00000000000000000000000000000002',
} as const;

const on = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

/**
 * A parent "production" and two subaccounts: support-eu (its own voice permissions) and sandbox
 * (inheriting). It drifts from the example policy in a few cells, one of them changed in the
 * Console, so plan, apply and drift have something to show. Tokens are demo values, not secrets.
 */
export function demoState(now: Date = new Date()): EmulatorState {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
  return {
    accounts: [
      {
        sid: DEMO.production,
        authToken: 'demo-token-production-0000000001',
        friendlyName: 'production',
        ownerAccountSid: null,
        type: 'Full',
        status: 'active',
        apiKeys: [],
        voice: {
          inheritance: false,
          // Drift: IE missing; MX enabled outside the policy (by a Console user, see events).
          countries: { US: on, CA: on, GB: on, MX: on },
        },
        messaging: { US: true, CA: true, GB: true, IE: true },
      },
      {
        sid: DEMO.supportEu,
        authToken: 'demo-token-support-eu-0000000002',
        friendlyName: 'support-eu',
        ownerAccountSid: DEMO.production,
        type: 'Full',
        status: 'active',
        apiKeys: [{ sid: DEMO.supportEuKey, secret: 'demo-secret-support-eu-key' }],
        voice: {
          inheritance: false,
          // Drift: FR missing; GB has high-risk special numbers on.
          countries: { US: on, CA: on, GB: { ...on, highRiskSpecial: true }, IE: on, DE: on, ES: on },
        },
        // Drift: FR not enabled for messaging.
        messaging: { US: true, CA: true, GB: true, IE: true, DE: true, ES: true },
      },
      {
        sid: DEMO.sandbox,
        authToken: 'demo-token-sandbox-000000000003',
        friendlyName: 'sandbox',
        ownerAccountSid: DEMO.production,
        type: 'Trial',
        status: 'active',
        apiKeys: [],
        voice: { inheritance: true, countries: {} },
        messaging: { US: true },
      },
    ],
    events: [
      {
        sid: 'AE00000000000000000000000000000001',
        accountSid: DEMO.production,
        eventType: 'voice-geographic-permissions.updated',
        resourceType: 'voice-geographic-permissions',
        eventDate: daysAgo(3),
        actorSid: DEMO.consoleUser,
        actorType: 'user',
        source: 'web',
        sourceIpAddress: '203.0.113.7',
        description: 'Voice dialing geo permissions updated',
        eventData: {
          resource_properties: { MX: { low_risk_numbers_enabled: { previous: 'false', updated: 'true' } } },
        },
      },
      {
        sid: 'AE00000000000000000000000000000002',
        accountSid: DEMO.supportEu,
        eventType: 'sms-geographic-permissions.updated',
        resourceType: 'sms-geographic-permissions',
        eventDate: daysAgo(1),
        actorSid: DEMO.supportEu,
        actorType: 'account',
        source: 'api',
        sourceIpAddress: '198.51.100.20',
        description: 'SMS geo permissions updated',
        eventData: { resource_properties: { France: { previous: 'enabled', updated: 'disabled' } } },
      },
    ],
  };
}
