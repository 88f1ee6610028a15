#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{constants as e}from"node:os";var i=t=>128+e.signals[t],n=class extends Error{};export{i as a,n as b};
