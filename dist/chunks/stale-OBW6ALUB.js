#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a,b}from"./chunk-U5V6MXLU.js";import"./chunk-47DFT5E4.js";import"./chunk-QGEUJ2YO.js";import"./chunk-4Z7PS5GR.js";import"./chunk-B3GCRQOQ.js";import"./chunk-GUCWI436.js";import"./chunk-G55HRKHZ.js";import"./chunk-CEF22K3O.js";import"./chunk-VRBIEWGN.js";import"./chunk-ZD6W3ZBX.js";import"./chunk-CCYNG45K.js";import"./chunk-U2CU34CX.js";export{a as commitRef,b as markPlanCommentStale};
