// The CLI makes no network requests: the built executable runs with every network entry point of
// Node (sockets, TLS, HTTP/1/2, DNS, UDP, fetch, WebSocket) replaced by a trap that records and
// throws, on the main thread and on worker threads, over manifests and code full of URLs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanup, DIST_CLI, FLAGGED, project, REPO_ROOT } from './helpers.ts';

after(cleanup);

const TRAP = join(REPO_ROOT, 'test', 'helpers', 'no-network.mjs');

function lintTrapped(dir: string, argv: readonly string[]): { code: number | null; log: string[]; stderr: string } {
  const log = join(dir, 'network.log');
  rmSync(log, { force: true });
  const result = spawnSync(process.execPath, ['--import', TRAP, DIST_CLI, ...argv], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', KEEPALIVE_LINT_NETWORK_LOG: log },
  });
  return { code: result.status, log: readFileSync(log, 'utf8').trimEnd().split('\n'), stderr: result.stderr };
}

describe('no network', () => {
  let dir: string;
  before(() => {
    dir = project({ 'k8s/app.yaml': FLAGGED.replace('http://api:8080', 'https://registry.npmjs.org/keepalive-lint') });
    cpSync(join(REPO_ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  });

  for (const threads of ['1', '2']) {
    it(`lints and fixes with --threads ${threads} without touching the network`, () => {
      const lint = lintTrapped(dir, ['lint', '--format', 'json', '--threads', threads, '.']);
      assert.ok(lint.code === 0 || lint.code === 1, lint.stderr);
      assert.deepEqual(
        lint.log.filter((line) => !line.startsWith('watching')),
        [],
        'no network attempt',
      );
      // The trap really was in place on every thread that linted.
      assert.equal(lint.log.filter((line) => line.startsWith('watching')).length, Number(threads)); // --threads N: this thread and N - 1 workers
      const fix = lintTrapped(dir, ['lint', '--fix-dry-run', '--format', 'json', '.']);
      assert.ok(fix.code === 0 || fix.code === 1, fix.stderr);
      assert.deepEqual(fix.log.filter((line) => !line.startsWith('watching')), []);
    });
  }
});
