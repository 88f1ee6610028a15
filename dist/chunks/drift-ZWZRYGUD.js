#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as h}from"./chunk-SZ5JUGRF.js";import{a as l}from"./chunk-E4JQWYKR.js";import{d,g as f,h as c,j as p,k as w}from"./chunk-HIIIQ6TI.js";import"./chunk-KDNU2LGS.js";import"./chunk-XYVS42BL.js";import"./chunk-4EL7LTZ6.js";import"./chunk-UDUZNC7V.js";import"./chunk-X4T2RE3R.js";import{a as s,b as m}from"./chunk-G5OZXASL.js";import"./chunk-X43IZSTC.js";import"./chunk-24MHK37O.js";import"./chunk-2LFUIW5W.js";import"./chunk-BB3QVSCK.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import{G as a}from"./chunk-BVG5AY2N.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-SCUHOBNL.js";import"./chunk-MWHWYEJG.js";import{c as n}from"./chunk-AWJ7DZ2E.js";import"./chunk-TDY7ND5C.js";import"./chunk-U2CU34CX.js";var y=[...p,"lookback-days"],E=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists exceptions expiring within ${n} days.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${c}
${f(y)}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,C=async(u,e)=>{let o=w("drift",u,e,y);if(o==="help")return e.stdout.write(E),0;let i=new Date,t=await h(o,e,i);if(!t)return 1;try{let k=await m(t.session.gateway,t.desired,t.plan,{now:i,lookbackDays:o.lookbackDays}),r=s(t.plan,k,t.desired.guards),g=l(o,"drift",r);return await d(o,e,g,a(r)),r.complete?r.items.length>0?2:0:(e.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await t.session.close()}};export{C as driftCommand};
