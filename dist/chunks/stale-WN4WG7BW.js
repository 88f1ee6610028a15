#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b}from"./chunk-UIPCOHSI.js";import"./chunk-TSSZS4WZ.js";import"./chunk-MG7TWOQO.js";import"./chunk-4Z7PS5GR.js";import"./chunk-DTOQKWYT.js";import"./chunk-7EH3PKYF.js";import"./chunk-G55HRKHZ.js";import"./chunk-HHHXZWDL.js";import"./chunk-VRBIEWGN.js";import"./chunk-ZD6W3ZBX.js";import"./chunk-AWJ7DZ2E.js";import"./chunk-TDY7ND5C.js";import"./chunk-U2CU34CX.js";export{a as commitRef,b as markPlanCommentStale};
