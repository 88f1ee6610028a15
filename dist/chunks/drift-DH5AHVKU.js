#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as w}from"./chunk-3MIHS2MM.js";import{a as f}from"./chunk-Q4UXJHX2.js";import{c as d,f as l,h as c,i as p}from"./chunk-RX7R6F4C.js";import"./chunk-3HERZKBC.js";import"./chunk-OBLJ3B5N.js";import"./chunk-IZ4RVLKC.js";import"./chunk-4EL7LTZ6.js";import"./chunk-P5WA7OLX.js";import"./chunk-WGLSTVOD.js";import{a as s,b as m}from"./chunk-OE7JEETF.js";import"./chunk-6QNDHJZX.js";import"./chunk-24MHK37O.js";import"./chunk-2LFUIW5W.js";import"./chunk-LMBRK353.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import{F as a}from"./chunk-MG7TWOQO.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HHHXZWDL.js";import{c as n}from"./chunk-AWJ7DZ2E.js";import"./chunk-TDY7ND5C.js";import"./chunk-U2CU34CX.js";var k=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists exceptions expiring within ${n} days.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${l}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,F=async(h,e)=>{let o=p("drift",h,e,[...c,"lookback-days"]);if(o==="help")return e.stdout.write(k),0;let i=new Date,t=await w(o,e,i);if(!t)return 1;try{let u=await m(t.session.gateway,t.desired,t.plan,{now:i,lookbackDays:o.lookbackDays}),r=s(t.plan,u,t.desired.guards),y=f(o,"drift",r);return await d(o,e,y,a(r)),r.complete?r.items.length>0?2:0:(e.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await t.session.close()}};export{F as driftCommand};
