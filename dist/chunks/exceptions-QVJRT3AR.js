#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as E}from"./chunk-PYU5VQHK.js";import{a as x}from"./chunk-43W6KY27.js";import{b as f,d as u,g as y,h as w,j as h,k as g}from"./chunk-3APEFVHK.js";import"./chunk-ZDI4UKH3.js";import"./chunk-HMGE7HYG.js";import"./chunk-4EL7LTZ6.js";import"./chunk-3PWKLDIL.js";import"./chunk-R5LHVHS3.js";import"./chunk-NIGMBFTR.js";import"./chunk-EFSO2AIZ.js";import"./chunk-KPRZ4R5U.js";import"./chunk-GHDQTF3G.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import"./chunk-FZKYSTRJ.js";import{P as a,Q as c,R as d}from"./chunk-7GA3QP6M.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HZMQSYDG.js";import"./chunk-MWHWYEJG.js";import{c as m}from"./chunk-CZ6IHGJ6.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";var F=[...h,"offline"],R=`Usage: geo-permissions exceptions [--policy FILE] [--format text|markdown|json] [--out FILE] [--offline]

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
${y(F)}
Exit status: 0 none expired and still open live, 2 one is expired and still open live (with
--offline: one is expired), 1 error (invalid policy, an account that could not be read).
`;async function b(n,o,t){let e=new Date;if(t){let p=await f(n,o,e);if(!p)return null;let{desired:s}=p;return L(s.file,s.expiry.warningDays,!1,a(s,null),0)}let i=await E(n,o,e);if(!i)return null;await i.session.close();let{desired:r,plan:l}=i,C=a(r,l);return L(r.file,r.expiry.warningDays,!0,C,l.summary.errors)}var L=(n,o,t,e,i)=>({schemaVersion:1,policyFile:n,warningDays:o,live:t,exceptions:e,errors:i}),A=async(n,o)=>{let t=g("exceptions",n,o,F);if(t==="help")return o.stdout.write(R),0;let e=await b(t,o,t.offline);return e?(await u(t,o,x(t,"exceptions",e),d(e)),e.errors>0?(o.stderr.write(`error: ${e.errors} account(s) could not be read; whether their exceptions are open live is unknown
`),1):(e.live?e.exceptions.some(c):e.exceptions.some(r=>r.exception.daysLeft<0))?2:0):1};export{A as exceptionsCommand};
