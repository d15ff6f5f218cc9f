// The built executable (dist/cli.js, made by `npm run build`, which `npm test` runs first) as a real
// process: exit codes, standard input, and output that is complete when stdout is a pipe.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanup, DIST_CLI, ERRORS, FLAGGED, MISSING, parseJson, project, REPO_ROOT, spawnCli } from './helpers.ts';

after(cleanup);

describe('dist/cli.js', () => {
  before(() => {
    assert.ok(existsSync(DIST_CLI), `${DIST_CLI} is missing: run npm run build`);
  });

  it('prints the version and exits 0', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = spawnCli(project(), ['--version']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
  });

  it('exits 0 for warnings, 1 for errors', () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const warnings = spawnCli(dir, ['lint']);
    assert.equal(warnings.code, 0, warnings.stderr);
    assert.match(warnings.stdout, /13:5 {2}warning/);

    const errors = spawnCli(project({ 'errors.yaml': ERRORS }), ['lint', '--format', 'json']);
    assert.equal(errors.code, 1, errors.stderr);
    assert.equal(parseJson(errors.stdout)[0]!.errorCount, 3);
  });

  it('exits 1 for too many warnings', () => {
    const result = spawnCli(project({ 'app.yaml': FLAGGED }), ['lint', '--max-warnings', '0']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /too many warnings/);
  });

  it('exits 2 for an unknown option, a missing path and a bad config, with the reason on stderr', () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const unknown = spawnCli(dir, ['lint', '--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--frobnicate/);
    assert.equal(unknown.stdout, '');

    const missing = spawnCli(dir, ['lint', 'missing/']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or directory: missing\//);

    const config = spawnCli(project({ '.keepalive-lint.yaml': 'kubernetesVersion: 1.30\n', 'app.yaml': FLAGGED }), ['lint']);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /\.keepalive-lint\.yaml: key "kubernetesVersion"/);
  });

  it('reads --stdin from the pipe and reports it under --stdin-filename', () => {
    const dir = project({ 'k8s/.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: error\n' });
    const result = spawnCli(dir, ['lint', '--stdin', '--stdin-filename', 'k8s/app.yaml', '--format', 'json'], FLAGGED);
    assert.equal(result.code, 1, result.stderr);
    const [report] = parseJson(result.stdout);
    assert.equal(report!.filePath, join(dir, 'k8s', 'app.yaml'));
    assert.deepEqual(report!.messages.map((m) => [m.ruleId, m.severity, m.line, m.column]), [[MISSING, 2, 13, 5]]);
  });

  it('reads --stdin without a name, and an empty pipe', () => {
    const dir = project();
    const named = spawnCli(dir, ['lint', '--stdin', '--format', 'github'], FLAGGED);
    assert.equal(named.code, 0);
    assert.match(named.stdout, /^::warning file=<stdin>,line=13,col=5,endLine=13,endColumn=9,title=k8s\/keepalive-sysctl-missing::/);
    const empty = spawnCli(dir, ['lint', '--stdin', '--format', 'json'], '');
    assert.equal(empty.code, 0);
    assert.deepEqual(parseJson(empty.stdout)[0]!.messages, []);
  });

  it('--fix-dry-run on stdin prints the fixed text; --fix on stdin is a usage error', () => {
    const dir = project();
    const dry = spawnCli(dir, ['lint', '--stdin', '--fix-dry-run', '--format', 'json'], FLAGGED);
    assert.equal(dry.code, 0);
    assert.match(parseJson(dry.stdout)[0]!.output!, /sysctls:/);
    const fix = spawnCli(dir, ['lint', '--stdin', '--fix'], FLAGGED);
    assert.equal(fix.code, 2);
    assert.match(fix.stderr, /--fix cannot write to standard input/);
  });

  it('--fix writes the file', () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = spawnCli(dir, ['lint', '--fix']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(readFileSync(join(dir, 'app.yaml'), 'utf8'), /net\.ipv4\.tcp_keepalive_time/);
    assert.equal(spawnCli(dir, ['lint', '--max-warnings', '0']).code, 0);
  });

  it('writes the whole report to a pipe before exiting', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 150; i++) files[`app-${String(i).padStart(3, '0')}.yaml`] = FLAGGED;
    const result = spawnCli(project(files), ['lint', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const reports = parseJson(result.stdout);
    assert.equal(reports.length, 150);
    assert.ok(reports.every((r) => r.warningCount === 1));
  });

  it('prints the rule table and the help', () => {
    const dir = project();
    const rules = spawnCli(dir, ['rules']);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^id\s+default\s+fixable\s+description\n/);
    const help = spawnCli(dir, ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: keepalive-lint/);
  });
});
