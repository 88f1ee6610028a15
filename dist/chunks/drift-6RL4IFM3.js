#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as c}from"./chunk-O74DDJG2.js";import{a as m}from"./chunk-MITXEYQK.js";import{c as a,e as l,f as d,g as f}from"./chunk-D54XBKDI.js";import"./chunk-WBQNAH6A.js";import"./chunk-5776EMBE.js";import{a as s}from"./chunk-WOI5UKAD.js";import"./chunk-77Z6JVDD.js";import"./chunk-PFIC4Z66.js";import{c as n}from"./chunk-FYH6EGLP.js";import"./chunk-2LFUIW5W.js";import"./chunk-MJFGANXR.js";import"./chunk-O7YCVYZ7.js";import"./chunk-QCP3T4AL.js";import"./chunk-EVDXL5NW.js";import"./chunk-GUCWI436.js";import"./chunk-7H3QZ5IY.js";import"./chunk-5ZDL4RCR.js";import"./chunk-U2CU34CX.js";var h=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event, "unknown" otherwise. Lists exceptions expiring within 14 days.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${d}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,g=async(p,t)=>{let o=f("drift",p,t,[...l,"lookback-days"]);if(o==="help")return t.stdout.write(h),0;let i=new Date,e=await c(o,t,i);if(!e)return 1;try{let r=await s(e.desired,e.live,e.session.gateway,{now:i,lookbackDays:o.lookbackDays}),w=m(o,"drift",r);return await a(o,t,w,n(r)),r.complete?r.items.length>0?2:0:(t.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await e.session.close()}};export{g as driftCommand};
