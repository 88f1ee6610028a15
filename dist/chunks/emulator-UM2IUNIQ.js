#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
import{c,e as p}from"./chunk-GJH5ROOU.js";import{c as n,f as l,g as u}from"./chunk-HMGE7HYG.js";import"./chunk-4EL7LTZ6.js";import"./chunk-IAKLZ3KE.js";import"./chunk-G55HRKHZ.js";import"./chunk-HZMQSYDG.js";import"./chunk-MWHWYEJG.js";import"./chunk-7UK6UJOH.js";import"./chunk-U2CU34CX.js";import{readFile as g}from"node:fs/promises";import E from"node:path";var I=`Usage: geo-permissions emulator [--port N] [--host H] [--state FILE] [--seed demo]

Runs a Twilio-compatible emulator (voice dialing permissions, messaging geo permissions,
Monitor events, v2010 accounts) plus a control API under /__emulator/ until stopped.
Point the other commands at it with --twilio-url URL (env TWILIO_API_URL). See docs/emulator.md.

Options:
  --port N        port to listen on (default: 4010; 0 picks a free one)
  --host H        address to bind (default: 127.0.0.1)
  --state FILE    start from this state file (JSON; read once, never written)
  --seed demo     start from the demo fleet (a parent and two subaccounts)
`,_=async(f,e)=>{let i=l("emulator",f,["port","host","state","seed"]);if(i==="help")return e.stdout.write(I),0;let{values:t}=i,w=u("port",t.port,0,65535)??4010,h=t.host??"127.0.0.1",o=t.state??null;if(t.seed!==void 0&&t.seed!=="demo")throw new n(`emulator: the only seed is "demo", got "${t.seed}"`);let m=t.seed==="demo"?"demo":void 0;if(o&&m)throw new n("emulator: give --state or --seed, not both");let d;if(o){let s=E.resolve(e.cwd,o);try{d=c(JSON.parse(await g(s,"utf8")))}catch(a){return e.stderr.write(`error: ${o}: ${a instanceof Error?a.message:String(a)}
`),1}}let r=await p({port:w,host:h,state:d,seed:m});return e.stdout.write(`Twilio emulator listening on ${r.url} (${r.state().accounts.length} accounts)
`),e.stdout.write(`control API: ${r.url}/__emulator/state | console | requests | faults; Ctrl-C stops
`),await new Promise(s=>{process.once("SIGINT",s),process.once("SIGTERM",s)}),await r.stop(),0};export{_ as emulatorCommand};
