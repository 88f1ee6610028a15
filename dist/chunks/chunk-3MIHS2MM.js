#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as g}from"./chunk-Q4UXJHX2.js";import{a as f,b as h,c as w,d as y,e as x,f as C,h as E,i as L}from"./chunk-RX7R6F4C.js";import{b as p}from"./chunk-6QNDHJZX.js";import{e as u}from"./chunk-24MHK37O.js";import{J as c,K as l,m as d,x as m}from"./chunk-MG7TWOQO.js";import{f as s}from"./chunk-DTOQKWYT.js";var O=`Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line
  --detailed-exitcode    exit 2 when there are changes
${C}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;function j(r,a,t){let o=g(r,"plan",a),e={subject:"an apply"};return r.format==="json"?s({...JSON.parse(o),guards:t}):r.format==="markdown"?`${o.trimEnd()}

${c(t,e)}
`:`${o.trimEnd()}

${l(t,{...e,color:r.color&&!r.out})}`}async function F(r,a,t=new Date){let o=await f(r,a,t);if(!o)return null;let e=await h(r),i=y(r,a,"reading accounts");try{let n=await u(e.gateway,o,{concurrency:r.concurrency,onProgress:i.update});return i.done(),{desired:o,plan:m(o,n),session:e}}catch(n){throw i.done(),await e.close(),n}}var G=async(r,a)=>{let t=L("plan",r,a,[...E,"detailed-exitcode"]);if(t==="help")return a.stdout.write(O),0;let o=await F(t,a);if(!o)return 1;await o.session.close();let{plan:e,desired:i}=o,n=j(t,e,p(e,i,x(t)));return await w(t,a,n,d(e)),e.summary.errors>0?(a.stderr.write(`error: ${e.summary.errors} account(s) could not be read; the plan is incomplete (see the report)
`),1):t.detailedExitcode&&e.summary.changes>0?2:0};export{F as a,G as b};
