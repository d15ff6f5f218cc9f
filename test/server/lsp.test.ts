/**
 * The language server as an editor sees it: the built `dist/server.js --stdio`, driven by a protocol
 * client. Every wait is on a condition (a publication, a progress report) with a timeout.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, FileChangeType, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { FIX_ALL_KIND, SERVER_COMMANDS, STATUS_REQUEST, type StatusResult } from '../../server/protocol.ts';
import { DEPLOYMENT, DEPLOYMENT_FINDING, podWithKeepalive, SERVICE, TS_CLIENT, TS_FINDING_LINE, Workspace } from './fixtures.ts';
import { LspClient, uriOf } from './lsp-client.ts';

const CONTENT_MODIFIED = -32801;
const REQUEST_CANCELLED = -32800;
const INVALID_PARAMS = -32602;

function isAction(value: unknown): value is CodeAction {
  return typeof value === 'object' && value !== null && 'title' in value && !('command' in value && typeof (value as { command: unknown }).command === 'string');
}

async function actionsAt(client: LspClient, uri: string, diagnostic: Diagnostic, only?: string[]): Promise<CodeAction[]> {
  const actions = await client.codeActions(uri, diagnostic.range, [diagnostic], only);
  return (actions ?? []).filter(isAction);
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string };
  }
  assert.fail('expected the request to be refused');
}

describe('language server: diagnostics across files', () => {
  let ws: Workspace;
  let client: LspClient;
  before(async () => {
    ws = new Workspace({ 'k8s/deploy.yaml': DEPLOYMENT, 'k8s/service.yaml': SERVICE, 'node_modules/dep/service.yaml': SERVICE.replace('backend', 'hidden') });
    client = await LspClient.start({ root: ws.root });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  it('indexes the workspace at start with a progress notification and registers file watchers', async () => {
    await client.waitFor('the indexing progress to end', () => client.progress.some((p) => p.kind === 'end'));
    assert.ok(client.progressCreated.length >= 1, 'window/workDoneProgress/create was sent');
    assert.match(client.progress.find((p) => p.kind === 'begin')?.title ?? '', /indexing/);
    await client.waitFor('watcher registration', () => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = client.registrations
      .filter((r) => r.method === 'workspace/didChangeWatchedFiles')
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern));
    assert.ok(globs.includes('**/*.{yaml,yml}'), globs.join(', '));
    assert.ok(client.initializeResult.capabilities.codeActionProvider);
    assert.equal(client.initializeResult.serverInfo?.name, 'keepalive-lint');
    // node_modules/dep/service.yaml is not among them.
    await client.waitFor('the index log', () => client.logs.some((l) => /indexed \d+ Kubernetes YAML files/.test(l)));
    assert.ok(client.logs.some((l) => /indexed 2 Kubernetes YAML files/.test(l)), client.logs.join('\n'));
  });

  it('judges an open Deployment against a Service in a file that is not open', async () => {
    const uri = await client.open(ws.path('k8s/deploy.yaml'), DEPLOYMENT);
    const [diagnostic, ...rest] = await client.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(rest.length, 0);
    assert.equal(diagnostic!.code, 'k8s/keepalive-sysctl-missing');
    assert.equal(diagnostic!.source, 'keepalive-lint');
    assert.equal(diagnostic!.severity, 2);
    assert.deepEqual(diagnostic!.range, DEPLOYMENT_FINDING);
    assert.equal(diagnostic!.codeDescription?.href, 'https://github.com/keepalive-lint/keepalive-lint/blob/main/docs/rules/k8s/keepalive-sysctl-missing.md');
    assert.match(messageOf(diagnostic!), /calls Service backend/);
    const related = diagnostic!.relatedInformation ?? [];
    const service = related.find((r) => r.location.uri === uriOf(ws.path('k8s/service.yaml')));
    assert.ok(service, `the Service definition is related: ${JSON.stringify(related)}`);
    assert.deepEqual(service.location.range.start, { line: 3, character: 8 });
    assert.deepEqual((diagnostic!.data as { ruleId: string; version: number }).ruleId, 'k8s/keepalive-sysctl-missing');
    assert.equal((diagnostic!.data as { version: number }).version, 1);
  });

  it('drops the diagnostic when the Service file is deleted, and brings it back when it returns', async () => {
    const uri = uriOf(ws.path('k8s/deploy.yaml'));
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    await client.watched([{ uri: uriOf(ws.remove('k8s/service.yaml')), type: FileChangeType.Deleted }]);
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    await client.watched([{ uri: uriOf(ws.write('k8s/service.yaml', SERVICE)), type: FileChangeType.Created }]);
    await client.diagnosticsFor(uri, (d) => d.length === 1);
  });

  it('re-diagnoses an open Deployment when an open Service document changes', async () => {
    const uri = uriOf(ws.path('k8s/deploy.yaml'));
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    // The open text of the Service stands in for the file: rename it and the evidence is gone.
    const serviceUri = await client.open(ws.path('k8s/service.yaml'), SERVICE);
    await client.change(serviceUri, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 15 } }, text: 'other' }]);
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    await client.close(serviceUri); // the file on disk still says backend
    await client.diagnosticsFor(uri, (d) => d.length === 1);
  });

  it('answers requests about documents that are not open with an error', async () => {
    const unknown = uriOf(ws.path('k8s/never-opened.yaml'));
    const error = await rejection(client.hover(unknown, 0, 0));
    assert.equal(error.code, INVALID_PARAMS);
    assert.match(error.message, /unknown document/);
    const actions = await rejection(client.codeActions(unknown, DEPLOYMENT_FINDING, []));
    assert.equal(actions.code, INVALID_PARAMS);
  });

  it('lints the whole workspace on request, for files that are not open', async () => {
    ws.write('other/deploy.yaml', DEPLOYMENT.replace('name: web', 'name: other'));
    await client.watched([{ uri: uriOf(ws.path('other/deploy.yaml')), type: FileChangeType.Created }]);
    const result = (await client.executeCommand(SERVER_COMMANDS.lintWorkspace)) as { files: number; problems: number };
    assert.ok(result.files >= 3, JSON.stringify(result));
    const published = await client.diagnosticsFor(uriOf(ws.path('other/deploy.yaml')), (d) => d.length === 1);
    assert.equal(published[0]!.code, 'k8s/keepalive-sysctl-missing');
    assert.equal(client.diagnostics.has(uriOf(ws.path('node_modules/dep/service.yaml'))), false);
  });
});

