#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{a as e}from"./chunk-4EL7LTZ6.js";var i=t=>e[t],n=class extends Error{};export{i as a,n as b};
