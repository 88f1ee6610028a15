#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-EAKGF32E.js";import"./chunk-MX4IZHK6.js";import"./chunk-RAHBHYFS.js";import"./chunk-J42PPMVZ.js";import"./chunk-3JXZPINU.js";import"./chunk-5NFXFDDD.js";import"./chunk-5WPB5Z3M.js";import"./chunk-5U5Q2EY4.js";import"./chunk-TV3HOFEF.js";import"./chunk-ZD6W3ZBX.js";import"./chunk-U2CU34CX.js";export{a as APPLY_OPTIONS,b as mergedPullRequest,c as runApply};