describe('language server: code actions', () => {
  let ws: Workspace;
  let client: LspClient;
  before(async () => {
    ws = new Workspace({ 'service.yaml': SERVICE });
    client = await LspClient.start({ root: ws.root });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  it('offers each fix as a quick fix, the preferred one marked; applying it removes the finding', async () => {
    const uri = await client.open(ws.path('a.yaml'), DEPLOYMENT);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    const actions = await actionsAt(client, uri, diagnostic!);
    const fixes = actions.filter((a) => a.kind === 'quickfix' && !/^(Disable|Add keepalive-lint\.io)/.test(a.title));
    assert.equal(fixes.length, 2, actions.map((a) => a.title).join('\n'));
    const preferred = fixes.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.match(preferred[0]!.title, /sysctls/);
    assert.deepEqual(preferred[0]!.diagnostics?.map((d) => d.code), ['k8s/keepalive-sysctl-missing']);
    const change = preferred[0]!.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change && change.textDocument.version === 1, 'the edit is tied to version 1');
    const version = await client.applyAction(preferred[0]!);
    assert.deepEqual(await client.diagnosticsFor(uri, (d) => d.length === 0, version), []);
    assert.match(client.text(uri), /\n {6}securityContext:\n {8}sysctls:\n {10}- name: net\.ipv4\.tcp_keepalive_time\n {12}value: "60"\n/);
  });

  it('"Disable <id> for this line" inserts the comment above at the line\'s indentation (YAML)', async () => {
    const uri = await client.open(ws.path('b.yaml'), DEPLOYMENT);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    const action = (await actionsAt(client, uri, diagnostic!)).find((a) => a.title === 'Disable k8s/keepalive-sysctl-missing for this line');
    assert.ok(action);
    const version = await client.applyAction(action);
    await client.diagnosticsFor(uri, (d) => d.length === 0, version);
    const lines = client.text(uri).split('\n');
    assert.equal(lines[12], '    # keepalive-lint-disable-next-line k8s/keepalive-sysctl-missing');
    assert.equal(lines[13], '    spec:');
  });

  it('"Disable <id> for this line" uses // in code, and "for this file" puts the directive first', async () => {
    const uri = await client.open(ws.path('src/client.ts'), TS_CLIENT);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    assert.equal(diagnostic!.code, 'node/http-agent-keepalive');
    assert.equal(diagnostic!.range.start.line, TS_FINDING_LINE);
    const actions = await actionsAt(client, uri, diagnostic!);
    const line = actions.find((a) => a.title === 'Disable node/http-agent-keepalive for this line');
    const file = actions.find((a) => a.title === 'Disable node/http-agent-keepalive for this file');
    assert.ok(line && file);
    const fileEdit = file.edit?.documentChanges?.[0];
    assert.ok(fileEdit && 'edits' in fileEdit);
    assert.deepEqual(fileEdit.edits[0], { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '// keepalive-lint-disable-file node/http-agent-keepalive\n' });
    const version = await client.applyAction(line);
    await client.diagnosticsFor(uri, (d) => d.length === 0, version);
    assert.equal(client.text(uri).split('\n')[TS_FINDING_LINE], '  // keepalive-lint-disable-next-line node/http-agent-keepalive');
  });

  it('"Add keepalive-lint.io/ignore annotation" on a workload', async () => {
    const uri = await client.open(ws.path('c.yaml'), DEPLOYMENT);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    const action = (await actionsAt(client, uri, diagnostic!)).find((a) => a.title.startsWith('Add keepalive-lint.io/ignore annotation'));
    assert.ok(action);
    const version = await client.applyAction(action);
    await client.diagnosticsFor(uri, (d) => d.length === 0, version);
    assert.match(client.text(uri), /metadata:\n {2}annotations:\n {4}keepalive-lint\.io\/ignore: k8s\/keepalive-sysctl-missing\n {2}name: web/);
  });

  it('source.fixAll.keepalive-lint fixes every finding of the file; so does the fix-all command', async () => {
    const two = `${DEPLOYMENT}---\n${DEPLOYMENT.replace('name: web', 'name: api')}`;
    const uri = await client.open(ws.path('d.yaml'), two);
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length === 2);
    const actions = await actionsAt(client, uri, diagnostics[0]!, [FIX_ALL_KIND]);
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND]);
    let version = await client.applyAction(actions[0]!);
    await client.diagnosticsFor(uri, (d) => d.length === 0, version);
    assert.equal(client.text(uri).match(/tcp_keepalive_time/g)?.length, 2);

    const other = await client.open(ws.path('e.yaml'), two);
    await client.diagnosticsFor(other, (d) => d.length === 2);
    const result = (await client.executeCommand(SERVER_COMMANDS.fixAll, [{ uri: other, version: 1 }])) as { applied: boolean };
    assert.equal(result.applied, true);
    version = client.documents.get(other)!.version;
    await client.diagnosticsFor(other, (d) => d.length === 0, version);
  });

  it('refuses a request made against a stale version', async () => {
    const uri = await client.open(ws.path('f.yaml'), DEPLOYMENT);
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    // The user types; the code action request still carries the diagnostic of version 1.
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# a comment\n' }]);
    const error = await rejection(client.codeActions(uri, diagnostic!.range, [diagnostic!]));
    assert.equal(error.code, CONTENT_MODIFIED);
    const command = await rejection(client.executeCommand(SERVER_COMMANDS.fixAll, [{ uri, version: 1 }]));
    assert.equal(command.code, CONTENT_MODIFIED);
    // Fix-all (as on save) works from the current text, whatever diagnostics come along.
    const [fixAll] = await actionsAt(client, uri, diagnostic!, [FIX_ALL_KIND]);
    const fixAllChange = fixAll?.edit?.documentChanges?.[0];
    assert.ok(fixAllChange && 'textDocument' in fixAllChange && fixAllChange.textDocument.version === 2);
    // An edit computed for version 1 is refused by the editor once the text is at version 2.
    const [fresh] = await client.diagnosticsFor(uri, (d) => d.length === 1, 2);
    assert.equal(fresh!.range.start.line, DEPLOYMENT_FINDING.start.line + 1);
    const actions = await actionsAt(client, uri, fresh!);
    const preferred = actions.find((a) => a.isPreferred)!;
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# another\n' }]);
    assert.equal(client.applyEdit(preferred.edit!), false);
  });
});

