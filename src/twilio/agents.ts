// The keep-alive agents of the transport, through the proxies of proxy.ts when set: node's built-in
// proxy support (the `proxyEnv` option of http(s).Agent, node 22.21 / 24.5 and later) tunnels HTTPS
// with CONNECT and sends HTTP in absolute form, so no proxy library is needed.
import http from 'node:http';
import https from 'node:https';
import type { ProxySettings } from './proxy.js';

/**
 * NO_PROXY for node: a bare `example.com` also covers its subdomains, as curl and the GitHub runner
 * (@actions/http-client) read it; node matches subdomains only for `.example.com`, so both are given.
 */
function nodeNoProxy(noProxy: string | null): string | undefined {
  if (noProxy === null) return undefined;
  const entries = noProxy
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const expanded = entries.flatMap((entry) =>
    entry === '*' || entry.startsWith('.') || /^[\d.:[\]]+$/.test(entry) ? [entry] : [entry, `.${entry}`],
  );
  return expanded.join(',');
}

/** Node's proxyEnv option is silently ignored before these versions, so a set proxy must refuse there. */
export function nodeHonoursProxyEnv(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5) || (major === 22 && minor >= 21);
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

// One pair of keep-alive agents per proxy configuration: connections are reused across accounts and
// gateways, as fetch's global pool did.
const agentCache = new Map<string, Agents>();

/** The keep-alive agents that send requests through `proxy` (none set: straight to the host). */
export function agentsFor(proxy: ProxySettings): Agents {
  const key = JSON.stringify(proxy);
  let agents = agentCache.get(key);
  if (!agents) {
    const proxied = proxy.https !== null || proxy.http !== null;
    if (proxied && !nodeHonoursProxyEnv())
      throw new Error(
        `a proxy is set (HTTPS_PROXY / HTTP_PROXY) but node ${process.versions.node} cannot send requests through one: use node 24.5 or later`,
      );
    const proxyEnv = proxied
      ? {
          HTTPS_PROXY: proxy.https ?? undefined,
          HTTP_PROXY: proxy.http ?? undefined,
          NO_PROXY: nodeNoProxy(proxy.noProxy),
        }
      : undefined;
    agents = {
      http: new http.Agent({ keepAlive: true, ...(proxyEnv ? { proxyEnv } : {}) }),
      https: new https.Agent({ keepAlive: true, ...(proxyEnv ? { proxyEnv } : {}) }),
    };
    agentCache.set(key, agents);
  }
  return agents;
}
