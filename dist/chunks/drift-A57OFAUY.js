#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as p}from"./chunk-26UA6WLY.js";import{a as d}from"./chunk-BRAG3NKF.js";import{c as m,f,g as l,h as c}from"./chunk-QNWKVX2M.js";import"./chunk-XYZ2TCM6.js";import"./chunk-FUGFAACU.js";import"./chunk-IZ4RVLKC.js";import"./chunk-4EL7LTZ6.js";import"./chunk-TTKAJUKQ.js";import"./chunk-FEJKLVVV.js";import{a,b as s}from"./chunk-O5WPK3GC.js";import"./chunk-C7Z3WO4I.js";import"./chunk-G55FFEIU.js";import"./chunk-2LFUIW5W.js";import"./chunk-X327MRWW.js";import"./chunk-MJFGANXR.js";import"./chunk-LZEWAEFP.js";import{n}from"./chunk-QGEUJ2YO.js";import"./chunk-B3GCRQOQ.js";import"./chunk-GUCWI436.js";import"./chunk-G55HRKHZ.js";import"./chunk-CEF22K3O.js";import"./chunk-CCYNG45K.js";import"./chunk-U2CU34CX.js";var k=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists exceptions expiring within ${14} days.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${f}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,F=async(w,e)=>{let o=c("drift",w,e,[...l,"lookback-days"]);if(o==="help")return e.stdout.write(k),0;let i=new Date,t=await p(o,e,i);if(!t)return 1;try{let h=await s(t.session.gateway,t.desired,t.plan,{now:i,lookbackDays:o.lookbackDays}),r=a(t.plan,h,t.desired.guards),u=d(o,"drift",r);return await m(o,e,u,n(r)),r.complete?r.items.length>0?2:0:(e.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await t.session.close()}};export{F as driftCommand};
