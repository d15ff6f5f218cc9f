/**
 * Test 4 of issue 4: a second editor. Neovim's built-in LSP client (headless, test/nvim/init.lua)
 * attaches to `node dist/server.js --stdio` and receives the same diagnostics — rule id and line —
 * as the protocol-level tests in test/server/lsp.test.ts. Run with `npm run test:nvim` (installs
 * Debian's neovim when missing, as root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { DEPLOYMENT, DEPLOYMENT_FINDING, SERVICE, TS_CLIENT, TS_FINDING_LINE, Workspace } from '../server/fixtures.ts';

const RUN = join(import.meta.dirname, 'run.sh');

interface NvimDiagnostic {
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly severity: number;
  readonly message: string;
}

function diagnosticsInNeovim(file: string, root: string): NvimDiagnostic[] {
  const result = spawnSync('bash', [RUN, file, root], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, KL_TIMEOUT_MS: '30000' } });
  assert.equal(result.status, 0, `nvim failed (status ${result.status}, signal ${result.signal}):\n${result.stdout}\n${result.stderr}`);
  const lines = result.stdout.split('\n');
  assert.ok(lines.includes('DONE'), `no DONE line:\n${result.stdout}\n${result.stderr}`);
  return lines
    .filter((line) => line.startsWith('DIAG\t'))
    .map((line) => {
      const [, code, lineNumber, column, severity, message] = line.split('\t');
      return { code: code!, line: Number(lineNumber), column: Number(column), severity: Number(severity), message: message! };
    });
}

let ws: Workspace;
before(() => {
  ws = new Workspace({ 'k8s/deploy.yaml': DEPLOYMENT, 'k8s/service.yaml': SERVICE, 'src/client.ts': TS_CLIENT });
});
after(() => ws.dispose());

it('Neovim receives the Deployment diagnostic, judged against the Service in an unopened file', () => {
  const diagnostics = diagnosticsInNeovim(ws.path('k8s/deploy.yaml'), ws.root);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line, d.column]),
    [['k8s/keepalive-sysctl-missing', DEPLOYMENT_FINDING.start.line, DEPLOYMENT_FINDING.start.character]],
  );
  assert.match(diagnostics[0]!.message, /calls Service backend/);
  assert.equal(diagnostics[0]!.severity, 2); // vim.diagnostic.severity.WARN
});

it('Neovim receives the diagnostic of a TypeScript client', () => {
  const diagnostics = diagnosticsInNeovim(ws.path('src/client.ts'), ws.root);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.line]),
    [['node/http-agent-keepalive', TS_FINDING_LINE]],
  );
});
