#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{ia as o}from"./chunk-LIBEWEUZ.js";function i(r,t,e){return o(t,r.format,e,{color:r.color&&!r.out})}export{i as a};
