#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as k}from"./chunk-3MIHS2MM.js";import{a as g}from"./chunk-Q4UXJHX2.js";import{c as y,e as h,f as w,h as b,i as I}from"./chunk-RX7R6F4C.js";import"./chunk-3HERZKBC.js";import"./chunk-OBLJ3B5N.js";import{a as f}from"./chunk-IZ4RVLKC.js";import"./chunk-4EL7LTZ6.js";import"./chunk-P5WA7OLX.js";import"./chunk-WGLSTVOD.js";import{a as m}from"./chunk-OLNBRBBP.js";import"./chunk-6QNDHJZX.js";import"./chunk-24MHK37O.js";import"./chunk-2LFUIW5W.js";import"./chunk-LMBRK353.js";import"./chunk-MJFGANXR.js";import"./chunk-IAKLZ3KE.js";import{M as l,m as d,n as u}from"./chunk-MG7TWOQO.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HHHXZWDL.js";import"./chunk-AWJ7DZ2E.js";import"./chunk-TDY7ND5C.js";import"./chunk-U2CU34CX.js";import{createInterface as T}from"node:readline/promises";var v=`Usage: geo-permissions apply [--policy FILE] [--yes] [--force] [--max-changes N] [--allow-high-risk]

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
${w}
Ctrl-C (SIGINT) or SIGTERM: before any write, or at the prompt, stops with nothing written; during the
writes, starts no new account, ends the accounts in flight safely (their disables are sent, no enable
is started), reads them back and reports, the rest reported as skipped; a second signal stops at once.

Exit status: 0 applied and verified, or nothing to do; 1 otherwise (refused by a guard, not
confirmed, a cell failed or was skipped, an account could not be read); 130 after SIGINT, 143 after SIGTERM.
`;async function x(n){let e=T({input:process.stdin,output:process.stderr});try{let t=new Promise(s=>e.once("SIGINT",()=>s("interrupted"))),a=e.question(n).then(s=>/^y(es)?$/i.test(s.trim())?"yes":"no");return await Promise.race([a,t])}finally{e.close()}}async function C(n,e,t){if(!(process.stdin.isTTY===!0&&n.stderr.isTTY===!0))return n.stderr.write(`error: apply writes to Twilio; pass --yes to confirm when not running on a terminal. Nothing was written.
`),!1;let s=`Apply ${e.summary.writes} changes (fingerprint ${e.fingerprint.slice(0,12)})? [y/N] `,r=await x(s);return r==="yes"?(n.interrupt?.beginWriting(),!0):(t.interrupted=r==="interrupted",n.stderr.write(t.interrupted?`
Interrupted; nothing was written.
`:`Not confirmed; nothing was written.
`),!1)}var $=async(n,e)=>{let t=I("apply",n,e,[...b,"yes","force","max-changes","allow-high-risk"]);if(t==="help")return e.stdout.write(v),0;let a=await k(t,e);if(!a)return 1;let{desired:s,plan:r,session:p}=a;try{if(e.stderr.write(l("plan","text",r,{color:t.color})),r.summary.errors>0)return e.stderr.write(`error: ${r.summary.errors} account(s) could not be read; nothing was written
`),1;if(r.summary.writes===0)return e.stdout.write(`Nothing to apply: ${d(r)}
`),0;let c={interrupted:!1};t.yes&&e.interrupt?.beginWriting();let i=await m({desired:s,plan:r,gateway:p.gateway,guards:h(t),apply:{concurrency:t.concurrency,signal:e.interrupt?.signal},confirm:t.yes?void 0:()=>C(e,r,c)});if(i.status==="refused"&&e.stderr.write(l("refusals","text",i.refusals)),i.status!=="applied")return c.interrupted?f("SIGINT"):1;let{result:o}=i,N=g(t,"apply",o);return await y(t,e,N,u(o)),o.ok?0:1}finally{await p.close()}};export{$ as applyCommand};
