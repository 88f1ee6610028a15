#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as E}from"./chunk-SVZCULXK.js";import{a as w}from"./chunk-HXB2VBCY.js";import{c as g,e as y,f as k,g as b}from"./chunk-D54XBKDI.js";import"./chunk-WBQNAH6A.js";import"./chunk-5776EMBE.js";import{a as f,b as h}from"./chunk-Y4DFS6ST.js";import"./chunk-77Z6JVDD.js";import"./chunk-PFIC4Z66.js";import{a as p,b as d,t as u}from"./chunk-5P74EURW.js";import"./chunk-2LFUIW5W.js";import"./chunk-MJFGANXR.js";import"./chunk-O7YCVYZ7.js";import"./chunk-QCP3T4AL.js";import"./chunk-EVDXL5NW.js";import"./chunk-GUCWI436.js";import{a as m}from"./chunk-7H3QZ5IY.js";import"./chunk-5ZDL4RCR.js";import"./chunk-U2CU34CX.js";import{createInterface as x}from"node:readline/promises";var L=`Usage: geo-permissions apply [--policy FILE] [--yes] [--force] [--max-changes N] [--allow-high-risk]

Plans, checks the guards, then writes: disables first, inheritance changes in the safe order,
messaging disables then enables, voice enables last; then reads every touched cell back. A failed restrictive write stops
that account's enables, so a failure part-way never leaves an account more open than before.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --yes, -y              do not ask for confirmation (required when stdin is not a terminal)
  --max-changes N        allow up to N written cells, instead of guards.max_changes
  --force                skip the max_changes guard (and only that guard)
  --allow-high-risk      allow enabling high-risk special and toll-fraud voice permissions
                         (never on trial accounts; guards.never_disable has no flag: edit the policy)
  --format F             report format: text (default), markdown or json
  --out FILE             write the report to FILE
${k}
Exit status: 0 applied and verified, or nothing to do; 1 otherwise (refused by a guard, not
confirmed, a cell failed or was skipped, an account could not be read).
`;async function N(s,e){let r=x({input:process.stdin,output:process.stderr});try{return/^y(es)?$/i.test((await r.question(e)).trim())}finally{r.close()}}var S=async(s,e)=>{let r=b("apply",s,e,[...y,"yes","force","max-changes","allow-high-risk"]);if(r==="help")return e.stdout.write(L),0;let i=await E(r,e);if(!i)return 1;let{desired:o,plan:t,session:l}=i;try{if(e.stderr.write(u("plan","text",t,{color:r.color})),t.summary.errors>0)return e.stderr.write(`error: ${t.summary.errors} account(s) could not be read; nothing was written
`),1;if(t.summary.writes===0)return e.stdout.write(`Nothing to apply: ${p(t)}
`),0;let c=h(t,o,{maxChangesOverride:r.maxChangesOverride,allowHighRisk:r.allowHighRisk});if(c.length>0){for(let n of c)e.stderr.write(`refused (${n.guard}): ${n.message}
`);return e.stderr.write(`Nothing was written.
`),1}if(!r.yes){if(!(process.stdin.isTTY===!0&&e.stderr.isTTY===!0))return e.stderr.write(`error: apply writes to Twilio; pass --yes to confirm when not running on a terminal. Nothing was written.
`),1;if(!await N(e,`Apply ${t.summary.writes} changes (fingerprint ${t.fingerprint.slice(0,12)})? [y/N] `))return e.stderr.write(`Not confirmed; nothing was written.
`),1}let a=await f(o,t,l.gateway,{batchSize:50,concurrency:r.concurrency,readBack:m}),v=w(r,"apply",a);return await g(r,e,v,d(a)),a.ok?0:1}finally{await l.close()}};export{S as applyCommand};
