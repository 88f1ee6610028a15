// A minimal LSP client for the real yaml-language-server, spoken over its stdio as an editor does:
// Content-Length framed JSON-RPC, the server's own requests (configuration, capability registration)
// answered, diagnostics collected from textDocument/publishDiagnostics.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LspDiagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface CompletionItem {
  label: string;
  documentation?: string | { value: string };
}

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };

const YAML_SETTINGS = { validate: true, completion: true, hover: true, schemaStore: { enable: false } };

export class YamlLanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly diagnostics = new Map<string, { version: number; items: LspDiagnostic[] }>();
  private readonly diagnosticWaiters: Array<() => void> = [];
  private readonly versions = new Map<string, number>();

  private constructor() {
    const bin = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');
    this.child = spawn(process.execPath, [bin, '--stdio'], { stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.resume();
  }

  static async start(rootDir: string): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer();
    await server.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { completion: { completionItem: { documentationFormat: ['plaintext'] } } },
      },
    });
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', { settings: { yaml: YAML_SETTINGS } });
    return server;
  }

  /** Opens (or replaces) a document and waits for the diagnostics of that version. */
  async diagnose(file: string, text: string): Promise<LspDiagnostic[]> {
    const uri = pathToFileURL(path.resolve(file)).href;
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    if (version === 1)
      this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    else
      this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    for (;;) {
      const got = this.diagnostics.get(uri);
      if (got && got.version >= version) return got.items;
      await new Promise<void>((resolve) => this.diagnosticWaiters.push(resolve));
    }
  }

  async complete(file: string, line: number, character: number): Promise<CompletionItem[]> {
    const uri = pathToFileURL(path.resolve(file)).href;
    const result = (await this.request('textDocument/completion', {
      textDocument: { uri },
      position: { line, character },
    })) as { items: CompletionItem[] } | CompletionItem[] | null;
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  async stop(): Promise<void> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)));
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1],
      );
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(JSON.parse(body) as Message);
    }
  }

  private handle(m: Message): void {
    if (m.method === undefined && m.id !== undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method === 'textDocument/publishDiagnostics') {
      const p = m.params as { uri: string; version?: number; diagnostics: LspDiagnostic[] };
      this.diagnostics.set(p.uri, {
        version: p.version ?? this.versions.get(p.uri) ?? 0,
        items: p.diagnostics,
      });
      for (const wake of this.diagnosticWaiters.splice(0)) wake();
    } else if (m.id !== undefined) {
      // The server's own requests: settings for every section asked, and nothing to say to the rest.
      const items = (m.params as { items?: unknown[] } | undefined)?.items;
      const result = m.method === 'workspace/configuration' ? (items ?? []).map(() => YAML_SETTINGS) : null;
      this.send({ jsonrpc: '2.0', id: m.id, result });
    }
  }
}
