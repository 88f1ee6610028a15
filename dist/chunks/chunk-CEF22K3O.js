#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var t=o=>new RegExp(`^${o}[0-9a-fA-F]{32}$`),s=t("AC"),n=t("SK"),e=t("US"),r=o=>`${o}[0-9a-fA-F]{32}`,p=/^https?:\/\/[^/]+/,c=t;export{s as a,n as b,e as c,r as d,p as e,c as f};
