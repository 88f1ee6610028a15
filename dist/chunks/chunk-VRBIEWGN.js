#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var s=class extends Error{constructor(e,t,r,o="other",u=null){super(`GitHub ${t} failed${e?` (HTTP ${e})`:""}: ${r}`);this.status=e;this.operation=t;this.kind=o;this.rateLimit=u}status;operation;kind;rateLimit};export{s as a};
