/**
 * Names the language server and the VS Code client share: commands, custom requests, the settings
 * section, the fix-all code action kind. Plain constants, so the client bundle pulls in nothing else.
 */
export const SOURCE = 'keepalive-lint';
export const SETTINGS_SECTION = 'keepaliveLint';
export const FIX_ALL_KIND = 'source.fixAll.keepalive-lint';

/** Commands the server executes (workspace/executeCommand). The client's own commands call them. */
export const SERVER_COMMANDS = {
  /** Arguments: `{ uri, version }`. Applies every preferred fix of the document (workspace/applyEdit). */
  fixAll: 'keepalive-lint.server.fixAll',
  /** No arguments. Publishes problems for every file in the workspace folders, open or not. */
  lintWorkspace: 'keepalive-lint.server.lintWorkspace',
} as const;

/** The VS Code extension's own commands (package.json `contributes.commands`). */
export const CLIENT_COMMANDS = {
  lintWorkspace: 'keepaliveLint.lintWorkspace',
  fixAll: 'keepaliveLint.fixAll',
  showOutput: 'keepaliveLint.showOutput',
} as const;

/** Request `keepaliveLint/status` with `{ uri }`: the effective idle timeout T for that document. */
export const STATUS_REQUEST = 'keepaliveLint/status';
/** Notification from the server: settings or config files changed; ask for the status again. */
export const STATUS_CHANGED_NOTIFICATION = 'keepaliveLint/statusChanged';

export interface StatusParams {
  readonly uri: string;
}

export interface StatusResult {
  /** T in seconds. */
  readonly seconds: number;
  /** Where T came from, in a few words. */
  readonly source: string;
  /** The config file that applies, or the settings. */
  readonly configFile: string | null;
}

/** What `data` of each diagnostic carries, so a code action can find its finding again. */
export interface DiagnosticData {
  readonly ruleId: string;
  readonly messageId: string;
  /** The document version the finding was computed on: a code action for another version is refused. */
  readonly version: number | null;
  /** Offsets of the finding. */
  readonly start: number;
  readonly end: number;
}

/** The languages the client starts the server for. */
export const DOCUMENT_LANGUAGES = ['yaml', 'typescript', 'javascript', 'typescriptreact', 'javascriptreact'] as const;
