#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j}from"./chunk-YRAHAJJC.js";import"./chunk-MJFGANXR.js";import"./chunk-7H3QZ5IY.js";import"./chunk-IPYZFG6J.js";import"./chunk-U2CU34CX.js";export{c as DEFAULT_RETRY_POLICY,g as DEFAULT_TWILIO_OPTIONS,b as GEO_EVENT_TYPES,a as TwilioError,f as createTwilioGateway,e as decideRetry,j as parsePerAccountCredentials,d as parseRetryAfter,i as perAccountCredentialsSchema,h as twilioOptions};
