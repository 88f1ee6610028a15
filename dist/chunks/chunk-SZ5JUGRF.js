#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as x}from"./chunk-E4JQWYKR.js";import{b as w,c as g,d as L,e as E,f as F,g as S,h as C,j,k as O}from"./chunk-HIIIQ6TI.js";import{b as h}from"./chunk-X43IZSTC.js";import{e as y}from"./chunk-24MHK37O.js";import{b as l}from"./chunk-2LFUIW5W.js";import{K as u,L as f,m,y as p}from"./chunk-BVG5AY2N.js";import{f as c}from"./chunk-DTOQKWYT.js";var P=[...j,"detailed-exitcode"],I=`Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line. FILE.json (without
                         --format) saves the plan as JSON, for \`geo-permissions apply --plan FILE.json\`
  --detailed-exitcode    exit 2 when there are changes
${C}
${S(P)}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;function v(r,t,o,a){let e=x(r,"plan",t),n={subject:"an apply"};if(r.format==="json"){let i=r.shard?l(r.shard):null;return c({...JSON.parse(e),guards:o,policySha256:a,shard:i})}return r.format==="markdown"?`${e.trimEnd()}

${u(o,n)}
`:`${e.trimEnd()}

${f(o,{...n,color:r.color&&!r.out})}`}async function $(r,t,o=new Date,a){let e=await w(r,t,o);if(!e||a&&!a(e))return null;let{desired:n}=e,i=await g(r),s=E(r,t,"reading accounts");try{let d=await y(i.gateway,n,{concurrency:r.concurrency,onProgress:s.update});return s.done(),{desired:n,plan:p(n,d),session:i,policySha256:e.sha256}}catch(d){throw s.done(),await i.close(),d}}var A=async(r,t)=>{let o=O("plan",r,t,P);if(o==="help")return t.stdout.write(I),0;let a=await $(o,t);if(!a)return 1;await a.session.close();let{plan:e,desired:n}=a,i=h(e,n,F(o)),s=v(o,e,i,a.policySha256);return await L(o,t,s,m(e)),e.summary.errors>0?(t.stderr.write(`error: ${e.summary.errors} account(s) could not be read; the plan is incomplete (see the report)
`),1):o.detailedExitcode&&e.summary.changes>0?2:0};export{$ as a,A as b};
