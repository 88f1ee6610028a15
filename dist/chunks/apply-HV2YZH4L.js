#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-RDTNN3TG.js";import"./chunk-5UHOQYWH.js";import"./chunk-QGZLBC2M.js";import"./chunk-A2REMTKE.js";import"./chunk-JHXPITMW.js";import"./chunk-27SVQKIW.js";import"./chunk-SO5JRIQM.js";import"./chunk-5WPB5Z3M.js";import"./chunk-5U5Q2EY4.js";import"./chunk-TV3HOFEF.js";import"./chunk-ZD6W3ZBX.js";import"./chunk-U2CU34CX.js";export{a as APPLY_OPTIONS,b as mergedPullRequest,c as runApply};
