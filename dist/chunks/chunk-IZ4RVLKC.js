#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as n}from"./chunk-4EL7LTZ6.js";import{a as i}from"./chunk-G55HRKHZ.js";var a=t=>n[t];function g(t,o){for(let e of o)t.stderr.write(i(e)+`
`)}var r=class extends Error{};export{a,g as b,r as c};
