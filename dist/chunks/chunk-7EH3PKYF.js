#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var e=["low_risk","high_risk_special","high_risk_tollfraud"];export{e as a};
