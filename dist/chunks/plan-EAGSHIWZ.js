#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{e as a,f as b}from"./chunk-EHTQ2JS5.js";import"./chunk-JFAUURTC.js";import"./chunk-FJISGHPL.js";import"./chunk-QGZLBC2M.js";import"./chunk-KB6NOWMP.js";import"./chunk-VBNON2IG.js";import"./chunk-37FLVT6X.js";import"./chunk-5WPB5Z3M.js";import"./chunk-RIUKUUWC.js";import"./chunk-QCP3T4AL.js";import"./chunk-5ZVSVRHG.js";import"./chunk-5U5Q2EY4.js";import"./chunk-U2CU34CX.js";export{a as makePlan,b as planCommand};
