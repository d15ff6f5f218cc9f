/** The CLI on TS/JS sources: walking, the pre-check, versions read from the project, --fix. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanup, cli, parseJson, project } from './helpers.ts';

after(cleanup);

const AGENT = `import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n`;
const UNDICI = `import { Pool } from 'undici';\nexport const pool = new Pool('http://api:8080', { keepAliveTimeout: 3_600_000 });\n`;

describe('code files', () => {
  it('walks every TS/JS extension, skips .d.ts, and reports at the new', async () => {
    const dir = project({
      'src/a.ts': AGENT,
      'src/b.mjs': AGENT,
      'src/c.cjs': AGENT.replace("import http from 'node:http';", "const http = require('node:http');").replace('export const agent =', 'module.exports ='),
      'src/d.tsx': AGENT,
      'src/types.d.ts': AGENT,
      'node_modules/lib/index.js': AGENT,
    });
    const result = await cli(dir, ['lint', '--format', 'json']);
    const files = parseJson(result.stdout).filter((f) => f.messages.length > 0).map((f) => f.filePath.slice(dir.length + 1));
    assert.deepEqual(files.sort(), ['src/a.ts', 'src/b.mjs', 'src/c.cjs', 'src/d.tsx']);
    const [first] = parseJson(result.stdout).find((f) => f.filePath.endsWith('a.ts'))!.messages;
    assert.deepEqual([first!.ruleId, first!.line, first!.column], ['node/http-agent-keepalive', 2, 22]);
    assert.equal(result.code, 0, 'warnings only');
  });

  it('reports a syntax error as one fatal message', async () => {
    const dir = project({ 'src/broken.ts': `import http from 'http';\nconst a = new http.Agent({ keepAlive: true, ;\n` });
    const [file] = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout);
    assert.equal(file!.messages.length, 1);
    assert.equal(file!.messages[0]!.ruleId, null);
    assert.equal(file!.messages[0]!.fatal, true);
    assert.equal(file!.messages[0]!.line, 2);
  });

  it('reads library versions from the nearest lockfile', async () => {
    const lock = (version: string) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/undici': { version } } });
    const old = project({ 'package.json': '{"dependencies":{"undici":"^5.0.0"}}', 'package-lock.json': lock('5.10.0'), 'src/pool.ts': UNDICI });
    const oldResult = parseJson((await cli(old, ['lint', '--format', 'json'])).stdout);
    assert.match(oldResult[0]!.messages[0]?.message ?? '', /undici Pool 5\.10\.0/);
    const current = project({ 'package.json': '{"dependencies":{"undici":"^5.0.0"}}', 'package-lock.json': lock('6.21.0'), 'src/pool.ts': UNDICI });
    assert.deepEqual(parseJson((await cli(current, ['lint', '--format', 'json'])).stdout)[0]!.messages, []);
  });

  it('falls back to the package.json range minimum without a lockfile', async () => {
    const dir = project({ 'package.json': '{"dependencies":{"undici":"~5.12.0"}}', 'src/pool.ts': UNDICI });
    const [file] = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout);
    assert.match(file!.messages[0]?.message ?? '', /undici Pool 5\.12\.0/);
  });

  it('--fix rewrites the code and a second run finds nothing', async () => {
    const dir = project({ 'src/a.ts': AGENT });
    assert.equal((await cli(dir, ['lint', '--fix'])).code, 0);
    const fixed = readFileSync(join(dir, 'src/a.ts'), 'utf8');
    assert.equal(fixed, AGENT.replace('3_600_000', '30_000'));
    const again = await cli(dir, ['lint', '--format', 'json']);
    assert.deepEqual(parseJson(again.stdout)[0]!.messages, []);
  });

  it('--stdin with a .ts file name lints code', async () => {
    const dir = project();
    const result = await cli(dir, ['lint', '--stdin', '--stdin-filename', 'src/x.ts', '--format', 'json'], { stdin: AGENT });
    assert.equal(parseJson(result.stdout)[0]!.messages[0]!.ruleId, 'node/http-agent-keepalive');
  });

  it('validates --node-version', async () => {
    const dir = project({ 'src/a.ts': AGENT });
    const bad = await cli(dir, ['lint', '--node-version', 'latest']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--node-version must look like 20\.11/);
    assert.equal((await cli(dir, ['lint', '--node-version', '24.15'])).code, 0);
  });

  it('a kube-proxy config linted in the same run sets T for code too', async () => {
    const dir = project({
      'k8s/kube-proxy.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  tcpTimeout: 300s\n',
      'src/a.ts': AGENT.replace('3_600_000', '600_000'),
    });
    const files = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout);
    const code = files.find((f) => f.filePath.endsWith('a.ts'))!;
    assert.match(code.messages[0]?.message ?? '', /T=300s \(KubeProxyConfiguration/);
  });
});
