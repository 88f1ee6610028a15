// A small real HTTP proxy on 127.0.0.1 for the proxy tests: it records every request it is asked to
// carry, refuses CONNECT tunnels (the tests never reach the real Twilio: what matters is the host the
// transport asked for) and forwards plain http:// requests in absolute form (to the emulator).
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyRecord {
  /** CONNECT for a tunnel, else the forwarded request's method. */
  method: string;
  /** host:port of a CONNECT, the absolute URL of a forwarded request. */
  target: string;
  /** Whether the client sent Proxy-Authorization (the value is never kept). */
  proxyAuthorization: boolean;
}

export interface RecordingProxy {
  url: string;
  records: ProxyRecord[];
  /** The CONNECT targets only, in order. */
  tunnels(): string[];
  stop(): Promise<void>;
}

/** The status line a refused tunnel answers with. */
export const TUNNEL_REFUSAL = '403 Forbidden';

export async function startRecordingProxy(): Promise<RecordingProxy> {
  const records: ProxyRecord[] = [];
  const record = (method: string, target: string, headers: IncomingHttpHeaders) =>
    records.push({ method, target, proxyAuthorization: headers['proxy-authorization'] !== undefined });
  const server = createServer((req, res) => {
    record(req.method ?? 'GET', req.url ?? '', req.headers);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form requests only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = request(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket) => {
    record('CONNECT', req.url ?? '', req.headers);
    socket.end(`HTTP/1.1 ${TUNNEL_REFUSAL}\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    tunnels: () => records.filter((r) => r.method === 'CONNECT').map((r) => r.target),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
