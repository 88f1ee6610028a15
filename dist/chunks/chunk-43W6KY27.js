#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{aa as o}from"./chunk-7GA3QP6M.js";function i(r,t,e){return o(t,r.format,e,{color:r.color&&!r.out})}export{i as a};