describe('language server: hover, settings and configuration files', () => {
  let ws: Workspace;
  let client: LspClient;
  before(async () => {
    ws = new Workspace({ 'service.yaml': SERVICE });
    client = await LspClient.start({ root: ws.root, settings: {} });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  it('hovers a flagged client with the liveness verdict in one table', async () => {
    const uri = await client.open(ws.path('src/client.ts'), TS_CLIENT);
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    const hover = await client.hover(uri, TS_FINDING_LINE, 12);
    assert.ok(hover && typeof hover.contents === 'object' && 'kind' in hover.contents);
    assert.equal(hover.contents.kind, 'markdown');
    const value = hover.contents.value;
    assert.match(value, /node\/http-agent-keepalive/);
    assert.match(value, /\| first keepalive probe \| after 3600 s \| ✗ not below 900 s \|/);
    assert.match(value, /\| idle sockets closed \| never \| ✗ not below 900 s \|/);
    assert.match(value, /\| heartbeat \| none \| ✗ not below 900 s \|/);
    assert.match(value, /\| idle timeout T \| 900 s \| default profile "ipvs"/);
    assert.equal(await client.hover(uri, 0, 0), null);
  });

  it('hovers a tcp_keepalive_* sysctl with the pod\'s values against T', async () => {
    const uri = await client.open(ws.path('pod.yaml'), podWithKeepalive(600));
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    const hover = await client.hover(uri, 7, 20);
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.match(hover.contents.value, /\| first probe \(tcp_keepalive_time\) \| 600 s \(securityContext\.sysctls\) \| ✓ below 900 s \|/);
    assert.deepEqual(hover.range?.start, { line: 7, character: 8 });
  });

  it('re-diagnoses on a settings change; a config file in the workspace wins over the settings', async () => {
    const uri = uriOf(ws.path('pod.yaml'));
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    let status = await client.request<StatusResult>(STATUS_REQUEST, { uri });
    assert.equal(status.seconds, 900);

    await client.changeSettings({ idleTimeoutSeconds: 300, trace: { server: 'off' }, middleboxes: null });
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1);
    assert.equal(diagnostic!.code, 'k8s/keepalive-sysctl-too-long');
    assert.match(messageOf(diagnostic!), /T=300s \(idleTimeoutSeconds in keepaliveLint settings\)/);
    status = await client.request<StatusResult>(STATUS_REQUEST, { uri });
    assert.deepEqual(status, { seconds: 300, source: 'idleTimeoutSeconds in keepaliveLint settings', configFile: null });
    assert.ok(client.configurationRequests.includes(uri), 'settings are asked for per document');

    ws.write('.keepalive-lint.yaml', 'idleTimeoutSeconds: 1200\n');
    await client.watched([{ uri: uriOf(ws.path('.keepalive-lint.yaml')), type: FileChangeType.Created }]);
    await client.diagnosticsFor(uri, (d) => d.length === 0);
    status = await client.request<StatusResult>(STATUS_REQUEST, { uri });
    assert.equal(status.seconds, 1200);
    assert.match(status.source, /idleTimeoutSeconds in .*\.keepalive-lint\.yaml/);

    ws.remove('.keepalive-lint.yaml');
    await client.watched([{ uri: uriOf(ws.path('.keepalive-lint.yaml')), type: FileChangeType.Deleted }]);
    await client.diagnosticsFor(uri, (d) => d.length === 1);
  });

  it('reports invalid settings once and lints with the valid ones', async () => {
    const uri = uriOf(ws.path('pod.yaml'));
    await client.changeSettings({ idleTimeoutSeconds: 300, kubernetesVersion: 1.3, rules: { 'k8s/keepalive-sysctl-too-long': 'warn' } });
    await client.waitFor('a message about the invalid settings', () => client.messages.some((m) => /invalid settings.*kubernetesVersion/.test(m)));
    const [diagnostic] = await client.diagnosticsFor(uri, (d) => d.length === 1 && d[0]!.severity === 2);
    assert.equal(diagnostic!.code, 'k8s/keepalive-sysctl-too-long');
  });
});

describe('language server: robustness', () => {
  let ws: Workspace;
  let client: LspClient;
  before(async () => {
    ws = new Workspace({ 'service.yaml': SERVICE, 'broken.yaml': 'a: [\n' });
    client = await LspClient.start({ root: ws.root });
  });
  after(async () => {
    await client.stop();
    ws.dispose();
  });

  it('survives malformed documents with one note each', async () => {
    const yaml = await client.open(ws.path('broken.yaml'), 'kind: Deployment\nspec: [\n  - {\n');
    const [note] = await client.diagnosticsFor(yaml, (d) => d.length === 1);
    assert.equal(note!.code, 'parse-error');
    assert.equal(note!.severity, 3);
    const code = await client.open(ws.path('broken.ts'), "import net from 'node:net';\nconst socket = net.connect(\n");
    const [codeNote] = await client.diagnosticsFor(code, (d) => d.length === 1);
    assert.equal(codeNote!.code, 'parse-error');
    const binary = await client.open(ws.path('binary.yaml'), '\u0000\u0001\u0002garbage: [}{');
    await client.diagnosticsFor(binary);
    // Still serving.
    const uri = await client.open(ws.path('ok.yaml'), DEPLOYMENT);
    assert.equal((await client.diagnosticsFor(uri, (d) => d.length === 1))[0]!.code, 'k8s/keepalive-sysctl-missing');
    assert.equal(client.exited, false);
  });

  it('lints a large document', async () => {
    const count = 1500;
    const docs = Array.from({ length: count }, (_, i) => DEPLOYMENT.replace('name: web', `name: web-${i}`));
    const uri = await client.open(ws.path('large.yaml'), docs.join('---\n'));
    const diagnostics = await client.diagnosticsFor(uri, (d) => d.length === count, undefined);
    assert.equal(diagnostics.every((d) => d.code === 'k8s/keepalive-sysctl-missing'), true);
    const lines = DEPLOYMENT.split('\n').length;
    assert.equal(diagnostics[count - 1]!.range.start.line, (count - 1) * lines + DEPLOYMENT_FINDING.start.line);
  });

  it('ends 10,000 rapid incremental changes with the diagnostics of the last text, in bounded memory', async () => {
    const rss = (): number | undefined => {
      try {
        return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${client.process?.pid}/status`, 'utf8'))?.[1]) / 1024;
      } catch {
        return undefined; // not Linux: the memory half of the check is skipped
      }
    };
    const uri = await client.open(ws.path('src/rapid.ts'), TS_CLIENT);
    await client.diagnosticsFor(uri, (d) => d.length === 1);
    const before = client.publications.get(uri) ?? 0;
    const memoryBefore = rss();
    let version = 1;
    for (let i = 0; i < 10_000; i++) version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    // One more change moves the finding a line down: only the last text counts.
    version = await client.change(uri, [{ range: { start: { line: 10_000 + TS_FINDING_LINE, character: 0 }, end: { line: 10_000 + TS_FINDING_LINE, character: 0 } }, text: '// x\n' }]);
    const final = await client.diagnosticsFor(uri, (d) => d.length === 1, version);
    assert.equal(version, 10_002);
    assert.deepEqual(codes(final), [`node/http-agent-keepalive@${10_001 + TS_FINDING_LINE}`]);
    const publications = (client.publications.get(uri) ?? 0) - before;
    assert.ok(publications < 200, `debounced: ${publications} publications for 10,001 changes`);
    const memoryAfter = rss();
    // Each change replaces the previous text, analysis and lint: nothing accumulates per change.
    if (memoryBefore !== undefined && memoryAfter !== undefined) assert.ok(memoryAfter - memoryBefore < 100, `RSS grew from ${memoryBefore.toFixed(0)} MB to ${memoryAfter.toFixed(0)} MB`);
  });

  it('honours cancellation', async () => {
    for (let i = 0; i < 200; i++) ws.write(`many/m${i}.yaml`, SERVICE.replace('backend', `svc-${i}`));
    const source = new CancellationTokenSource();
    const pending = client.executeCommand(SERVER_COMMANDS.lintWorkspace, [], source);
    source.cancel();
    const error = await rejection(pending);
    assert.equal(error.code, REQUEST_CANCELLED);
  });
});
