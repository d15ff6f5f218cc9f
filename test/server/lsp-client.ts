/**
 * A small LSP client for the integration tests: spawns the built server (`dist/server.js --stdio`),
 * answers its requests (configuration, registrations, progress, applyEdit) like an editor would,
 * keeps the documents it opened in sync, and lets tests wait on conditions — published
 * diagnostics, progress — with bounded timeouts instead of sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CancellationTokenSource,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type Diagnostic,
  type FileEvent,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.js');
export const WAIT_MS = 15_000;

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

type Settings = Record<string, unknown> | null;

export interface ClientOptions {
  readonly root: string;
  /** The `keepaliveLint` section answered to workspace/configuration (per scope URI if a function). */
  readonly settings?: Settings | ((scopeUri: string | undefined) => Settings);
  readonly initializationOptions?: Record<string, unknown>;
  /** Turn capabilities off to test the fallbacks. */
  readonly configurationCapability?: boolean;
  /** Sent as initialize's processId (the server watches it); null for a server in this process. */
  readonly processId?: number | null;
}

interface Waiter {
  check(): boolean;
  resolve(): void;
}

export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** How many times diagnostics were published per URI. */
  readonly publications = new Map<string, number>();
  readonly logs: string[] = [];
  readonly messages: string[] = [];
  readonly registrations: Registration[] = [];
  readonly progress: { token: string | number; kind: string; title?: string; message?: string }[] = [];
  readonly progressCreated: (string | number)[] = [];
  readonly documents = new Map<string, TextDocument>();
  readonly configurationRequests: (string | undefined)[] = [];
  settings: ClientOptions['settings'];
  initializeResult!: InitializeResult;
  private readonly waiters = new Set<Waiter>();
  private stderr = '';
  exited = false;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams | undefined,
    readonly connection: ProtocolConnection,
    options: ClientOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  /** Spawns the built server over stdio, as an editor does. */
  static async start(options: ClientOptions): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection, options);
    child.stderr.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    child.on('exit', () => {
      client.exited = true;
      client.notify();
    });
    return client.initialize(options);
  }

  /** Talks to a server in this process over a pair of streams (for tests that inject rules). */
  static async connect(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ClientOptions): Promise<LspClient> {
    const connection = createProtocolConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
    return new LspClient(undefined, connection, options).initialize(options);
  }

  private async initialize(options: ClientOptions): Promise<LspClient> {
    const client = this;
    const connection = this.connection;
    client.wire();
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: options.processId === undefined ? process.pid : options.processId,
      rootUri: uriOf(options.root),
      workspaceFolders: [{ uri: uriOf(options.root), name: 'test' }],
      initializationOptions: options.initializationOptions ?? null,
      capabilities: {
        workspace: {
          configuration: options.configurationCapability !== false,
          didChangeWatchedFiles: { dynamicRegistration: true },
          didChangeConfiguration: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
          applyEdit: true,
          workspaceFolders: true,
        },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private wire(): void {
    const { connection } = this;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.publications.set(params.uri, (this.publications.get(params.uri) ?? 0) + 1);
      this.notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params.message);
      this.notify();
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      this.messages.push(params.message);
      this.notify();
    });
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item.scopeUri);
        const settings = typeof this.settings === 'function' ? this.settings(item.scopeUri) : this.settings;
        return settings ?? null;
      }),
    );
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      this.notify();
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      this.progressCreated.push(params.token);
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        this.progress.push({ token: params.token, kind: value.kind, ...('title' in value ? { title: value.title } : {}), ...(value.message ? { message: value.message } : {}) });
        this.notify();
      });
      this.notify();
    });
    connection.onRequest(ApplyWorkspaceEditRequest.type, async (params) => {
      const applied = this.applyEdit(params.edit);
      return applied ? { applied: true } : { applied: false, failureReason: 'stale version' };
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `condition` holds (checked now and after every message from the server). */
  waitFor(what: string, condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nserver stderr: ${this.stderr.slice(-2000)}\nlast logs: ${this.logs.slice(-5).join('\n')}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check: () => this.exited || condition(),
        resolve: () => {
          clearTimeout(timer);
          if (this.exited && !condition()) reject(new Error(`the server exited while waiting for ${what}: ${this.stderr.slice(-2000)}`));
          else resolve();
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** The diagnostics published for a document version (for files not open: any publication) that satisfy `predicate`. */
  async diagnosticsFor(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean = () => true, version?: number): Promise<Diagnostic[]> {
    const wanted = version ?? this.documents.get(uri)?.version;
    await this.waitFor(`diagnostics of ${uri}${wanted !== undefined ? ` version ${wanted}` : ''} (last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => `${d.code}@${d.range.start.line}`))})`, () => {
      const published = this.diagnostics.get(uri);
      if (!published) return false;
      if (wanted !== undefined && published.version !== undefined && published.version !== wanted) return false;
      return predicate(published.diagnostics);
    });
    return this.diagnostics.get(uri)!.diagnostics;
  }

  async open(path: string, text: string, languageId = path.endsWith('.ts') ? 'typescript' : path.endsWith('.js') ? 'javascript' : 'yaml'): Promise<string> {
    const uri = uriOf(path);
    this.documents.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`not open: ${uri}`);
    const next = TextDocument.update(document, changes, document.version + 1);
    this.documents.set(uri, next);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: next.version }, contentChanges: changes });
    return next.version;
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.documents.get(uri)!.getText();
  }

  /** Applies a workspace edit as an editor does: refused when a TextDocumentEdit names another version. */
  applyEdit(edit: WorkspaceEdit): boolean {
    const changes: { uri: string; version: number | null; edits: { range: Range; newText: string }[] }[] = [];
    for (const change of edit.documentChanges ?? []) {
      if (!('textDocument' in change)) return false;
      const edits = change.edits.filter((e): e is { range: Range; newText: string } => 'newText' in e);
      if (edits.length !== change.edits.length) return false;
      changes.push({ uri: change.textDocument.uri, version: change.textDocument.version, edits });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) changes.push({ uri, version: null, edits });
    for (const change of changes) {
      const document = this.documents.get(change.uri);
      if (!document || (change.version !== null && change.version !== document.version)) return false;
    }
    for (const change of changes) {
      const document = this.documents.get(change.uri)!;
      const text = TextDocument.applyEdits(document, change.edits);
      void this.change(change.uri, [{ text }]);
    }
    return true;
  }

  /** Applies a code action's edit through the same path; returns the new version. */
  async applyAction(action: CodeAction): Promise<number> {
    if (!action.edit) throw new Error(`action "${action.title}" has no edit`);
    const uri = action.edit.documentChanges?.[0] && 'textDocument' in action.edit.documentChanges[0] ? action.edit.documentChanges[0].textDocument.uri : Object.keys(action.edit.changes ?? {})[0]!;
    const before = this.documents.get(uri)!.version;
    if (!this.applyEdit(action.edit)) throw new Error(`edit of "${action.title}" refused (stale version)`);
    await this.waitFor('the edit to apply', () => this.documents.get(uri)!.version > before);
    return this.documents.get(uri)!.version;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<(CodeAction | { title: string; command: string })[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  executeCommand(command: string, args: unknown[] = [], token?: CancellationTokenSource): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }, token?.token);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  async changeSettings(settings: ClientOptions['settings']): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { keepaliveLint: typeof settings === 'function' ? settings(undefined) : settings } });
  }

  async watched(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    if (!this.process) {
      await this.connection.sendRequest(ShutdownRequest.type);
      this.connection.dispose();
      return;
    }
    const exited = once(this.process, 'exit');
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
      clearTimeout(timer);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    const child = this.process;
    const timer = setTimeout(() => child.kill(), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
