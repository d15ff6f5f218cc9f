/**
 * The language server: LSP in, the pure core (rules/) in the middle, diagnostics, code actions and
 * hovers out. No rule logic here. Configuration, file lookup and versions come from the CLI's adapter
 * modules (cli/config-loader.ts, cli/files.ts, cli/versions.ts), so the editor and `keepalive-lint lint`
 * agree on every file.
 */
import { basename, dirname, extname } from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  MarkupKind,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ConfigError, ConfigLoader, type LoadedConfig } from '../cli/config-loader.ts';
import { collectFiles } from '../cli/files.ts';
import { isIgnored, MAX_FILE_BYTES, readText } from '../cli/run.ts';
import { VersionLoader } from '../cli/versions.ts';
import { effectiveTimeout, resolveConfig } from '../rules/config.ts';
import { hoverAt, timeoutSourceText } from '../rules/hover.ts';
import { analyseCode, analyseYaml, lintCode, lintYaml, type AnalysedCode, type AnalysedYaml, type FileLintResult } from '../rules/lint.ts';
import { UNKNOWN_VERSIONS, type CodeVersions } from '../rules/node/versions.ts';
import { LineIndex } from '../rules/positions.ts';
import { isCodePath } from '../rules/ts/parse.ts';
import type { Finding } from '../rules/types.ts';
import { RULES } from '../rules/registry.ts';
import type { Rule } from '../rules/rule.ts';
import { admits, findingsFor, fixAllAction, fixAllEdit, quickFixes, versionedEdit, type ActionOptions } from './actions.ts';
import { findingToDiagnostic, problemToDiagnostic } from './convert.ts';
import {
  FIX_ALL_KIND,
  SERVER_COMMANDS,
  SETTINGS_SECTION,
  STATUS_CHANGED_NOTIFICATION,
  STATUS_REQUEST,
  type StatusParams,
  type StatusResult,
} from './protocol.ts';
import { parseSettings, SETTINGS_NAME, type ParsedSettings } from './settings.ts';
import type { DocumentKind, LintState } from './state.ts';
import { isFilePath, pathToUri, uriToPath } from './uri.ts';
import { isConfigFile, isYamlPath, WorkspaceIndex } from './workspace.ts';

export const DEFAULT_DEBOUNCE_MS = 150;

export interface ServerOptions {
  /** Reported in serverInfo. */
  readonly version?: string;
  /** The rules to run (tests pass a rule that throws). */
  readonly rules?: readonly Rule[];
}

const CODE_LANGUAGES: Readonly<Record<string, string>> = { typescript: '.ts', javascript: '.js', typescriptreact: '.tsx', javascriptreact: '.jsx' };
/** Files whose change alters the Node.js or library versions a source file is judged with. */
const VERSION_FILES = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', '.nvmrc', '.node-version', 'Dockerfile']);
const WATCHED_GLOBS = [
  '**/*.{yaml,yml}',
  '**/.keepalive-lint.json',
  '**/.gitignore',
  '**/{package.json,package-lock.json,npm-shrinkwrap.json,yarn.lock,.nvmrc,.node-version,Dockerfile}',
  '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}',
];

interface InitializationOptions {
  /** Delay (ms) between the last change of a document and its lint. */
  readonly debounceMs?: number;
  /** Settings for clients without workspace/configuration. */
  readonly settings?: unknown;
}

interface CachedState {
  readonly version: number;
  readonly generation: number;
  readonly index: unknown;
  readonly indexRevision: number;
  readonly config: unknown;
  readonly state: LintState;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

function contentModified(what: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, `${what}: the document changed since; ask again`);
}

function unknownDocument(uri: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, `unknown document ${uri}: it is not open (textDocument/didOpen first)`);
}

