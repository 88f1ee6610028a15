#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,d as n,e as c,g as s}from"./chunk-EVDXL5NW.js";async function p(o,t,i,d){let e;try{({text:e}=await c(i,"pass --policy FILE"))}catch(r){if(!(r instanceof n))throw r;return o.stderr.write(r.message.replace(i,t)+`
`),null}let l=s(e,t,d);for(let r of l.diagnostics)o.stderr.write(a(r)+`
`);return l}export{p as a};
