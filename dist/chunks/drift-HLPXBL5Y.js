#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as b}from"./chunk-7TTFJYMO.js";import{a as E}from"./chunk-HREB3IAB.js";import{d as x,g,h as k,j as L,k as v}from"./chunk-55BSVN3G.js";import"./chunk-GJH5ROOU.js";import"./chunk-HMGE7HYG.js";import"./chunk-4EL7LTZ6.js";import"./chunk-H3AUOL27.js";import"./chunk-R5LHVHS3.js";import{a as y}from"./chunk-S72EWE2S.js";import"./chunk-6ICXQUOJ.js";import"./chunk-OI24Z44F.js";import"./chunk-QQZR5TY3.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import{b as l,c}from"./chunk-YE223CS5.js";import{$ as w,K as p,O as m,Q as f,V as h,W as u}from"./chunk-LIBEWEUZ.js";import"./chunk-66W7XIRR.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HZMQSYDG.js";import"./chunk-MWHWYEJG.js";import{c as d}from"./chunk-CZ6IHGJ6.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";var D=[...L,"lookback-days"],I=`Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists the time-boxed exceptions expired or expiring within the policy's expiry_warning_days (default
${d}), each with whether it is open live, and names each cell still open only because an
expired exception granted it. drift never writes: under expired: enforce (the default) the action's
scheduled drift run closes such cells; geo-permissions apply closes them too.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${k}
${g(D)}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`,N="not closed: geo-permissions drift never writes; the scheduled drift run of the action closes it (expired: enforce), or run geo-permissions apply";function R(s,o){let{desired:e,plan:i,live:t}=s,n=m(e,i,t),r=e.expiry.expired==="report"?p.report:N;return{...n.length>0?h(o,f(n,e.expiry.expired,e.guards,r)):o,exceptions:u(e,i)}}var H=async(s,o)=>{let e=v("drift",s,o,D);if(e==="help")return o.stdout.write(I),0;let i=new Date,t=await b(e,o,i);if(!t)return 1;try{let n=await y(t.session.gateway,t.desired,t.plan,{now:i,lookbackDays:e.lookbackDays,concurrency:e.concurrency}),r=R(t,l(t.plan,n,t.desired.guards)),a=E(e,"drift",r);return await x(e,o,a,w(r)),r.complete?c(r)?2:0:(o.stderr.write(`error: some accounts could not be read; the drift scan is incomplete
`),1)}finally{await t.session.close()}};export{N as CLI_NOT_CLOSED,H as driftCommand};