export class KeepaliveLintServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace: WorkspaceIndex;
  private caps = { configuration: false, watchers: false, configurationRegistration: false, progress: false, related: true, documentChanges: false };
  private debounceMs = DEFAULT_DEBOUNCE_MS;
  private globalSettings: unknown = {};
  private readonly settings = new Map<string, Promise<ParsedSettings>>();
  private readonly loaders = new Map<string, ConfigLoader>();
  private versionLoader = new VersionLoader(process.cwd());
  /** Bumped when settings, config files or version files change: cached lints are void. */
  private generation = 0;
  private readonly states = new Map<string, CachedState>();
  private readonly yamlAnalyses = new Map<string, { version: number; analysed: AnalysedYaml }>();
  private readonly codeAnalyses = new Map<string, AnalysedCode>();
  /** Cancels the pending lint of a document. */
  private readonly timers = new Map<string, () => void>();
  private readonly runs = new Map<string, number>();
  private readonly fresh = new Set<string>();
  private ready: Promise<void> = Promise.resolve();
  private watchQueue: Promise<void> = Promise.resolve();
  private workspaceMode = false;
  private readonly workspacePublished = new Set<string>();
  private readonly reported = new Set<string>();
  private shuttingDown = false;

  private readonly version: string;
  private readonly rules: readonly Rule[];

  constructor(
    private readonly connection: Connection,
    options: ServerOptions = {},
  ) {
    this.version = options.version ?? '0.0.0';
    this.rules = options.rules ?? RULES;
    this.workspace = new WorkspaceIndex({
      configFor: (path) => this.configFor(path, this.scopeOf(path)),
      openYaml: () => this.openYaml(),
      log: (message) => this.connection.console.info(message),
    });
  }

  listen(): void {
    const { connection, documents } = this;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.initialized());
    connection.onShutdown(() => {
      this.shuttingDown = true;
      for (const cancel of this.timers.values()) cancel();
      this.timers.clear();
    });
    documents.onDidOpen((event) => this.fresh.add(event.document.uri));
    documents.onDidChangeContent((event) => this.changed(event.document));
    documents.onDidClose((event) => this.closed(event.document));
    connection.onDidChangeConfiguration((params) => this.guard('didChangeConfiguration', () => this.configurationChanged(params.settings)));
    connection.onDidChangeWatchedFiles((params) => {
      this.watchQueue = this.watchQueue.then(() => this.watchedFilesChanged(params.changes)).catch((error) => this.logError('didChangeWatchedFiles', error));
    });
    connection.onCodeAction((params, token) => this.respond('codeAction', () => this.codeActions(params, token)));
    connection.onHover((params, token) => this.respond('hover', () => this.hover(params, token)));
    connection.onExecuteCommand((params, token) => this.respond('executeCommand', () => this.executeCommand(params.command, params.arguments ?? [], token)));
    connection.onRequest(STATUS_REQUEST, (params: StatusParams, token) => this.respond('status', () => this.status(params, token)));
    documents.listen(connection);
    connection.listen();
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  private initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.caps = {
      configuration: capabilities.workspace?.configuration === true,
      watchers: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configurationRegistration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
      progress: capabilities.window?.workDoneProgress === true,
      related: capabilities.textDocument?.publishDiagnostics?.relatedInformation !== false,
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    };
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) this.debounceMs = options.debounceMs;
    if (options.settings !== undefined) this.globalSettings = (options.settings as Record<string, unknown>)?.[SETTINGS_SECTION] ?? options.settings;
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : []);
    this.workspace.setFolders(folders.filter(isFilePath));
    this.versionLoader = new VersionLoader(this.workspace.workspaceFolders()[0] ?? process.cwd());
    // Lints wait for the first index, so a Deployment is never judged without the Services beside it.
    let release!: () => void;
    this.ready = new Promise((resolve) => (release = resolve));
    this.releaseReady = release;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        executeCommandProvider: { commands: [SERVER_COMMANDS.fixAll, SERVER_COMMANDS.lintWorkspace] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'keepalive-lint', version: this.version },
    };
  }

  private releaseReady: () => void = () => undefined;

  private async initialized(): Promise<void> {
    try {
      if (this.caps.watchers) {
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
        // The config files by their exact names (a brace list with dots confuses some clients' glob matchers).
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: ['**/.keepalive-lint.yaml', '**/.keepalive-lint.yml'].map((globPattern) => ({ globPattern })),
        });
      }
      if (this.caps.configurationRegistration) await this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      if (this.caps.configuration) {
        this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(event.removed.map((f) => uriToPath(f.uri)));
          const folders = [...this.workspace.workspaceFolders().filter((f) => !removed.has(f)), ...event.added.map((f) => uriToPath(f.uri))];
          this.workspace.setFolders(folders);
          void this.rescan();
        });
      }
    } catch (error) {
      this.logError('registration', error);
    }
    try {
      await this.scan();
    } finally {
      this.releaseReady();
    }
  }

  private async scan(): Promise<void> {
    const started = Date.now();
    await this.withProgress('keepalive-lint: indexing Kubernetes manifests', async (report) => {
      await this.workspace.scan((done, total) => report(`${done}/${total} files`, total === 0 ? 100 : Math.round((done / total) * 100)));
    });
    this.connection.console.info(`indexed ${this.workspace.size} Kubernetes YAML files in ${Date.now() - started} ms`);
  }

  private async rescan(): Promise<void> {
    const previous = this.ready;
    const run = previous.then(() => this.scan());
    this.ready = run.catch((error) => this.logError('index', error));
    await this.ready;
    this.relintAll();
  }

  private async withProgress<T>(title: string, work: (report: (message: string, percentage: number) => void) => Promise<T>): Promise<T> {
    if (!this.caps.progress) return work(() => undefined);
    let progress;
    try {
      progress = await this.connection.window.createWorkDoneProgress();
    } catch {
      return work(() => undefined);
    }
    progress.begin(title, 0, undefined, false);
    let last = -1;
    try {
      return await work((message, percentage) => {
        if (percentage === last) return;
        last = percentage;
        progress.report(percentage, message);
      });
    } finally {
      progress.done();
    }
  }

  // ---- documents -------------------------------------------------------------------------------

  private kindOf(document: TextDocument): DocumentKind | undefined {
    if (document.languageId === 'yaml') return 'yaml';
    if (CODE_LANGUAGES[document.languageId] !== undefined) return 'code';
    const path = uriToPath(document.uri);
    if (isYamlPath(path)) return 'yaml';
    if (isCodePath(path)) return 'code';
    return undefined;
  }

  /** The path the core sees: the file path, with an extension for untitled code (it picks the parser). */
  private pathOf(document: TextDocument): string {
    const path = uriToPath(document.uri);
    const extension = CODE_LANGUAGES[document.languageId];
    if (extension !== undefined && !isCodePath(path)) return `${path}${extension}`;
    return path;
  }

  private openYaml(): AnalysedYaml[] {
    const out: AnalysedYaml[] = [];
    for (const document of this.documents.all()) {
      if (this.kindOf(document) !== 'yaml') continue;
      const analysed = this.yamlAnalysis(document);
      if (analysed) out.push(analysed);
    }
    return out;
  }

  /** One analysis per open YAML document version. */
  private yamlAnalysis(document: TextDocument): AnalysedYaml | undefined {
    const path = this.pathOf(document);
    if (isConfigFile(path)) return undefined;
    const cached = this.yamlAnalyses.get(document.uri);
    if (cached?.version === document.version) return cached.analysed;
    const text = document.getText();
    if (text.length > MAX_FILE_BYTES) return undefined;
    // The previous version's unchanged documents are reused: a keystroke re-parses one document.
    const analysed = analyseYaml({ path, text }, cached?.analysed);
    this.yamlAnalyses.set(document.uri, { version: document.version, analysed });
    return analysed;
  }

  private changed(document: TextDocument): void {
    const opened = this.fresh.delete(document.uri);
    this.schedule(document.uri, opened ? 0 : this.debounceMs);
    // A manifest's Services, ConfigMaps and kube-proxy config matter to the other open files.
    if (this.kindOf(document) === 'yaml') {
      for (const other of this.documents.all()) if (other.uri !== document.uri) this.schedule(other.uri, this.debounceMs);
    }
  }

  private closed(document: TextDocument): void {
    const uri = document.uri;
    this.timers.get(uri)?.();
    this.timers.delete(uri);
    this.runs.set(uri, (this.runs.get(uri) ?? 0) + 1);
    this.states.delete(uri);
    this.codeAnalyses.delete(uri);
    const wasYaml = this.yamlAnalyses.delete(uri);
    const path = uriToPath(uri);
    if (this.workspaceMode && isFilePath(path)) void this.lintDiskFile(path).catch((error) => this.logError('lint', error));
    else this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // The file on disk takes the place of the closed text in the index.
    if (wasYaml) for (const other of this.documents.all()) this.schedule(other.uri, this.debounceMs);
  }

  /** Lints a document after `delay` ms; a newer schedule or change makes this run stale, and it publishes nothing. */
  private schedule(uri: string, delay: number): void {
    if (this.shuttingDown) return;
    this.timers.get(uri)?.();
    const run = (this.runs.get(uri) ?? 0) + 1;
    this.runs.set(uri, run);
    const fire = () => {
      this.timers.delete(uri);
      void this.lintAndPublish(uri, run).catch((error) => this.logError(`lint ${uri}`, error));
    };
    // No delay: the next turn of the event loop (a 0 ms timer waits at least 1 ms).
    if (delay <= 0) {
      const immediate = setImmediate(fire);
      this.timers.set(uri, () => clearImmediate(immediate));
    } else {
      const timer = setTimeout(fire, delay);
      this.timers.set(uri, () => clearTimeout(timer));
    }
  }

  private relintAll(): void {
    for (const document of this.documents.all()) this.schedule(document.uri, 0);
    if (this.workspaceMode) void this.lintWorkspace().catch((error) => this.logError('lint workspace', error));
  }

  private async lintAndPublish(uri: string, run: number): Promise<void> {
    const state = await this.stateFor(uri);
    if (this.runs.get(uri) !== run || !state) return;
    const document = this.documents.get(uri);
    if (!document || document.version !== state.version) return; // a newer run is on its way
    this.publish(state);
  }

  // ---- configuration -----------------------------------------------------------------------------

  /** The URI whose settings apply to a file on disk: its workspace folder (settings are per folder). */
  private scopeOf(path: string): string {
    return pathToUri(this.workspace.folderOf(path) ?? dirname(path));
  }

  private settingsFor(scopeUri: string): Promise<ParsedSettings> {
    let found = this.settings.get(scopeUri);
    if (!found) {
      found = (async () => {
        let raw: unknown = this.globalSettings;
        if (this.caps.configuration) {
          try {
            raw = await this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION });
          } catch (error) {
            this.logError('workspace/configuration', error);
          }
        }
        const parsed = parseSettings(raw);
        if (parsed.errors.length > 0) this.reportOnce(`invalid settings, ignored: ${parsed.errors.join('; ')}`);
        return parsed;
      })();
      this.settings.set(scopeUri, found);
    }
    return found;
  }

  /** The configuration for a file: the nearest config file (it wins), else the editor's settings. */
  private async configFor(path: string, scopeUri: string): Promise<LoadedConfig> {
    const settings = await this.settingsFor(scopeUri);
    const folder = isFilePath(path) ? (this.workspace.folderOf(path) ?? dirname(path)) : (this.workspace.workspaceFolders()[0] ?? process.cwd());
    const fallback = (): LoadedConfig => {
      const resolved = resolveConfig(settings.user, {}, SETTINGS_NAME);
      if (resolved.ok) return { config: resolved.config, baseDir: folder };
      this.reportOnce(`configuration error: ${resolved.errors.join('; ')}; using the defaults`);
      const defaults = resolveConfig({});
      if (!defaults.ok) throw new Error('the default configuration does not resolve');
      return { config: defaults.config, baseDir: folder };
    };
    if (!isFilePath(path)) return fallback();
    const key = `${folder}\u0000${JSON.stringify(settings.user)}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new ConfigLoader({}, undefined, folder, { user: settings.user, name: SETTINGS_NAME });
      this.loaders.set(key, loader);
    }
    try {
      return await loader.forFile(path);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.reportOnce(`configuration error: ${error.problems.join('; ')}; using the settings instead`);
      return fallback();
    }
  }

  private reportOnce(message: string): void {
    this.connection.console.error(message);
    if (this.reported.has(message)) return;
    this.reported.add(message);
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `keepalive-lint: ${message}` });
  }

  private configurationChanged(settings: unknown): void {
    if (!this.caps.configuration) this.globalSettings = (settings as Record<string, unknown> | null)?.[SETTINGS_SECTION] ?? {};
    this.settings.clear();
    this.loaders.clear();
    this.reported.clear();
    this.generation++;
    void this.connection.sendNotification(STATUS_CHANGED_NOTIFICATION, {});
    // `ignore` may have changed which files are indexed.
    void this.rescan();
  }

  private async watchedFilesChanged(changes: readonly FileEvent[]): Promise<void> {
    let reconfigure = false;
    let rescan = false;
    let indexChanged = false;
    let versionsChanged = false;
    const touched: { path: string; deleted: boolean }[] = [];
    for (const change of changes) {
      const path = uriToPath(change.uri);
      if (!isFilePath(path)) continue;
      const name = basename(path);
      const deleted = change.type === FileChangeType.Deleted;
      touched.push({ path, deleted });
      if (isConfigFile(path)) {
        reconfigure = true;
        rescan = true;
      } else if (name === '.gitignore') {
        rescan = true;
      } else if (VERSION_FILES.has(name)) {
        versionsChanged = true;
        if (name === 'pnpm-lock.yaml') continue;
      }
      if (isYamlPath(path) && !isConfigFile(path)) {
        if (deleted ? this.workspace.remove(path) : await this.workspace.refresh(path)) indexChanged = true;
      } else if (deleted && extname(path) === '') {
        if (this.workspace.remove(path)) indexChanged = true; // a folder
      }
    }
    if (versionsChanged) {
      this.versionLoader = new VersionLoader(this.workspace.workspaceFolders()[0] ?? process.cwd());
      this.generation++;
    }
    if (reconfigure) {
      this.loaders.clear();
      this.reported.clear();
      this.generation++;
      void this.connection.sendNotification(STATUS_CHANGED_NOTIFICATION, {});
    }
    if (rescan) {
      await this.rescan();
      return;
    }
    if (indexChanged || versionsChanged || reconfigure) for (const document of this.documents.all()) this.schedule(document.uri, 0);
    if (this.workspaceMode) {
      const open = new Set(this.documents.all().map((d) => uriToPath(d.uri)));
      // Everything may depend on a changed manifest: lint the workspace again; else only the touched files.
      if (indexChanged) await this.lintWorkspace();
      else for (const { path, deleted } of touched) if (!open.has(path)) await (deleted ? this.clearDiskFile(path) : this.lintDiskFile(path));
    }
  }

  // ---- linting ---------------------------------------------------------------------------------

  /** The lint of a document at its current version (cached until the text, the index or the configuration changes). */
  private async stateFor(uri: string): Promise<LintState | undefined> {
    await this.ready;
    const initial = this.documents.get(uri);
    if (!initial) return undefined;
    const kind = this.kindOf(initial);
    if (!kind) return undefined;
    const path = this.pathOf(initial);
    const generation = this.generation;
    const loaded = await this.configFor(path, uri);
    const versions: CodeVersions = kind === 'code' && isFilePath(path) ? await this.versionLoader.forFile(path) : UNKNOWN_VERSIONS;
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const index = this.workspace.indexFor(path);
    const cached = this.states.get(uri);
    if (
      cached &&
      cached.version === document.version &&
      cached.generation === generation &&
      cached.index === index &&
      cached.indexRevision === index.revision &&
      cached.config === loaded.config
    ) {
      return cached.state;
    }
    const state = this.compute(document, kind, path, loaded, versions);
    // The index may have moved on while this ran (an open manifest analysed for the first time).
    const after = this.workspace.indexFor(path);
    this.states.set(uri, { version: document.version, generation, index: after, indexRevision: after.revision, config: loaded.config, state });
    return state;
  }

  private compute(document: TextDocument, kind: DocumentKind, path: string, loaded: LoadedConfig, versions: CodeVersions): LintState {
    const text = document.getText();
    const base = { uri: document.uri, path, version: document.version, kind, text, lines: new LineIndex(text), config: loaded.config };
    const none = (skipped: string): LintState => ({ ...base, findings: [], skipped, relint: () => [] });
    if (isConfigFile(path)) return none('a keepalive-lint config file');
    if (isFilePath(path) && isIgnored(path, loaded)) return none('ignored by the configuration');
    if (text.length > MAX_FILE_BYTES) {
      return { ...base, findings: [], problem: { kind: 'skipped', message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`, range: { start: 0, end: 0 } }, relint: () => [] };
    }
    const config = loaded.config;
    if (kind === 'yaml') {
      const yaml = this.yamlAnalysis(document);
      if (!yaml) return none('not analysable');
      if (yaml.templated) return none('a Go/Helm template: lint the rendered manifests');
      const index = this.workspace.indexFor(path);
      const result = this.run(() => lintYaml(yaml, index, config, this.rules), path);
      return {
        ...base,
        findings: result.findings,
        ...(result.problem ? { problem: result.problem } : {}),
        yaml,
        timeout: effectiveTimeout(config, index.kubeProxy),
        relint: (candidate) => {
          const analysed = analyseYaml({ path, text: candidate });
          return this.run(() => lintYaml(analysed, this.workspace.indexWith(analysed), config, this.rules), path).findings;
        },
      };
    }
    // The previous version's tree is updated in place of a new parse (ts.updateSourceFile).
    const code = analyseCode({ path, text }, this.codeAnalyses.get(document.uri));
    this.codeAnalyses.set(document.uri, code);
    const index = this.workspace.indexFor(path);
    const result = this.run(() => lintCode(code, index, config, versions, this.rules), path);
    return {
      ...base,
      findings: result.findings,
      ...(result.problem ? { problem: result.problem } : {}),
      code,
      timeout: effectiveTimeout(config, index.kubeProxy),
      relint: (candidate) => this.run(() => lintCode(analyseCode({ path, text: candidate }), index, config, versions, this.rules), path).findings,
    };
  }

  /** Runs a lint, logging the rules that threw (the core isolates them) and surviving anything else. */
  private run(lint: () => FileLintResult, path: string): FileLintResult {
    let result: FileLintResult;
    try {
      result = lint();
    } catch (error) {
      this.logError(`lint ${path}`, error);
      return { path, findings: [], ruleFailures: [] };
    }
    for (const failure of result.ruleFailures) this.connection.console.error(`rule ${failure.ruleId} failed on ${failure.path}: ${failure.error}`);
    return result;
  }

  private textOf(path: string): string | undefined {
    for (const document of this.documents.all()) if (uriToPath(document.uri) === path) return document.getText();
    return this.workspace.diskText(path);
  }

  private uriOf(path: string): string {
    for (const document of this.documents.all()) if (uriToPath(document.uri) === path) return document.uri;
    return pathToUri(path);
  }

  private diagnosticsOf(state: Pick<LintState, 'path' | 'lines' | 'findings' | 'problem'>, version: number | null): Diagnostic[] {
    if (state.problem) return [problemToDiagnostic(state.problem, state.lines)];
    const lineCache = new Map<string, LineIndex | undefined>([[state.path, state.lines]]);
    const context = {
      lines: state.lines,
      version,
      relatedInformation: this.caps.related,
      uriOf: (path: string) => this.uriOf(path),
      linesOf: (path: string) => {
        if (!lineCache.has(path)) {
          const text = this.textOf(path);
          lineCache.set(path, text === undefined ? undefined : new LineIndex(text));
        }
        return lineCache.get(path);
      },
    };
    return state.findings.map((finding) => findingToDiagnostic(finding, context));
  }

  private publish(state: LintState): void {
    this.connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics: this.diagnosticsOf(state, state.version) });
  }

  // ---- requests --------------------------------------------------------------------------------

  /** Runs a request handler: errors become error responses, never a crash. */
  private async respond<T>(name: string, handler: () => Promise<T | ResponseError<void>>): Promise<T | ResponseError<void>> {
    try {
      return await handler();
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<void>;
      this.logError(name, error);
      return new ResponseError(ErrorCodes.InternalError, `keepalive-lint: ${name} failed: ${(error as Error).message}`);
    }
  }

  private guard(name: string, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.logError(name, error);
    }
  }

  private logError(context: string, error: unknown): void {
    this.connection.console.error(`${context}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  /** The state of an open document at the version the request was made against, or the error to answer. */
  private async currentState(uri: string, token: CancellationToken, expectedVersion?: number): Promise<LintState | ResponseError<void>> {
    const document = this.documents.get(uri);
    if (!document) return unknownDocument(uri);
    if (expectedVersion !== undefined && expectedVersion !== document.version) return contentModified(`version ${expectedVersion} is stale (now ${document.version})`);
    const state = await this.stateFor(uri);
    if (token.isCancellationRequested) return cancelled();
    const now = this.documents.get(uri);
    if (!now) return unknownDocument(uri);
    if (!state) return new ResponseError(ErrorCodes.InvalidParams, `${uri} is not a YAML, TypeScript or JavaScript document`);
    if (state.version !== now.version || (expectedVersion !== undefined && expectedVersion !== now.version)) return contentModified('lint');
    return state;
  }

  private actionOptions(state: LintState): ActionOptions {
    return {
      documentChanges: this.caps.documentChanges,
      diagnosticOf: (finding: Finding) => this.diagnosticsOf({ ...state, findings: [finding], problem: undefined }, state.version)[0]!,
    };
  }

  private async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | ResponseError<void>> {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const wantsQuickFixes = admits(only, CodeActionKind.QuickFix);
    // Quick fixes for diagnostics of an older text would edit offsets that no longer hold: refuse.
    // (Fix-all, as on save, works from the current text whatever diagnostics come along.)
    const versions = params.context.diagnostics.map((d) => (d.data as { version?: number | null } | undefined)?.version).filter((v): v is number => typeof v === 'number');
    const stale = wantsQuickFixes ? versions.find((v) => v !== this.documents.get(uri)?.version) : undefined;
    const state = await this.currentState(uri, token, stale);
    if (state instanceof ResponseError) return state;
    const options = this.actionOptions(state);
    const actions: CodeAction[] = [];
    if (wantsQuickFixes) actions.push(...quickFixes(state, findingsFor(state, params.range, params.context.diagnostics, options), options));
    if (admits(only, FIX_ALL_KIND)) {
      const fixAll = fixAllAction(state, options);
      if (fixAll) actions.push(fixAll);
    }
    if (token.isCancellationRequested) return cancelled();
    return actions;
  }

  private async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null | ResponseError<void>> {
    const state = await this.currentState(params.textDocument.uri, token);
    if (state instanceof ResponseError) return state;
    if (!state.timeout) return null;
    const found = hoverAt({
      text: state.text,
      offset: state.lines.offset(params.position),
      findings: state.findings,
      timeout: state.timeout,
      ...(state.yaml ? { workloads: state.yaml.facts.workloads } : {}),
      ...(state.config ? { osKeepaliveSeconds: state.config.osKeepaliveTimeSeconds } : {}),
    });
    if (!found) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: found.markdown },
      range: { start: state.lines.position(found.range.start), end: state.lines.position(found.range.end) },
    };
  }

  private async executeCommand(command: string, args: readonly unknown[], token: CancellationToken): Promise<unknown> {
    if (command === SERVER_COMMANDS.fixAll) {
      const arg = (args[0] ?? {}) as { uri?: string; version?: number };
      if (typeof arg.uri !== 'string') return new ResponseError(ErrorCodes.InvalidParams, `${command} takes { uri, version }`);
      const state = await this.currentState(arg.uri, token, typeof arg.version === 'number' ? arg.version : undefined);
      if (state instanceof ResponseError) return state;
      const edit = fixAllEdit(state);
      if (!edit) return { applied: false, reason: 'nothing to fix' };
      const result = await this.connection.workspace.applyEdit({ label: 'keepalive-lint: fix all', edit: versionedEdit(state, [edit], this.caps.documentChanges) });
      return { applied: result.applied, ...(result.failureReason ? { reason: result.failureReason } : {}) };
    }
    if (command === SERVER_COMMANDS.lintWorkspace) return this.lintWorkspace(token);
    return new ResponseError(ErrorCodes.InvalidParams, `unknown command ${command}`);
  }

  private async status(params: StatusParams, token: CancellationToken): Promise<StatusResult | ResponseError<void>> {
    await this.ready;
    const document = this.documents.get(params.uri);
    const path = document ? this.pathOf(document) : uriToPath(params.uri);
    const loaded = await this.configFor(path, params.uri);
    if (token.isCancellationRequested) return cancelled();
    const timeout = effectiveTimeout(loaded.config, this.workspace.indexFor(path).kubeProxy);
    const file = loaded.config.file;
    return { seconds: timeout.seconds, source: timeoutSourceText(timeout), configFile: file === undefined || file === SETTINGS_NAME ? null : file };
  }

  // ---- the whole workspace -----------------------------------------------------------------------

  /** Publishes problems for every file of the workspace folders that is not open (open ones have theirs). */
  private async lintWorkspace(token?: CancellationToken): Promise<{ files: number; problems: number }> {
    if (token?.isCancellationRequested) throw cancelled();
    await this.ready;
    this.workspaceMode = true;
    return this.withProgress('keepalive-lint: linting the workspace', async (report) => {
      const files: string[] = [];
      for (const folder of this.workspace.workspaceFolders()) {
        const collected = await collectFiles([folder], folder);
        for (const path of collected.files) if (!isConfigFile(path) && this.workspace.folderOf(path) === folder) files.push(path);
      }
      const open = new Set(this.documents.all().map((d) => uriToPath(d.uri)));
      let problems = 0;
      let done = 0;
      for (const path of files) {
        if (token?.isCancellationRequested) throw cancelled();
        if (!open.has(path)) problems += await this.lintDiskFile(path);
        done++;
        report(`${done}/${files.length} files`, Math.round((done / Math.max(1, files.length)) * 100));
      }
      for (const uri of [...this.workspacePublished]) {
        if (!files.includes(uriToPath(uri))) await this.clearDiskFile(uriToPath(uri));
      }
      return { files: files.length, problems };
    });
  }

  private async clearDiskFile(path: string): Promise<void> {
    const uri = pathToUri(path);
    if (!this.workspacePublished.delete(uri)) return;
    this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** Lints a file that is not open, from disk; returns the number of problems published. */
  private async lintDiskFile(path: string): Promise<number> {
    const uri = pathToUri(path);
    const loaded = await this.configFor(path, this.scopeOf(path));
    const yaml = isYamlPath(path);
    if (isIgnored(path, loaded) || (!yaml && !isCodePath(path))) {
      await this.clearDiskFile(path);
      return 0;
    }
    // The index keeps no syntax trees: the file is read and parsed again (its indexed text when it has one).
    let text = yaml ? this.workspace.diskText(path) : undefined;
    if (text === undefined) {
      let read;
      try {
        read = await readText(path);
      } catch {
        await this.clearDiskFile(path); // deleted meanwhile
        return 0;
      }
      if ('skip' in read) return 0;
      text = read.text;
    }
    const lines = new LineIndex(text);
    let result: FileLintResult;
    if (yaml) {
      const analysed = analyseYaml({ path, text });
      if (analysed.templated) return 0;
      const index = this.workspace.indexFor(path);
      result = this.run(() => lintYaml(analysed, index, loaded.config, this.rules), path);
    } else {
      const versions = await this.versionLoader.forFile(path);
      const code = analyseCode({ path, text });
      result = this.run(() => lintCode(code, this.workspace.indexFor(path), loaded.config, versions, this.rules), path);
    }
    const diagnostics = this.diagnosticsOf({ path, lines, findings: result.findings, problem: result.problem }, null);
    if (this.documents.get(uri)) return diagnostics.length; // opened meanwhile: its own lint publishes
    if (diagnostics.length > 0 || this.workspacePublished.has(uri)) this.connection.sendDiagnostics({ uri, diagnostics });
    if (diagnostics.length > 0) this.workspacePublished.add(uri);
    else this.workspacePublished.delete(uri);
    return diagnostics.length;
  }
}

