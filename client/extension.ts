/**
 * The VS Code extension: starts the language server (dist/server.js, over Node IPC) and adds what only
 * the editor can: commands, a status bar item with the effective idle timeout, the output channel.
 * Everything else — diagnostics, quick fixes, hovers, settings — is the server's.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { CLIENT_COMMANDS, DOCUMENT_LANGUAGES, SERVER_COMMANDS, STATUS_CHANGED_NOTIFICATION, STATUS_REQUEST, type StatusResult } from '../server/protocol.ts';

const COMMANDS = CLIENT_COMMANDS;

let client: LanguageClient | undefined;

function isLinted(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return document !== undefined && (DOCUMENT_LANGUAGES as readonly string[]).includes(document.languageId) && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const output = vscode.window.createOutputChannel('Keepalive Lint');
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // Settings are pulled by the server (workspace/configuration) and file watchers registered by it.
    outputChannel: output,
    diagnosticCollectionName: 'keepalive-lint',
  };
  const languageClient = new LanguageClient('keepaliveLint', 'Keepalive Lint', serverOptions, clientOptions);
  client = languageClient;

  const status = vscode.window.createStatusBarItem('keepaliveLint.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Keepalive Lint: idle timeout';
  status.command = COMMANDS.showOutput;
  context.subscriptions.push(status, output);

  const refreshStatus = async (): Promise<void> => {
    const document = vscode.window.activeTextEditor?.document;
    if (!isLinted(document) || languageClient.state !== State.Running) {
      status.hide();
      return;
    }
    try {
      const result = await languageClient.sendRequest<StatusResult>(STATUS_REQUEST, { uri: languageClient.code2ProtocolConverter.asUri(document.uri) });
      status.text = `$(pulse) T=${result.seconds}s`;
      status.tooltip = `Keepalive Lint: idle timeout T = ${result.seconds} s — ${result.source}${result.configFile ? `\nConfig file: ${result.configFile}` : ''}\nClick for the output.`;
      status.show();
    } catch {
      status.hide();
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(COMMANDS.lintWorkspace, async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Keepalive Lint: linting the workspace' },
        () => languageClient.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.lintWorkspace, arguments: [] }),
      );
      const { files, problems } = (result ?? { files: 0, problems: 0 }) as { files: number; problems: number };
      void vscode.window.showInformationMessage(`Keepalive Lint: ${problems} problem${problems === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}.`);
    }),
    vscode.commands.registerCommand(COMMANDS.fixAll, async () => {
      const document = vscode.window.activeTextEditor?.document;
      if (!isLinted(document)) {
        void vscode.window.showInformationMessage('Keepalive Lint: open a YAML, TypeScript or JavaScript file to fix.');
        return;
      }
      const result = (await languageClient.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_COMMANDS.fixAll,
        arguments: [{ uri: languageClient.code2ProtocolConverter.asUri(document.uri), version: document.version }],
      })) as { applied: boolean; reason?: string } | null;
      if (result && !result.applied && result.reason) void vscode.window.showInformationMessage(`Keepalive Lint: ${result.reason}.`);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    languageClient.onDidChangeState(() => void refreshStatus()),
  );

  await languageClient.start();
  context.subscriptions.push(languageClient.onNotification(STATUS_CHANGED_NOTIFICATION, () => void refreshStatus()));
  await refreshStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
