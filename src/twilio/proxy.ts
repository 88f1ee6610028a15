// Outbound proxies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms), read once from
// the environment the CLI or the action was given. Pure (no node:http), so the settings can load it;
// agents.ts hands the result to node's built-in proxy support.

/** The proxy variables as resolved: null where unset. */
export interface ProxySettings {
  /** The proxy of https:// requests (every real Twilio request). */
  https: string | null;
  /** The proxy of http:// requests (an emulator's base URL). */
  http: string | null;
  /** Hosts that bypass the proxy, comma-separated as written. */
  noProxy: string | null;
}

export const NO_PROXY_SETTINGS: ProxySettings = { https: null, http: null, noProxy: null };

type Env = Readonly<Record<string, string | undefined>>;

/** The lower-case form wins when both are set, as curl, node and @actions/http-client read them. */
function variable(env: Env, name: string): string | null {
  const value = env[name.toLowerCase()]?.trim() || env[name]?.trim();
  return value ? value : null;
}

/**
 * The proxy settings of an environment; an Error names the variable that is not an http(s) URL
 * (never its value: a proxy URL may carry a password). HTTPS requests fall back to HTTP_PROXY, as
 * twilio-node (6.x) does: it reads only HTTP_PROXY and sends its HTTPS requests through it.
 */
export function readProxyEnv(env: Env): ProxySettings {
  const httpProxy = variable(env, 'HTTP_PROXY');
  const httpsProxy = variable(env, 'HTTPS_PROXY');
  for (const [name, value] of [
    ['HTTPS_PROXY', httpsProxy],
    ['HTTP_PROXY', httpProxy],
  ] as const)
    if (value !== null && !isProxyUrl(value))
      throw new Error(
        `${name} must be an http:// or https:// proxy URL such as http://proxy.example.com:3128`,
      );
  return { https: httpsProxy ?? httpProxy, http: httpProxy, noProxy: variable(env, 'NO_PROXY') };
}

function isProxyUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The proxies' user names and passwords as given and as sent (Basic), for the mask hook. */
export function proxySecrets(proxy: ProxySettings): string[] {
  const secrets: string[] = [];
  for (const text of new Set([proxy.https, proxy.http])) {
    if (text === null) continue;
    const url = new URL(text);
    if (!url.password && !url.username) continue;
    const [user, password] = [decodeURIComponent(url.username), decodeURIComponent(url.password)];
    // A token given as the user part alone (http://TOKEN@proxy:3128) is as secret as a password.
    const secret = url.password ? [url.password, password] : [url.username, user];
    secrets.push(...secret, Buffer.from(`${user}:${password}`).toString('base64'));
  }
  return secrets;
}
