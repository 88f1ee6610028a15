#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as t}from"./chunk-7UK6UJOH.js";var _=8,s=t.free,E=14,e="enforce",T=50,A={attempts:6,delayMs:2e3},D={attempts:4,delayMs:1e3},n="geo-permissions.yml",r=30;export{_ as a,s as b,E as c,e as d,T as e,A as f,D as g,n as h,r as i};
