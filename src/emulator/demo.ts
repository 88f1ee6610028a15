import { countriesOnContinent, voiceCountry } from '../catalog/index.js';
import type { EmulatorAccount, EmulatorEvent, EmulatorState } from './state.js';
import { DAY_MS } from '../model/limits.js';

/** Demo SIDs match the example policy examples/geo-permissions.yml. */
export const DEMO = {
  production: 'AC0123456789abcdef0123456789abcdef',
  supportEu: 'ACfedcba9876543210fedcba9876543210',
  marketing: 'AC00000000000000000000000000000003',
  /** The same account as `marketing` (its name before the demo followed the example policy). */
  sandbox: 'AC00000000000000000000000000000003',
  consoleUser: 'US00000000000000000000000000000042',
  /** An API key created inside support-eu. */
  supportEuKey: 'SK00000000000000000000000000000002',
  /** Senders (`why --from`): production's main line, support-eu's London number and its Messaging Service. */
  productionNumber: 'PN00000000000000000000000000000001',
  supportEuNumber: 'PN00000000000000000000000000000002',
  supportEuService: 'MG00000000000000000000000000000002',
} as const;

const on = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

const CORE = ['US', 'CA', 'GB', 'IE'];
const LATAM = ['MX', 'BR', 'AR', 'CL', 'CO'];

/** Voice cells on for the codes Twilio's voice list has (CA is dialled through US, so it has none). */
const allOn = (codes: string[]) =>
  Object.fromEntries(codes.filter((c) => voiceCountry(c)).map((c) => [c, on]));
const messagingOn = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, true]));

/**
 * A parent "production" and two subaccounts: support-eu (its own voice permissions) and marketing
 * (a trial account inheriting voice). Against examples/geo-permissions.yml it drifts in a few
 * cells: production lacks CO and has NG (a Console change, see the events) for voice, and PK
 * (Console-only) for messaging; support-eu lacks FR in both and has GB high-risk special numbers
 * on. Tokens are demo values, not secrets.
 */
export function demoState(now: Date = new Date()): EmulatorState {
  return {
    accounts: [productionAccount(), supportEuAccount(), marketingAccount()],
    events: demoEvents(now),
  };
}

function productionAccount(): EmulatorAccount {
  return {
    sid: DEMO.production,
    authToken: 'demo-token-production-0000000001',
    friendlyName: 'production',
    ownerAccountSid: null,
    type: 'Full',
    status: 'active',
    apiKeys: [],
    voice: {
      inheritance: false,
      countries: allOn([...CORE, ...LATAM.filter((c) => c !== 'CO'), 'NG']),
    },
    messaging: messagingOn([...CORE, ...LATAM, 'PK']),
    phoneNumbers: [{ sid: DEMO.productionNumber, phoneNumber: '+14155550100', friendlyName: 'Main line' }],
  };
}

function supportEuAccount(): EmulatorAccount {
  const euLaunch = [...new Set([...CORE, 'DE', 'ES', 'ZA', ...countriesOnContinent('EUROPE')])].filter(
    (c) => c !== 'FR',
  );
  return {
    sid: DEMO.supportEu,
    authToken: 'demo-token-support-eu-0000000002',
    friendlyName: 'support-eu',
    ownerAccountSid: DEMO.production,
    type: 'Full',
    status: 'active',
    // A Standard key, as Twilio makes through the API and the README recommends per account.
    apiKeys: [{ sid: DEMO.supportEuKey, secret: 'demo-secret-support-eu-key', type: 'standard' }],
    voice: {
      inheritance: false,
      countries: { ...allOn(euLaunch), GB: { ...on, highRiskSpecial: true } },
    },
    messaging: messagingOn(euLaunch.filter((c) => c !== 'ZA')),
    phoneNumbers: [
      { sid: DEMO.supportEuNumber, phoneNumber: '+442071838750', friendlyName: 'London support' },
    ],
    messagingServices: [
      { sid: DEMO.supportEuService, friendlyName: 'EU alerts', phoneNumbers: [DEMO.supportEuNumber] },
    ],
  };
}

function marketingAccount(): EmulatorAccount {
  return {
    sid: DEMO.marketing,
    authToken: 'demo-token-marketing-00000000003',
    friendlyName: 'marketing',
    ownerAccountSid: DEMO.production,
    type: 'Trial',
    status: 'active',
    apiKeys: [],
    voice: { inheritance: true, countries: {} },
    messaging: messagingOn(CORE),
  };
}

/** The two past changes: NG voice on production from the Console, FR messaging off on support-eu by API. */
function demoEvents(now: Date): EmulatorEvent[] {
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return [
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
        resource_properties: { NG: { low_risk_numbers_enabled: { previous: 'false', updated: 'true' } } },
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
  ];
}
