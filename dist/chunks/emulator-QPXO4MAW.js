#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{c as w,d as h}from"./chunk-WBQNAH6A.js";import{a as s}from"./chunk-QCP3T4AL.js";import"./chunk-GUCWI436.js";import"./chunk-5ZDL4RCR.js";import"./chunk-U2CU34CX.js";import{readFile as I}from"node:fs/promises";import $ from"node:path";var c=`Usage: geo-permissions emulator [--port N] [--host H] [--state FILE] [--seed demo]

Runs a Twilio-compatible emulator (voice dialing permissions, messaging geo permissions,
Monitor events, v2010 accounts) plus a control API under /__emulator/ until stopped.
Point the other commands at it with --twilio-url URL (env TWILIO_API_URL). See docs/emulator.md.

Options:
  --port N        port to listen on (default: 4010; 0 picks a free one)
  --host H        address to bind (default: 127.0.0.1)
  --state FILE    start from this state file (JSON; read once, never written)
  --seed demo     start from the demo fleet (a parent and two subaccounts)
`,N=async(l,n)=>{let a=4010,p="127.0.0.1",i=null,d;for(let t=0;t<l.length;t++){let e=l[t],[o,g]=e.startsWith("--")&&e.includes("=")?e.split(/=(.*)/s,2):[e,void 0],u=()=>{let r=g??l[++t];if(r===void 0)throw new s(`emulator: ${o} needs a value

${c}`);return r};if(o==="--help"||o==="-h")return n.stdout.write(c),0;if(o==="--port"){if(a=Number(u()),!Number.isInteger(a)||a<0||a>65535)throw new s(`emulator: --port must be a port number, got "${l[t]}"`)}else if(o==="--host")p=u();else if(o==="--state")i=u();else if(o==="--seed"){let r=u();if(r!=="demo")throw new s(`emulator: the only seed is "demo", got "${r}"`);d=r}else throw new s(`emulator: unexpected argument "${e}"

${c}`)}if(i&&d)throw new s("emulator: give --state or --seed, not both");let f;if(i){let t=$.resolve(n.cwd,i);try{f=w(JSON.parse(await I(t,"utf8")))}catch(e){return n.stderr.write(`error: ${i}: ${e instanceof Error?e.message:String(e)}
`),1}}let m=await h({port:a,host:p,state:f,seed:d});return n.stdout.write(`Twilio emulator listening on ${m.url} (${m.state().accounts.length} accounts)
`),n.stdout.write(`control API: ${m.url}/__emulator/state | console | requests | faults; Ctrl-C stops
`),await new Promise(t=>{process.once("SIGINT",t),process.once("SIGTERM",t)}),await m.stop(),0};export{N as emulatorCommand};
