#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as p}from"./chunk-O7YCVYZ7.js";import{a as m}from"./chunk-QCP3T4AL.js";import{c}from"./chunk-EVDXL5NW.js";import"./chunk-GUCWI436.js";import"./chunk-7H3QZ5IY.js";import"./chunk-5ZDL4RCR.js";import"./chunk-U2CU34CX.js";import y from"node:path";var f=`Usage: geo-permissions validate [--policy FILE]

Checks the policy file without any network access and prints every problem as
FILE:LINE:COL: error|warning: MESSAGE on stderr.

Options:
  --policy FILE  the policy file (default: geo-permissions.yml)

Exit status: 0 valid (warnings allowed), 1 invalid.
`,$=async(n,o)=>{let r="geo-permissions.yml";for(let e=0;e<n.length;e++){let t=n[e];if(t==="--help"||t==="-h")return o.stdout.write(f),0;if(t==="--policy"&&n[e+1]!==void 0)r=n[++e];else if(t.startsWith("--policy="))r=t.slice(9);else throw new m(`validate: unexpected argument "${t}"

${f}`)}let w=y.resolve(o.cwd,r),a=await p(o,r,w,{now:new Date,mode:"validate"});if(!a)return 1;let{desired:l,diagnostics:i}=a;if(!l||c(i)){let e=i.filter(t=>t.severity==="error").length;return o.stderr.write(`${r}: invalid, ${e} error${e===1?"":"s"}
`),1}let d=l.accounts.length,s=i.length;return o.stdout.write(`${r}: valid, ${d} account${d===1?"":"s"}${s?`, ${s} warning${s===1?"":"s"}`:""}
`),0};export{$ as validateCommand};
