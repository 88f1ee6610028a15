#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as y}from"./chunk-BPCQCV2J.js";import{a as f}from"./chunk-5JHTTIR3.js";import{d as l,g as c,h as p,j as w,k as h}from"./chunk-6XICOACC.js";import"./chunk-FM3637F5.js";import"./chunk-46CB7SQQ.js";import"./chunk-4EL7LTZ6.js";import"./chunk-AANTTDRZ.js";import"./chunk-Q7HQOA7T.js";import{a as d}from"./chunk-PQG7SXL3.js";import"./chunk-G5FYPF62.js";import"./chunk-3WBY6TV4.js";import"./chunk-2LFUIW5W.js";import"./chunk-WELUZ2GO.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import{b as a,c as s}from"./chunk-6GXGEO4T.js";import{H as m}from"./chunk-JTPREK53.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-7K66M4KM.js";import"./chunk-MWHWYEJG.js";import{c as n}from"./chunk-4LLUEDT7.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";var u=[...w,"lookback-days"],L=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists exceptions expiring within ${n} days.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${p}
${c(u)}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,C=async(k,e)=>{let o=h("drift",k,e,u);if(o==="help")return e.stdout.write(L),0;let i=new Date,t=await y(o,e,i);if(!t)return 1;try{let E=await d(t.session.gateway,t.desired,t.plan,{now:i,lookbackDays:o.lookbackDays}),r=a(t.plan,E,t.desired.guards),g=f(o,"drift",r);return await l(o,e,g,m(r)),r.complete?s(r)?2:0:(e.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await t.session.close()}};export{C as driftCommand};
