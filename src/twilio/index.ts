/** The Twilio edge: a TwilioGateway on twilio-node that acts strictly as each named account. */
export { createTwilioGateway, type GatewayHooks } from './gateway.js';
export {
  DEFAULT_TWILIO_OPTIONS,
  parsePerAccountCredentials,
  twilioOptions,
  type AccountCredentials,
  type Credentials,
  type TwilioOptions,
} from './options.js';
export { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy } from './retry.js';
export { TwilioError, type TwilioErrorKind } from './errors.js';
export { GEO_EVENT_TYPES } from './events.js';
