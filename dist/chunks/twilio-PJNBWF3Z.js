#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as g,b as h,c as i}from"./chunk-TTKAJUKQ.js";import{a,b,c,d,e,f}from"./chunk-FEJKLVVV.js";import"./chunk-MJFGANXR.js";import"./chunk-LZEWAEFP.js";import"./chunk-CEF22K3O.js";import"./chunk-CCYNG45K.js";import"./chunk-U2CU34CX.js";export{a as DEFAULT_RETRY_POLICY,d as DEFAULT_TWILIO_OPTIONS,h as GEO_EVENT_TYPES,g as TwilioError,i as createTwilioGateway,c as decideRetry,f as parsePerAccountCredentials,b as parseRetryAfter,e as twilioOptions};
