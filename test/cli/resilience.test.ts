// The CLI on a hostile file system: unreadable files, symlink loops, FIFOs and huge files are
// reported and the rest is still linted; --fix never overwrites a file that changed after it was
// read and never writes outside the paths it was given.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLEAN, cleanup, cli, FLAGGED, MISSING, parseJson, project } from './helpers.ts';

after(cleanup);

const isRoot = process.getuid?.() === 0;

function mkfifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

/** The files a JSON report covers, relative to `dir`, and how many messages each has. */
function covered(dir: string, stdout: string): Record<string, number> {
  return Object.fromEntries(parseJson(stdout).map((r) => [r.filePath.slice(dir.length + 1), r.messages.length]));
}

describe('files that cannot be read', () => {
  it('a symlink loop in a walked folder is reported, the rest is linted, exit 2', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'k8s/clean.yaml': CLEAN });
    symlinkSync('b.yaml', join(dir, 'k8s', 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'k8s', 'b.yaml'));
    // A folder linked to its parent: links are not followed while walking, so this is no loop.
    symlinkSync('..', join(dir, 'k8s', 'up'));
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 2);
    assert.deepEqual(covered(dir, result.stdout), { 'app.yaml': 1, 'k8s/clean.yaml': 0 });
    assert.equal(
      result.stderr,
      'keepalive-lint: cannot read k8s/a.yaml: too many levels of symbolic links (a symlink loop)\n' +
        'keepalive-lint: cannot read k8s/b.yaml: too many levels of symbolic links (a symlink loop)\n',
    );
  });

  it('a symlink loop named on the command line is reported, the other paths are linted, exit 2', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    symlinkSync('loop.yaml', join(dir, 'loop.yaml'));
    const result = await cli(dir, ['lint', '--format', 'json', 'loop.yaml', 'app.yaml']);
    assert.equal(result.code, 2);
    assert.deepEqual(covered(dir, result.stdout), { 'app.yaml': 1 });
    assert.match(result.stderr, /^keepalive-lint: cannot read loop\.yaml: too many levels of symbolic links/);
  });

  it('a dangling symlink with a linted name is reported', async () => {
    const dir = project({ 'app.yaml': CLEAN });
    symlinkSync('gone.yaml', join(dir, 'stale.yaml'));
    const result = await cli(dir, ['lint']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'keepalive-lint: cannot read stale.yaml: no such file (a dangling symlink, or removed while linting)\n');
  });

  it('a FIFO named on the command line is reported without waiting for a writer; one met in a walk is never opened', async (t) => {
    const dir = project({ 'app.yaml': FLAGGED, 'sub/clean.yaml': CLEAN });
    if (!mkfifo(join(dir, 'pipe.yaml')) || !mkfifo(join(dir, 'sub', 'walked.yaml'))) {
      t.skip('mkfifo is not available here');
      return;
    }
    const named = await cli(dir, ['lint', '--format', 'json', 'pipe.yaml', 'app.yaml']);
    assert.equal(named.code, 2);
    assert.deepEqual(covered(dir, named.stdout), { 'app.yaml': 1 });
    assert.equal(named.stderr, 'keepalive-lint: cannot read pipe.yaml: not a regular file (a FIFO, socket or device)\n');
    const walked = await cli(dir, ['lint', '--format', 'json', 'sub']);
    assert.equal(walked.code, 0, walked.stderr);
    assert.deepEqual(covered(dir, walked.stdout), { 'sub/clean.yaml': 0 });
  });

  it('a file without read permission is reported, the rest is linted, exit 2', async (t) => {
    if (isRoot) {
      // root reads a mode-000 file anyway; the FIFO and symlink-loop cases above cover "cannot read" as root.
      t.skip('running as root: chmod 000 does not stop root from reading');
      return;
    }
    const dir = project({ 'app.yaml': FLAGGED, 'secret.yaml': CLEAN });
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    const result = await cli(dir, ['lint', '--format', 'json']);
    chmodSync(join(dir, 'secret.yaml'), 0o644);
    assert.equal(result.code, 2);
    assert.deepEqual(covered(dir, result.stdout), { 'app.yaml': 1 });
    assert.equal(result.stderr, 'keepalive-lint: cannot read secret.yaml: permission denied\n');
  });

  it('a 50 MB manifest is skipped with a note and the rest is linted', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    // Real text, not a sparse file: the size alone decides, before anything is read.
    const fd = openSync(join(dir, 'huge.yaml'), 'w');
    const chunk = Buffer.from(`${CLEAN}---\n`.repeat(2000));
    for (let written = 0; written < 50_000_000; written += chunk.length) writeSync(fd, chunk);
    closeSync(fd);
    assert.ok(statSync(join(dir, 'huge.yaml')).size >= 50_000_000);
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(covered(dir, result.stdout), { 'app.yaml': 1 });
    assert.equal(result.stderr, 'keepalive-lint: skipped huge.yaml: larger than 32 MiB (48 MiB)\n');
  });
});

