#!/usr/bin/env node
import { createRequire as __geoCreateRequire } from 'node:module'; const require = __geoCreateRequire(import.meta.url);
var o=class extends Error{};var s=async(t,r)=>(r.stderr.write(`error: "validate" is not available in this build yet
`),1);var d=async(t,r)=>(r.stderr.write(`error: "plan" is not available in this build yet
`),1);var p=async(t,r)=>(r.stderr.write(`error: "apply" is not available in this build yet
`),1);var l=async(t,r)=>(r.stderr.write(`error: "drift" is not available in this build yet
`),1);var c=async(t,r)=>(r.stderr.write(`error: "export" is not available in this build yet
`),1);var u=async(t,r)=>(r.stderr.write(`error: "why" is not available in this build yet
`),1);var y=async(t,r)=>(r.stderr.write(`error: "emulator" is not available in this build yet
`),1);var a={validate:{run:s,summary:"check the policy file, no network (exit 0 valid, 1 invalid)"},plan:{run:d,summary:"compare live Twilio state with the policy (exit 2 with --detailed-exitcode and changes)"},apply:{run:p,summary:"plan, check guards, write in a safe order, read every cell back"},drift:{run:l,summary:"the plan framed as drift, with who changed what (exit 2 on drift)"},export:{run:c,summary:"write a policy from live state; planning it yields no changes"},why:{run:u,summary:"can this account call or text NUMBER, and which policy line decides it"},emulator:{run:y,summary:"run the Twilio emulator on 127.0.0.1"}};function f(){let t=Math.max(...Object.keys(a).map(e=>e.length));return["Usage: geo-permissions <command> [options]","","Commands:",...Object.entries(a).map(([e,i])=>`  ${e.padEnd(t)}  ${i.summary}`),"","Run `geo-permissions <command> --help` for the options of one command.",""].join(`
`)}async function C(t,r){let[e,...i]=t;if(!e||e==="--help"||e==="-h"||e==="help")return r.stdout.write(f()),e?0:1;let m=a[e];if(!m)return r.stderr.write(`error: unknown command "${e}"

${f()}`),1;try{return await m.run(i,r)}catch(n){return n instanceof o?(r.stderr.write(`error: ${n.message}
`),1):(r.stderr.write(`error: ${n instanceof Error?n.message:String(n)}
`),1)}}process.exitCode=await C(process.argv.slice(2),{stdout:process.stdout,stderr:process.stderr,env:process.env,cwd:process.cwd()});
