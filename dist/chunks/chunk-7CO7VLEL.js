#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as C}from"./chunk-HVT5TJ2G.js";import{b as F,c as E,d as S,e as x,f as j,g as v,h as O,j as P,k as I}from"./chunk-XPCAZBBS.js";import{b as h,d as y,e as g,f as L}from"./chunk-R3N4443X.js";import{e as w}from"./chunk-24MHK37O.js";import{b as l}from"./chunk-2LFUIW5W.js";import{L as u,M as f,y as p}from"./chunk-X7GJSQCU.js";import{f as m}from"./chunk-DTOQKWYT.js";var b=[...P,"detailed-exitcode"],k=`Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line. FILE.json (without
                         --format) saves the plan as JSON, for \`geo-permissions apply --plan FILE.json\`
  --detailed-exitcode    exit 2 when there are changes
${O}
${v(b)}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;function G(e,t,o,a){let r=C(e,"plan",t),i={subject:"an apply"};if(e.format==="json"){let n=e.shard?l(e.shard):null;return m({...JSON.parse(r),guards:o,policySha256:a,shard:n})}return e.format==="markdown"?`${r.trimEnd()}

${u(o,i)}
`:`${r.trimEnd()}

${f(o,{...i,color:e.color&&!e.out})}`}async function V(e,t,o=new Date,a){let r=await F(e,t,o);if(!r||a&&!a(r))return null;let{desired:i}=r,n=await E(e),s=x(e,t,"reading accounts");try{let d=await y(n.gateway,i,e),c=g(i,d),$=await w(n.gateway,{accounts:c.reads},{concurrency:e.concurrency,onProgress:s.update});return s.done(),{desired:c.desired,plan:L(c,$),session:n,policySha256:r.sha256}}catch(d){throw s.done(),await n.close(),d}}var z=async(e,t)=>{let o=I("plan",e,t,b);if(o==="help")return t.stdout.write(k),0;let a=await V(o,t);if(!a)return 1;await a.session.close();let{plan:r,desired:i}=a,n=h(r,i,j(o)),s=G(o,r,n,a.policySha256);return await S(o,t,s,p(r)),r.summary.errors>0?(t.stderr.write(`error: ${r.summary.errors} account(s) could not be read; the plan is incomplete (see the report)
`),1):o.detailedExitcode&&r.summary.changes>0?2:0};export{V as a,z as b};
