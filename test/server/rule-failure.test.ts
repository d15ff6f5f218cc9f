/**
 * A rule that throws is logged with its id and file, and the other rules still report: the server in
 * this process (so a throwing rule can be injected), talking LSP over a pair of streams.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, it } from 'node:test';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node.js';
import { createRule } from '../../rules/rule.ts';
import { RULES } from '../../rules/registry.ts';
import { KeepaliveLintServer } from '../../server/server.ts';
import { DEPLOYMENT, SERVICE, Workspace } from './fixtures.ts';
import { LspClient } from './lsp-client.ts';

const throwing = createRule({
  id: 'k8s/test-throws',
  description: 'Throws on every file.',
  defaultSeverity: 'error',
  fixable: false,
  language: 'yaml',
  remediation: 'None.',
  messages: { never: 'never' },
  *check() {
    throw new Error('boom from a broken rule');
  },
});

let ws: Workspace;
let client: LspClient;
let connection: Connection;
const toServer = new PassThrough();
const toClient = new PassThrough();
before(async () => {
  ws = new Workspace({ 'service.yaml': SERVICE });
  connection = createConnection(ProposedFeatures.all, toServer, toClient);
  new KeepaliveLintServer(connection, { rules: [throwing, ...RULES] }).listen();
  // processId null: the server must not watch (and keep alive) this very process.
  client = await LspClient.connect(toClient, toServer, { root: ws.root, processId: null });
});
after(async () => {
  await client.stop();
  connection.dispose();
  toServer.end();
  toClient.end();
  ws.dispose();
});

it('logs a rule that throws with its id and file, and publishes the other rules\' findings', async () => {
  const path = ws.path('deploy.yaml');
  const uri = await client.open(path, DEPLOYMENT);
  const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
  assert.deepEqual(diagnostics.map((d) => d.code), ['k8s/keepalive-sysctl-missing']);
  await client.waitFor('the failure in the log', () => client.logs.some((l) => l.includes('rule k8s/test-throws failed on') && l.includes(path)));
  assert.match(client.logs.find((l) => l.includes('k8s/test-throws'))!, /boom from a broken rule/);
});
