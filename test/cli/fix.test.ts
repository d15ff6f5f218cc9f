import assert from 'node:assert/strict';
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLEAN, cleanup, cli, ERRORS, FLAGGED, parseJson, project, REJECTED, SYSCTLS_SET } from './helpers.ts';

after(cleanup);

const SYSCTLS_BLOCK = `      securityContext:
        sysctls:
          - name: net.ipv4.tcp_keepalive_time
            value: "60"
          - name: net.ipv4.tcp_keepalive_intvl
            value: "10"
          - name: net.ipv4.tcp_keepalive_probes
            value: "3"
`;

/** FLAGGED after `--fix`: the keepalive sysctls added to the pod securityContext. */
const FLAGGED_FIXED = FLAGGED.replace('      containers:\n', `${SYSCTLS_BLOCK}      containers:\n`);

function read(dir: string, name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

describe('--fix', () => {
  it('writes the preferred fix in place, keeps the file mode and leaves no temporary file', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'clean.yaml': CLEAN });
    chmodSync(join(dir, 'app.yaml'), 0o640);
    const result = await cli(dir, ['lint', '--fix']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '', 'nothing left to report');
    assert.equal(result.stderr, '');
    assert.equal(read(dir, 'app.yaml'), FLAGGED_FIXED);
    assert.equal(read(dir, 'clean.yaml'), CLEAN);
    assert.equal(statSync(join(dir, 'app.yaml')).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).sort(), ['app.yaml', 'clean.yaml']);
  });

  it('is idempotent: a second --fix changes nothing and does not rewrite the file', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    assert.equal((await cli(dir, ['lint', '--fix'])).code, 0);
    const before = statSync(join(dir, 'app.yaml'));
    const second = await cli(dir, ['lint', '--fix', '--format', 'json']);
    assert.equal(second.code, 0);
    assert.equal(read(dir, 'app.yaml'), FLAGGED_FIXED);
    assert.equal(statSync(join(dir, 'app.yaml')).ino, before.ino, 'not replaced');
    const [file] = parseJson(second.stdout);
    assert.deepEqual(file!.messages, []);
    assert.equal('output' in file!, false);
    assert.deepEqual(readdirSync(dir), ['app.yaml']);
  });

  it('leaves YAML that re-lints clean', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'errors.yaml': ERRORS });
    const fixed = await cli(dir, ['lint', '--fix']);
    assert.equal(fixed.code, 0, fixed.stdout);
    const relint = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(relint.code, 0);
    for (const file of parseJson(relint.stdout)) assert.deepEqual(file.messages, [], file.filePath);
    // The init container that wrote 1000 was made privileged and now writes 60.
    assert.match(read(dir, 'errors.yaml'), /privileged: true/);
    assert.match(read(dir, 'errors.yaml'), /net\.ipv4\.tcp_keepalive_time=60"/);
    assert.match(read(dir, 'errors.yaml'), /value: "60"/);
  });

  it('uses a privileged init container on clusters older than 1.29, and that re-lints clean there', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    assert.equal((await cli(dir, ['lint', '--fix', '--kubernetes-version', '1.28'])).code, 0);
    const text = read(dir, 'app.yaml');
    assert.match(text, /initContainers:\n {8}- name: tcp-keepalive-sysctl\n/);
    assert.match(text, /privileged: true/);
    assert.ok(!text.includes('sysctls:'));
    const relint = await cli(dir, ['lint', '--format', 'json', '--kubernetes-version', '1.28']);
    assert.deepEqual(parseJson(relint.stdout)[0]!.messages, []);
  });

  it('moves rejected sysctls to an init container with --kubernetes-version 1.28', async () => {
    const dir = project({ 'app.yaml': SYSCTLS_SET });
    const before = await cli(dir, ['lint', '--format', 'json', '--kubernetes-version', '1.28']);
    assert.equal(before.code, 1);
    assert.deepEqual(parseJson(before.stdout)[0]!.messages.map((m) => [m.ruleId, m.line, m.column]), [[REJECTED, 10, 13]]);
    const fixed = await cli(dir, ['lint', '--fix', '--kubernetes-version', '1.28']);
    assert.equal(fixed.code, 0, fixed.stdout);
    const text = read(dir, 'app.yaml');
    assert.ok(!text.includes('sysctls:'), text);
    assert.match(text, /net\.ipv4\.tcp_keepalive_time=60/);
    assert.equal((await cli(dir, ['lint', '--kubernetes-version', '1.28'])).code, 0);
  });

  it('writes through a symlink named on the command line, keeping the link', async () => {
    const dir = project({ 'versions/v2.yaml': FLAGGED });
    symlinkSync(join('versions', 'v2.yaml'), join(dir, 'current.yaml'));
    const result = await cli(dir, ['lint', '--fix', 'current.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(lstatSync(join(dir, 'current.yaml')).isSymbolicLink());
    assert.equal(read(dir, 'versions/v2.yaml'), FLAGGED_FIXED);
    assert.deepEqual(readdirSync(join(dir, 'versions')), ['v2.yaml']);
  });

  it('does not touch a file that does not parse', async () => {
    const broken = 'a: [1, 2\nb: 3\n';
    const dir = project({ 'broken.yaml': broken });
    const result = await cli(dir, ['lint', '--fix']);
    assert.equal(result.code, 1);
    assert.equal(read(dir, 'broken.yaml'), broken);
  });

  it('with --quiet fixes errors only, as only errors are reported', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint', '--fix', '--quiet']);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(read(dir, 'app.yaml'), FLAGGED, 'the warning is not fixed');
    assert.notEqual(read(dir, 'errors.yaml'), ERRORS);
  });

  it('reports related locations in another fixed file at their fixed position', async () => {
    // a.yaml: sysctls rejected by the Namespace's Pod Security version (no fix), related to b.yaml.
    // b.yaml: a Deployment that --fix changes (8 lines inserted above the Namespace).
    const a = SYSCTLS_SET.replace('  name: web\n', '  name: legacy-web\n  namespace: legacy\n');
    const b = `${FLAGGED}---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.28
`;
    for (const flag of ['--fix', '--fix-dry-run']) {
      const dir = project({ 'a.yaml': a, 'b.yaml': b });
      const result = await cli(dir, ['lint', flag, '--format', 'json']);
      assert.equal(result.code, 1);
      const [aResult, bResult] = parseJson(result.stdout);
      assert.deepEqual(bResult!.messages, []);
      const message = aResult!.messages[0]!;
      assert.equal(message.ruleId, REJECTED);
      // Line 37 of b.yaml before the fix; the 8 inserted lines move it to 45. `v1.28` starts at column 49.
      assert.deepEqual(
        message.relatedInformation!.map((r) => [r.filePath, r.line, r.column, r.endLine, r.endColumn]),
        [[join(dir, 'b.yaml'), 45, 49, 45, 54]],
      );
      const fixedB = flag === '--fix' ? read(dir, 'b.yaml') : bResult!.output!;
      assert.equal(fixedB.split('\n')[44], '    pod-security.kubernetes.io/enforce-version: v1.28');
    }
  });
});

