#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as g}from"./chunk-SFE6GTAJ.js";import{a as u}from"./chunk-CAD36CSE.js";import{c as d,e as f,f as y,g as h}from"./chunk-UV7OLKT4.js";import"./chunk-5N2YZ6TO.js";import"./chunk-YRAHAJJC.js";import{a as p}from"./chunk-KGL6UBEU.js";import"./chunk-NH2I6TYQ.js";import"./chunk-PFIC4Z66.js";import{a as c,b as m,t as i}from"./chunk-RQJIUYLG.js";import"./chunk-2LFUIW5W.js";import"./chunk-MJFGANXR.js";import"./chunk-SOC5HXH2.js";import"./chunk-QCP3T4AL.js";import"./chunk-XOXSBWZP.js";import"./chunk-GUCWI436.js";import"./chunk-7H3QZ5IY.js";import"./chunk-IPYZFG6J.js";import"./chunk-U2CU34CX.js";import{createInterface as b}from"node:readline/promises";var v=`Usage: geo-permissions apply [--policy FILE] [--yes] [--force] [--max-changes N] [--allow-high-risk]

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
${f}
Exit status: 0 applied and verified, or nothing to do; 1 otherwise (refused by a guard, not
confirmed, a cell failed or was skipped, an account could not be read).
`;async function x(t){let e=b({input:process.stdin,output:process.stderr});try{return/^y(es)?$/i.test((await e.question(t)).trim())}finally{e.close()}}async function N(t,e){if(!(process.stdin.isTTY===!0&&t.stderr.isTTY===!0))return t.stderr.write(`error: apply writes to Twilio; pass --yes to confirm when not running on a terminal. Nothing was written.
`),!1;let s=`Apply ${e.summary.writes} changes (fingerprint ${e.fingerprint.slice(0,12)})? [y/N] `;return await x(s)?!0:(t.stderr.write(`Not confirmed; nothing was written.
`),!1)}var F=async(t,e)=>{let r=h("apply",t,e,[...y,"yes","force","max-changes","allow-high-risk"]);if(r==="help")return e.stdout.write(v),0;let s=await g(r,e);if(!s)return 1;let{desired:w,plan:a,session:l}=s;try{if(e.stderr.write(i("plan","text",a,{color:r.color})),a.summary.errors>0)return e.stderr.write(`error: ${a.summary.errors} account(s) could not be read; nothing was written
`),1;if(a.summary.writes===0)return e.stdout.write(`Nothing to apply: ${c(a)}
`),0;let n=await p({desired:w,plan:a,gateway:l.gateway,guards:{maxChangesOverride:r.maxChangesOverride,allowHighRisk:r.allowHighRisk},apply:{concurrency:r.concurrency},confirm:r.yes?void 0:()=>N(e,a)});if(n.status==="refused"&&e.stderr.write(i("refusals","text",n.refusals)),n.status!=="applied")return 1;let{result:o}=n,k=u(r,"apply",o);return await d(r,e,k,m(o)),o.ok?0:1}finally{await l.close()}};export{F as applyCommand};
