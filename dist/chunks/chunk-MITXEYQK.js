#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{t as r}from"./chunk-FYH6EGLP.js";function i(t,o,e){return r(o,t.format,e,{color:t.color&&!t.out})}export{i as a};