describe('--fix-dry-run', () => {
  it('writes nothing and shows the fixed text as "output" in json', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'clean.yaml': CLEAN });
    const before = statSync(join(dir, 'app.yaml'));
    const result = await cli(dir, ['lint', '--fix-dry-run', '--format', 'json']);
    assert.equal(result.code, 0);
    assert.equal(read(dir, 'app.yaml'), FLAGGED);
    const after = statSync(join(dir, 'app.yaml'));
    assert.equal(after.ino, before.ino);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.deepEqual(readdirSync(dir).sort(), ['app.yaml', 'clean.yaml']);
    const [app, clean] = parseJson(result.stdout);
    assert.equal(app!.output, FLAGGED_FIXED);
    assert.deepEqual(app!.messages, [], 'the report is of the fixed text');
    assert.equal('output' in clean!, false, 'no output when nothing changes');
  });

  it('fixes errors as well and reports the fixed text, exiting 0 when nothing is left', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint', '--fix-dry-run', '--format', 'json']);
    assert.equal(result.code, 0);
    assert.equal(read(dir, 'errors.yaml'), ERRORS);
    const [file] = parseJson(result.stdout);
    assert.ok(file!.output !== undefined && file!.output !== ERRORS);
    assert.match(file!.output!, /privileged: true/);
    assert.deepEqual(file!.messages, []);
    assert.equal(file!.errorCount, 0);
  });

  it('works with --stdin', async () => {
    const dir = project();
    const result = await cli(dir, ['lint', '--stdin', '--stdin-filename', 'app.yaml', '--fix-dry-run', '--format', 'json'], { stdin: FLAGGED });
    assert.equal(result.code, 0);
    const [file] = parseJson(result.stdout);
    assert.equal(file!.filePath, join(dir, 'app.yaml'));
    assert.equal(file!.output, FLAGGED_FIXED);
    assert.deepEqual(readdirSync(dir), []);
  });
});
