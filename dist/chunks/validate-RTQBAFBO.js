#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{b as p,d as m,f as w}from"./chunk-HMGE7HYG.js";import"./chunk-4EL7LTZ6.js";import{j as c}from"./chunk-QQZR5TY3.js";import"./chunk-IAKLZ3KE.js";import"./chunk-7EH3PKYF.js";import{f as l}from"./chunk-G55HRKHZ.js";import"./chunk-HZMQSYDG.js";import"./chunk-MWHWYEJG.js";import{h as d}from"./chunk-CZ6IHGJ6.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";import u from"node:path";var v=`Usage: geo-permissions validate [--policy FILE]

Checks the policy file without any network access and prints every problem as
FILE:LINE:COL: error|warning: MESSAGE on stderr.

Options:
  --policy FILE  the policy file (default: geo-permissions.yml)

Exit status: 0 valid (warnings allowed), 1 invalid.
`,A=async(y,r)=>{let i=w("validate",y,["policy"]);if(i==="help")return r.stdout.write(v),0;let t=i.values.policy??d,{desired:n,diagnostics:e,readable:f}=await c(u.resolve(r.cwd,t),{shown:t,pointAt:m,now:new Date,mode:"validate"});if(p(r,e),!f)return 1;if(!n||l(e)){let a=e.filter(g=>g.severity==="error").length;return r.stderr.write(`${t}: invalid, ${a} error${a===1?"":"s"}
`),1}let s=n.accounts.length,o=e.length;return r.stdout.write(`${t}: valid, ${s} account${s===1?"":"s"}${o?`, ${o} warning${o===1?"":"s"}`:""}
`),0};export{A as validateCommand};
