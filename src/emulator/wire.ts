import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryInfo } from '../catalog/index.js';
import { TwilioFault } from './fleet.js';
import type {
  EmulatorAccount,
  EmulatorEvent,
  EmulatorMessagingService,
  EmulatorPhoneNumber,
  VoiceCell,
} from './state.js';

/**
 * Twilio's JSON as the emulator writes it. The emulator serves every product on one base URL, but
 * writes each product's real host into `url`, `links` and `meta`, as Twilio does.
 */

export type Product = 'api' | 'voice' | 'accounts' | 'monitor' | 'messaging';

export const HOSTS: Record<Product, string> = {
  voice: 'https://voice.twilio.com',
  accounts: 'https://accounts.twilio.com',
  monitor: 'https://monitor.twilio.com',
  api: 'https://api.twilio.com',
  messaging: 'https://messaging.twilio.com',
};

const DATE = 'Mon, 01 Jun 2026 00:00:00 +0000';
/** The same moment as the v1 APIs write dates (ISO 8601). */
const ISO_DATE = '2026-06-01T00:00:00Z';

export function errorBody(status: number, code: number, message: string): unknown {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/**
 * The same error as RFC 9457 problem details, the form twilio-node 6 recognises
 * (TwilioServiceException.isRFC9457Response: `type` and `title` strings, `status` and `code` numbers;
 * `detail` and `instance` optional). The `type` URL and the split of the message into title and detail
 * are the emulator's assumption: no Twilio documentation shows a problem-details body of these APIs.
 */
export function problemBody(
  status: number,
  code: number,
  title: string,
  detail: string,
  instance: string,
): unknown {
  return { type: `https://www.twilio.com/docs/errors/${code}`, title, status, code, detail, instance };
}

export function notFound(path: string): TwilioFault {
  return new TwilioFault(404, 20404, `The requested resource ${path} was not found`);
}

export function methodNotAllowed(allowed: string): TwilioFault {
  return new TwilioFault(405, 20004, `Method not allowed: use ${allowed}`);
}

export function accountJson(a: EmulatorAccount): unknown {
  const uri = `/2010-04-01/Accounts/${a.sid}.json`;
  return {
    auth_token: a.authToken,
    date_created: DATE,
    date_updated: DATE,
    friendly_name: a.friendlyName,
    // Twilio sets a main account's owner to itself.
    owner_account_sid: a.ownerAccountSid ?? a.sid,
    sid: a.sid,
    status: a.status,
    subresource_uris: { keys: `/2010-04-01/Accounts/${a.sid}/Keys.json` },
    type: a.type,
    uri,
  };
}

/** The v2010 Balance resource (a subaccount shares its parent's balance; the emulator answers 0.00). */
export function balanceJson(a: EmulatorAccount): unknown {
  return { account_sid: a.sid, balance: '0.00', currency: 'USD' };
}

export function keyJson(sid: string): unknown {
  return { sid, friendly_name: sid, date_created: DATE, date_updated: DATE };
}

export function voiceCountryJson(c: CountryInfo, cell: VoiceCell): unknown {
  const url = `${HOSTS.voice}/v1/DialingPermissions/Countries/${c.iso}`;
  return {
    iso_code: c.iso,
    name: c.name,
    continent: c.continent,
    country_codes: c.callingCodes,
    low_risk_numbers_enabled: cell.lowRisk,
    high_risk_special_numbers_enabled: cell.highRiskSpecial,
    high_risk_tollfraud_numbers_enabled: cell.highRiskTollfraud,
    url,
    links: { highrisk_special_prefixes: `${url}/HighRiskSpecialPrefixes` },
  };
}

/** The Settings resource; a main account does not inherit, so it answers false (UNCONFIRMED, docs/emulator.md). */
export function settingsJson(inheritance: boolean): unknown {
  return {
    dialing_permissions_inheritance: inheritance,
    url: `${HOSTS.voice}/v1/Settings`,
  };
}

/** One country of the messaging GET. */
export function messagingPermissionJson(c: CountryInfo, enabled: boolean, message: string): unknown {
  return {
    country_code: c.iso,
    type: 'country',
    enabled,
    prefix: c.callingCodes[0] ?? '',
    message,
  };
}

/** One item of the messaging PATCH answer: 30649 when the API may not change the country. */
export function messagingResultJson(r: {
  iso: string;
  enabled: boolean;
  errorCode: number;
  errorMessages: string[];
}): unknown {
  return {
    country_code: r.iso,
    type: 'country',
    enabled: r.enabled,
    error_code: r.errorCode,
    error_messages: r.errorMessages,
  };
}

export function eventJson(e: EmulatorEvent): unknown {
  return {
    account_sid: e.accountSid,
    actor_sid: e.actorSid,
    actor_type: e.actorType,
    description: e.description,
    event_data: e.eventData,
    event_date: e.eventDate,
    event_type: e.eventType,
    resource_sid: e.accountSid,
    resource_type: e.resourceType,
    sid: e.sid,
    source: e.source,
    source_ip_address: e.sourceIpAddress,
    url: `${HOSTS.monitor}/v1/Events/${e.sid}`,
    links: { actor: null, resource: null },
  };
}

const CAPABILITIES_DEFAULT = { voice: true, sms: true, mms: false, fax: false };

/**
 * The v2010 IncomingPhoneNumber resource (twilio-oai twilio_api_v2010.json,
 * `api.v2010.account.incoming_phone_number`): every field of the schema; the ones the emulator does not
 * model (webhooks, addresses, emergency calling) carry the empty values of Twilio's own example.
 */
export function incomingPhoneNumberJson(a: EmulatorAccount, n: EmulatorPhoneNumber): unknown {
  return {
    account_sid: a.sid,
    address_requirements: 'none',
    address_sid: null,
    api_version: '2010-04-01',
    beta: false,
    capabilities: n.capabilities ?? CAPABILITIES_DEFAULT,
    date_created: DATE,
    date_updated: DATE,
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    friendly_name: n.friendlyName ?? n.phoneNumber,
    identity_sid: null,
    origin: 'twilio',
    phone_number: n.phoneNumber,
    sid: n.sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: '',
    status_callback_method: 'POST',
    trunk_sid: null,
    uri: `/2010-04-01/Accounts/${a.sid}/IncomingPhoneNumbers/${n.sid}.json`,
    voice_receive_mode: 'voice',
    voice_application_sid: '',
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: null,
    voice_method: 'POST',
    voice_url: null,
    bundle_sid: null,
    status: 'in-use',
    type: 'local',
  };
}

/** The messaging v1 Service resource (twilio-oai twilio_messaging_v1.json, `messaging.v1.service`). */
export function messagingServiceJson(a: EmulatorAccount, s: EmulatorMessagingService): unknown {
  const url = `${HOSTS.messaging}/v1/Services/${s.sid}`;
  const link = (sub: string) => `${url}/${sub}`;
  return {
    account_sid: a.sid,
    sid: s.sid,
    date_created: ISO_DATE,
    date_updated: ISO_DATE,
    friendly_name: s.friendlyName,
    inbound_request_url: null,
    inbound_method: 'POST',
    fallback_url: null,
    fallback_method: 'POST',
    status_callback: null,
    sticky_sender: true,
    mms_converter: true,
    smart_encoding: true,
    fallback_to_long_code: true,
    area_code_geomatch: true,
    validity_period: 14400,
    scan_message_content: 'inherit',
    synchronous_validation: true,
    usecase: 'undeclared',
    us_app_to_person_registered: false,
    use_inbound_webhook_on_number: false,
    links: {
      phone_numbers: link('PhoneNumbers'),
      short_codes: link('ShortCodes'),
      alpha_senders: link('AlphaSenders'),
      messages: link('Messages'),
      us_app_to_person: link('Compliance/Usa2p'),
      us_app_to_person_usecases: link('Compliance/Usa2p/Usecases'),
      channel_senders: link('ChannelSenders'),
      destination_alpha_senders: link('DestinationAlphaSenders'),
    },
    url,
  };
}

/**
 * One number of a Service's sender pool (`messaging.v1.service.phone_number`): `capabilities` is an
 * array of `Voice`, `SMS`, `MMS` here, unlike the v2010 object.
 */
export function servicePhoneNumberJson(
  a: EmulatorAccount,
  s: EmulatorMessagingService,
  n: EmulatorPhoneNumber,
): unknown {
  const c = n.capabilities ?? CAPABILITIES_DEFAULT;
  return {
    account_sid: a.sid,
    service_sid: s.sid,
    sid: n.sid,
    date_created: ISO_DATE,
    date_updated: ISO_DATE,
    phone_number: n.phoneNumber,
    country_code: parsePhoneNumberFromString(n.phoneNumber)?.country ?? null,
    capabilities: [c.voice && 'Voice', c.sms && 'SMS', c.mms && 'MMS'].filter((x) => x !== false),
    url: `${HOSTS.messaging}/v1/Services/${s.sid}/PhoneNumbers/${n.sid}`,
  };
}
