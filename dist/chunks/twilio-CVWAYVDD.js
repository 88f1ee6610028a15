#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-POGB6IOY.js";import"./chunk-MJFGANXR.js";import"./chunk-5U5Q2EY4.js";import"./chunk-U2CU34CX.js";export{c as DEFAULT_RETRY_POLICY,h as DEFAULT_TWILIO_SETTINGS,g as DEFAULT_VOICE_BATCH_SIZE,b as GEO_EVENT_TYPES,a as TwilioError,f as createTwilioGateway,e as decideRetry,k as parsePerAccountCredentials,d as parseRetryAfter,j as perAccountCredentialsSchema,i as twilioSettings};