describe('--fix writes safely', () => {
  it('refuses a file that changed after it was read, and says so (exit 2)', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'other.yaml': FLAGGED.replace(/web/g, 'other') });
    const edited = `${FLAGGED}# edited in an editor while keepalive-lint ran\n`;
    const result = await cli(dir, ['lint', '--fix', '--format', 'json'], {
      beforeFixWrite: (path) => {
        if (path.endsWith('app.yaml')) writeFileSync(path, edited);
      },
    });
    assert.equal(result.code, 2);
    assert.equal(readFileSync(join(dir, 'app.yaml'), 'utf8'), edited, "the other writer's change is kept");
    assert.match(readFileSync(join(dir, 'other.yaml'), 'utf8'), /tcp_keepalive_time/, 'the other file is fixed');
    assert.equal(result.stderr, 'keepalive-lint: not fixed app.yaml: it changed after it was read; lint it again\n');
    const reports = parseJson(result.stdout);
    assert.deepEqual(reports.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId), 'output' in r]), [
      ['app.yaml', [MISSING], false],
      ['other.yaml', [], true],
    ]);
    assert.deepEqual(readdirSync(dir).sort(), ['app.yaml', 'other.yaml'], 'no temporary file left behind');
  });

  it('replaces the file through a rename (a new inode), keeping its mode', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    chmodSync(join(dir, 'app.yaml'), 0o604);
    const before = statSync(join(dir, 'app.yaml'));
    assert.equal((await cli(dir, ['lint', '--fix'])).code, 0);
    const after = statSync(join(dir, 'app.yaml'));
    assert.notEqual(after.ino, before.ino, 'a new file was renamed over the old one');
    assert.equal(after.mode & 0o777, 0o604);
    assert.match(readFileSync(join(dir, 'app.yaml'), 'utf8'), /tcp_keepalive_time/);
  });

  it('never writes outside the paths it was given, even through links in them', async () => {
    const dir = project({ 'outside.yaml': FLAGGED, 'sibling.yaml': FLAGGED, 'given/app.yaml': FLAGGED });
    symlinkSync(join('..', 'outside.yaml'), join(dir, 'given', 'linked.yaml'));
    const result = await cli(dir, ['lint', '--fix', '--format', 'json', 'given']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(covered(dir, result.stdout), { 'given/app.yaml': 0 });
    assert.match(readFileSync(join(dir, 'given', 'app.yaml'), 'utf8'), /tcp_keepalive_time/);
    assert.equal(readFileSync(join(dir, 'outside.yaml'), 'utf8'), FLAGGED);
    assert.equal(readFileSync(join(dir, 'sibling.yaml'), 'utf8'), FLAGGED);
    assert.deepEqual(readdirSync(dir).sort(), ['given', 'outside.yaml', 'sibling.yaml']);
  });
});

describe('configuration is data', () => {
  const EVIL = (marker: string) =>
    `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'executed');\nmodule.exports = { rules: { 'k8s/keepalive-sysctl-missing': 'off' } };\n`;

  it('a JavaScript config file is never executed nor used', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const marker = join(dir, 'EXECUTED');
    for (const name of ['.keepalive-lint.js', '.keepalive-lint.cjs', '.keepalive-lint.mjs', 'keepalive-lint.config.js']) writeFileSync(join(dir, name), EVIL(marker));
    const result = await cli(dir, ['lint', '--format', 'json', 'app.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseJson(result.stdout)[0]!.messages.map((m) => m.ruleId), [MISSING], 'the rule was not turned off');
    const named = await cli(dir, ['lint', '--config', '.keepalive-lint.js', 'app.yaml']);
    assert.equal(named.code, 2, 'read as data, a JS file is not a valid config');
    assert.match(named.stderr, /configuration error/);
    const walked = await cli(dir, ['lint', '--format', 'json']);
    assert.ok(walked.code === 0 || walked.code === 1, walked.stderr);
    assert.equal(existsSync(marker), false, 'no config code ran');
  });
});

