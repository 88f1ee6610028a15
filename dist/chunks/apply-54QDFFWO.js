#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-A3MV6Q7T.js";import"./chunk-Z6J5IN3G.js";import"./chunk-QGZLBC2M.js";import"./chunk-52OJW7OI.js";import"./chunk-JHXPITMW.js";import"./chunk-XOZ4V6XL.js";import"./chunk-SO5JRIQM.js";import"./chunk-5WPB5Z3M.js";import"./chunk-5U5Q2EY4.js";import"./chunk-TV3HOFEF.js";import"./chunk-ZD6W3ZBX.js";import"./chunk-U2CU34CX.js";export{a as APPLY_OPTIONS,b as mergedPullRequest,c as runApply};
