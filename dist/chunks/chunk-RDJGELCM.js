#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var t=class extends Error{constructor(e,s,r,o="other",a=null){super(`GitHub ${s} failed${e?` (HTTP ${e})`:""}: ${r}`);this.status=e;this.operation=s;this.kind=o;this.rateLimit=a}status;operation;kind;rateLimit};export{t as a};
