#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as p,b as f}from"./chunk-OPFUKAKE.js";import"./chunk-D75WCXS4.js";import"./chunk-4EL7LTZ6.js";import{a as d,c as l,e as m}from"./chunk-AHG7JPUO.js";import"./chunk-GUCWI436.js";import"./chunk-KCM5T4GU.js";import{b as c}from"./chunk-CCYNG45K.js";import"./chunk-U2CU34CX.js";import u from"node:path";var v=`Usage: geo-permissions validate [--policy FILE]

Checks the policy file without any network access and prints every problem as
FILE:LINE:COL: error|warning: MESSAGE on stderr.

Options:
  --policy FILE  the policy file (default: geo-permissions.yml)

Exit status: 0 valid (warnings allowed), 1 invalid.
`,C=async(w,r)=>{let n=f("validate",w,["policy"]);if(n==="help")return r.stdout.write(v),0;let t=n.values.policy??c,{desired:s,diagnostics:o,readable:y}=await m(u.resolve(r.cwd,t),{shown:t,pointAt:p,now:new Date,mode:"validate"});for(let e of o)r.stderr.write(d(e)+`
`);if(!y)return 1;if(!s||l(o)){let e=o.filter(g=>g.severity==="error").length;return r.stderr.write(`${t}: invalid, ${e} error${e===1?"":"s"}
`),1}let a=s.accounts.length,i=o.length;return r.stdout.write(`${t}: valid, ${a} account${a===1?"":"s"}${i?`, ${i} warning${i===1?"":"s"}`:""}
`),0};export{C as validateCommand};
