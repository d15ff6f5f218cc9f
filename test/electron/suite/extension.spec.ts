/**
 * The extension inside a real VS Code extension host (mocha + @vscode/test-electron; see ../run.ts).
 * The workspace is examples/. Waits on diagnostics events, never on fixed delays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';

const WAIT_MS = 30_000;

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'keepalive-lint');
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' && code !== null ? String(code.value) : String(code);
}

/** Resolves once the document's keepalive-lint diagnostics satisfy `predicate`. */
function diagnosticsWhere(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const current = ours(uri);
      if (!predicate(current)) return false;
      clearTimeout(timer);
      subscription.dispose();
      resolve(current);
      return true;
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for diagnostics of ${uri.fsPath}: ${JSON.stringify(ours(uri).map(codeOf))}`));
    }, WAIT_MS);
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    check();
  });
}

function examples(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the examples folder is open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export function registerTests(): void {
  describe('keepalive-lint extension', () => {
    it('activates and contributes its commands', async () => {
      const extension = vscode.extensions.getExtension('keepalive-lint.keepalive-lint');
      assert.ok(extension, 'the extension is installed');
      await extension.activate();
      const commands = await vscode.commands.getCommands(true);
      for (const command of ['keepaliveLint.lintWorkspace', 'keepaliveLint.fixAll', 'keepaliveLint.showOutput']) assert.ok(commands.includes(command), command);
    });

    it('flags the checkout Deployment, and its preferred quick fix clears the problem', async () => {
      const uri = examples('shop', 'checkout.yaml');
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const [diagnostic] = await diagnosticsWhere(uri, (d) => d.length > 0);
      assert.equal(codeOf(diagnostic!), 'k8s/keepalive-sysctl-missing');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic!.range, vscode.CodeActionKind.QuickFix.value);
      const preferred = actions.find((a) => a.isPreferred);
      assert.ok(preferred?.edit, actions.map((a) => a.title).join(', '));
      assert.ok(await vscode.workspace.applyEdit(preferred.edit));
      await diagnosticsWhere(uri, (d) => d.length === 0);
      assert.match(document.getText(), /net\.ipv4\.tcp_keepalive_time/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    it('flags the TypeScript client with a docs link', async () => {
      const uri = examples('shop', 'checkout-service', 'src', 'orders-client.ts');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const [diagnostic] = await diagnosticsWhere(uri, (d) => d.length > 0);
      assert.equal(codeOf(diagnostic!), 'node/http-agent-keepalive');
      const code = diagnostic!.code as { value: string; target: vscode.Uri };
      assert.match(code.target.toString(), /docs\/rules\/node\/http-agent-keepalive\.md$/);
    });
  });
}
