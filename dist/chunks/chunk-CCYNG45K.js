#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var t={attempts:6,delayMs:2e3},o="geo-permissions.yml",_=30;export{t as a,o as b,_ as c};
