#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var S={SIGINT:130,SIGTERM:143};function r(t){let e=new AbortController,o=!1,n=null;return{signal:e.signal,beginWriting:()=>{o=!0},received:()=>n,onSignal(l){let i=l==="SIGTERM"?"SIGTERM":"SIGINT";if(n)return t.again(i,n);n=i,e.abort(i),o?t.whileWriting(i):t.beforeWriting(i)}}}export{S as a,r as b};
