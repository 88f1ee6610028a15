#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{e as a,f as b}from"./chunk-L2HXUY5H.js";import"./chunk-XYZRFO2K.js";import"./chunk-FJISGHPL.js";import"./chunk-POGB6IOY.js";import"./chunk-WEGMOMI7.js";import"./chunk-PFIC4Z66.js";import"./chunk-2LFUIW5W.js";import"./chunk-MJFGANXR.js";import"./chunk-EQHZFOTW.js";import"./chunk-QCP3T4AL.js";import"./chunk-5SSMQ2AT.js";import"./chunk-5U5Q2EY4.js";import"./chunk-U2CU34CX.js";export{a as makePlan,b as planCommand};
