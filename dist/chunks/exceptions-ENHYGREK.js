#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as E}from"./chunk-7TTFJYMO.js";import{a as y}from"./chunk-HREB3IAB.js";import{b as f,d as u,g as x,h as w,j as h,k as g}from"./chunk-55BSVN3G.js";import"./chunk-GJH5ROOU.js";import"./chunk-HMGE7HYG.js";import"./chunk-4EL7LTZ6.js";import"./chunk-H3AUOL27.js";import"./chunk-R5LHVHS3.js";import"./chunk-6ICXQUOJ.js";import"./chunk-OI24Z44F.js";import"./chunk-QQZR5TY3.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import"./chunk-YE223CS5.js";import{W as a,X as c,Y as d}from"./chunk-LIBEWEUZ.js";import"./chunk-66W7XIRR.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HZMQSYDG.js";import"./chunk-MWHWYEJG.js";import{c as m}from"./chunk-CZ6IHGJ6.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";var F=[...h,"offline"],R=`Usage: geo-permissions exceptions [--policy FILE] [--format text|markdown|json] [--out FILE] [--offline]

Lists every time-boxed exception of the policy ({country, expires, reason, ticket} entries), most
urgent first: its account, permission, country, expiry and days left (or how long ago it expired),
reason, ticket, and whether its cell is open live. An exception of a fleets: template is one row for
all its members: "template customers (40 members)", open live "38 of 40". The policy's
expiry_warning_days (default ${m}) is the horizon the summary counts.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json (docs/json-schema.md, kind "exceptions")
  --out FILE             write the report to FILE; stdout gets the summary line
  --offline              the policy alone: no Twilio request and no credentials ("open live" reads
                         "not read")
${w}
${x(F)}
Exit status: 0 none expired and still open live, 2 one is expired and still open live (with
--offline: one is expired whose country no other entry grants), 1 error (invalid policy, an account
that could not be read).
`;async function b(n,t,o){let e=new Date;if(o){let p=await f(n,t,e);if(!p)return null;let{desired:s}=p;return L(s.file,s.expiry.warningDays,!1,a(s,null),0)}let r=await E(n,t,e);if(!r)return null;await r.session.close();let{desired:i,plan:l}=r,C=a(i,l);return L(i.file,i.expiry.warningDays,!0,C,l.summary.errors)}var L=(n,t,o,e,r)=>({schemaVersion:1,policyFile:n,warningDays:t,live:o,exceptions:e,errors:r}),A=async(n,t)=>{let o=g("exceptions",n,t,F);if(o==="help")return t.stdout.write(R),0;let e=await b(o,t,o.offline);return e?(await u(o,t,y(o,"exceptions",e),d(e)),e.errors>0?(t.stderr.write(`error: ${e.errors} account(s) could not be read; whether their exceptions are open live is unknown
`),1):(e.live?e.exceptions.some(c):e.exceptions.some(i=>i.exception.daysLeft<0&&!i.grantedOtherwise))?2:0):1};export{A as exceptionsCommand};
