#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var s=class extends Error{constructor(e,t,r){super(`GitHub ${t} failed${e?` (HTTP ${e})`:""}: ${r}`);this.status=e;this.operation=t}status;operation};export{s as a};
