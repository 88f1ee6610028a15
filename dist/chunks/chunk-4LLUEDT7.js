#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as t}from"./chunk-7UK6UJOH.js";var _=8,s=t.free,E=14,T=50,e={attempts:6,delayMs:2e3},A={attempts:4,delayMs:1e3},p="geo-permissions.yml",r=30;export{_ as a,s as b,E as c,T as d,e,A as f,p as g,r as h};
