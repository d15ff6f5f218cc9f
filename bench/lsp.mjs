// A small LSP client for the benchmark: spawns a language server over stdio, answers the requests an
// editor answers, and times didChange → publishDiagnostics. Used for keepalive-lint's server
// (dist/server.js) and for yaml-language-server, the anchor.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export class LspClient {
  constructor(command, args, { cwd, settings = {} } = {}) {
    this.child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.settings = settings;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = [];
    this.logs = [];
    this.stderr = '';
    this.buffer = Buffer.alloc(0);
    this.child.stdout.on('data', (chunk) => this.receive(chunk));
    this.child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-20_000);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body), performance.now());
    }
  }

  dispatch(message, at) {
    if (message.id !== undefined && message.method === undefined) {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) pending?.reject(new Error(`${pending.method}: ${message.error.message}`));
      else pending?.resolve(message.result);
      return;
    }
    if (message.id !== undefined) {
      this.answer(message);
      return;
    }
    if (message.method === 'window/logMessage') this.logs.push(message.params.message);
    for (const listener of [...this.listeners]) listener(message, at);
  }

  /** What an editor answers: settings, registrations, progress tokens, workspace folders. */
  answer(request) {
    let result = null;
    if (request.method === 'workspace/configuration') result = request.params.items.map((item) => (item.section ? (this.settings[item.section] ?? null) : this.settings));
    else if (request.method === 'workspace/workspaceFolders') result = this.folders ?? null;
    this.send({ jsonrpc: '2.0', id: request.id, result });
  }

  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method, params, timeoutMs = 120_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification `method` whose params pass `test`, with the time it arrived. */
  waitFor(method, test = () => true, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`no ${method} in ${timeoutMs} ms; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const listener = (message, at) => {
        if (message.method !== method || !test(message.params)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve({ params: message.params, at });
      };
      this.listeners.push(listener);
    });
  }

  async initialize(root, initializationOptions) {
    const uri = pathToFileURL(root).href;
    this.folders = [{ uri, name: 'bench' }];
    await this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: this.folders,
      initializationOptions,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, synchronization: { didSave: true } },
        window: { workDoneProgress: true },
      },
    });
    this.notify('initialized', {});
  }

  async stop() {
    try {
      await this.request('shutdown', null, 10_000);
      this.notify('exit', null);
    } catch {
      // a server that does not answer is killed below
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Peak and current resident set of a live process, in MB (Linux /proc; undefined elsewhere). */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Opens `path`, then makes `edits` edits one after the other (appending and removing a character on
 * the line that contains `marker`), each timed from didChange to the publishDiagnostics for that
 * document (for that version, when the server says which). The first `warmup` are not counted.
 */
export async function editLatency(client, path, languageId, { marker, edits = 100, warmup = 10, versioned = true, timeoutMs = 60_000 }) {
  const uri = pathToFileURL(path).href;
  let text = readFileSync(path, 'utf8');
  let version = 1;
  const first = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri, timeoutMs);
  const opened = performance.now();
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  const initial = await first;
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(marker));
  if (line < 0) throw new Error(`${path}: no line with ${marker}`);
  const times = [];
  for (let i = 0; i < warmup + edits; i++) {
    const column = lines[line].length;
    const change = i % 2 === 0 ? { range: { start: { line, character: column }, end: { line, character: column } }, text: 'x' } : { range: { start: { line, character: column - 1 }, end: { line, character: column } }, text: '' };
    lines[line] = i % 2 === 0 ? `${lines[line]}x` : lines[line].slice(0, -1);
    version++;
    const wanted = version;
    const published = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && (!versioned || p.version === undefined || p.version === wanted), timeoutMs);
    const sent = performance.now();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    const { at } = await published;
    if (i >= warmup) times.push(at - sent);
  }
  text = lines.join('\n');
  client.notify('textDocument/didClose', { textDocument: { uri } });
  return { firstMs: initial.at - opened, diagnostics: initial.params.diagnostics.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), samples: times.length };
}
