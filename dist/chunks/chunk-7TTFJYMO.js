#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as j}from"./chunk-HREB3IAB.js";import{b as E,c as S,d as x,e as C,f as v,g as O,h as P,j as I,k as b}from"./chunk-55BSVN3G.js";import{b as w,d as F}from"./chunk-6ICXQUOJ.js";import{d as g,h as L}from"./chunk-OI24Z44F.js";import{B as f,da as h,ea as y,p as u}from"./chunk-LIBEWEUZ.js";import{b as m,i as p}from"./chunk-66W7XIRR.js";var $=[...I,"detailed-exitcode"],k=`Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line. FILE.json (without
                         --format) saves the plan as JSON, for \`geo-permissions apply --plan FILE.json\`
  --detailed-exitcode    exit 2 when there are changes
${P}
${O($)}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;function G(e,t,o,a){let r=j(e,"plan",t),i={subject:"an apply"};if(e.format==="json"){let n=e.shard?m(e.shard):null;return p({...JSON.parse(r),guards:o,policySha256:a,shard:n})}return e.format==="markdown"?`${r.trimEnd()}

${h(o,i)}
`:`${r.trimEnd()}

${y(o,{...i,color:e.color&&!e.out})}`}async function V(e,t,o=new Date,a){let r=await E(e,t,o);if(!r||a&&!a(r))return null;let{desired:i}=r,n=await S(e),s=C(e,t,"reading accounts");try{let d=await g(n.gateway,i,e),c=u(i,d,e.shard),l=await L(n.gateway,{accounts:c.reads},{concurrency:e.concurrency,onProgress:s.update});return s.done(),{desired:c.desired,plan:F(c,l),live:l,session:n,policySha256:r.sha256}}catch(d){throw s.done(),await n.close(),d}}var z=async(e,t)=>{let o=b("plan",e,t,$);if(o==="help")return t.stdout.write(k),0;let a=await V(o,t);if(!a)return 1;await a.session.close();let{plan:r,desired:i}=a,n=w(r,i,v(o)),s=G(o,r,n,a.policySha256);return await x(o,t,s,f(r)),r.summary.errors>0?(t.stderr.write(`error: ${r.summary.errors} account(s) could not be read; the plan is incomplete (see the report)
`),1):o.detailedExitcode&&r.summary.changes>0?2:0};export{V as a,z as b};
