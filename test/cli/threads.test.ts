// Worker threads (cli/engine.ts) change nothing but the time: on a generated monorepo, the built
// executable's reports are byte-identical with workers forced on and off, in every format, with the
// same notes on stderr and the same exit code.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate } from '../../bench/generate.mjs';
import { workerCount } from '../../cli/engine.ts';
import { cli, ERRORS, FLAGGED, spawnCli } from './helpers.ts';

const root = join(tmpdir(), `keepalive-lint-threads-${process.pid}`);
const tree = join(root, 'tree');

before(() => {
  // The small vendored JS files only: the big ones take seconds to copy and read, and add nothing here.
  generate(root, { seed: 7, scale: 0.02, bigJs: ['_tsserver.js', '_typingsInstaller.js'] });
  // The odd files of a real repository, each of which must come out the same on any thread.
  const odd = join(tree, 'odd');
  mkdirSync(odd, { recursive: true });
  writeFileSync(join(odd, 'flagged.yaml'), FLAGGED);
  writeFileSync(join(odd, 'errors.yaml'), ERRORS);
  writeFileSync(join(odd, 'broken.yaml'), 'kind: Pod\nspec: [unclosed\n');
  writeFileSync(join(odd, 'broken.ts'), "import net from 'node:net';\nconst s = net.connect(;\n");
  writeFileSync(join(odd, 'binary.yaml'), new Uint8Array([0x6b, 0x3a, 0x00, 0x01]));
  writeFileSync(join(odd, 'latin1.yaml'), new Uint8Array([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
  writeFileSync(join(odd, 'template.yaml'), 'kind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n');
  writeFileSync(join(odd, 'deep.ts'), `import http from 'node:http';\nexport const x = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
  symlinkSync('loop-b.yaml', join(odd, 'loop-a.yaml'));
  symlinkSync('loop-a.yaml', join(odd, 'loop-b.yaml'));
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('worker threads', () => {
  for (const format of ['json', 'sarif']) {
    it(`--format ${format}: byte-identical output with workers forced on and off`, { timeout: 120_000 }, () => {
      const one = spawnCli(root, ['lint', '--format', format, '--threads', '1', 'tree']);
      const two = spawnCli(root, ['lint', '--format', format, '--threads', '2', 'tree']);
      assert.equal(one.code, 2, `the symlink loop is an I/O error: ${one.stderr.slice(0, 500)}`);
      assert.equal(two.code, one.code);
      assert.ok(one.stdout.length > 10_000, 'a real report');
      assert.equal(two.stdout, one.stdout);
      assert.equal(two.stderr, one.stderr);
      if (format === 'json') {
        const reports = JSON.parse(one.stdout) as { filePath: string; messages: { ruleId: string | null }[] }[];
        const ruleIds = new Set(reports.flatMap((r) => r.messages.map((m) => m.ruleId)));
        // The generated tree has findings of both languages, and the odd files their fatal messages.
        assert.ok(ruleIds.has('k8s/keepalive-sysctl-missing') && [...ruleIds].some((id) => id?.startsWith('node/')) && ruleIds.has(null), [...ruleIds].join());
        assert.match(one.stderr, /cannot read tree\/odd\/loop-a\.yaml: too many levels of symbolic links/);
        assert.match(one.stderr, /skipped tree\/odd\/binary\.yaml: binary file/);
        assert.match(one.stderr, /skipped tree\/odd\/template\.yaml: Go\/Helm template syntax/);
      }
    });
  }

  it('in-process (sources under tsx) with workers forced on gives the same report as the executable', { timeout: 120_000 }, async () => {
    const inProcess = await cli(root, ['lint', '--format', 'json', '--threads', '2', 'tree']);
    const executable = spawnCli(root, ['lint', '--format', 'json', '--threads', '1', 'tree']);
    assert.equal(inProcess.code, executable.code);
    assert.equal(inProcess.stdout, executable.stdout);
  });

  it('chooses workers for large runs only, and never more than asked (this thread counts as one)', () => {
    assert.equal(workerCount(1, 50_000), 0);
    assert.equal(workerCount(2, 50_000), 1);
    assert.equal(workerCount(4, 50_000), 3);
    assert.equal(workerCount(4, 2), 1);
    assert.equal(workerCount('auto', 10), 0);
  });

  it('rejects a bad --threads', async () => {
    const result = await cli(root, ['lint', '--threads', 'many', 'tree']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--threads must be auto or a whole number >= 1/);
  });
});
