#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as h}from"./chunk-XNWHGIZB.js";import{a as d,b as l,c as p,d as u,e as w,f,g as y}from"./chunk-WMCS2BDW.js";import{j as m}from"./chunk-YXW65QN5.js";import{e as s}from"./chunk-SYA24IDG.js";import{e as c}from"./chunk-5UNRCNKH.js";var g=`Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line
  --detailed-exitcode    exit 2 when there are changes
${w}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;async function x(a,t,r=new Date){let o=await d(a,t,r);if(!o)return null;let e=await l(a),i=u(a,t,"reading accounts");try{let n=await c(e.gateway,o,{concurrency:a.concurrency,onProgress:i.update});return i.done(),{desired:o,plan:m(o,n),session:e}}catch(n){throw i.done(),await e.close(),n}}var P=async(a,t)=>{let r=y("plan",a,t,[...f,"detailed-exitcode"]);if(r==="help")return t.stdout.write(g),0;let o=await x(r,t);if(!o)return 1;await o.session.close();let{plan:e}=o,i=h(r,"plan",e);return await p(r,t,i,s(e)),e.summary.errors>0?(t.stderr.write(`error: ${e.summary.errors} account(s) could not be read; the plan is incomplete (see the report)
`),1):r.detailedExitcode&&e.summary.changes>0?2:0};export{x as a,P as b};
