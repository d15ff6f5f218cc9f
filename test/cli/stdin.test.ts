import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanup, cli, DEPLOYMENT_ONLY, FLAGGED, MISSING, parseJson, project, SERVICE_ONLY } from './helpers.ts';

after(cleanup);

describe('--stdin', () => {
  it('lints standard input as <stdin> and does not walk the working folder', async () => {
    const dir = project({ 'other.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: FLAGGED });
    assert.equal(result.code, 0);
    assert.equal(result.stdinReads, 1);
    const reports = parseJson(result.stdout);
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.filePath, '<stdin>');
    assert.deepEqual(reports[0]!.messages.map((m) => [m.ruleId, m.line, m.column]), [[MISSING, 13, 5]]);
    assert.equal(reports[0]!.messages[0]!.relatedInformation![0]!.filePath, '<stdin>');
  });

  it('does not read standard input without --stdin', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint'], { stdin: 'never read' });
    assert.equal(result.stdinReads, 0);
  });

  it('--stdin-filename names the input and picks the config next to it', async () => {
    const dir = project({ 'k8s/.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: error\n' });
    const result = await cli(dir, ['lint', '--stdin', '--stdin-filename', 'k8s/rendered.yaml', '--format', 'json'], { stdin: FLAGGED });
    assert.equal(result.code, 1);
    const [report] = parseJson(result.stdout);
    assert.equal(report!.filePath, join(dir, 'k8s', 'rendered.yaml'));
    assert.equal(report!.messages[0]!.severity, 2);
    assert.equal(report!.messages[0]!.relatedInformation![0]!.filePath, join(dir, 'k8s', 'rendered.yaml'));

    const elsewhere = await cli(dir, ['lint', '--stdin', '--stdin-filename', 'other/rendered.yaml', '--format', 'json'], { stdin: FLAGGED });
    assert.equal(elsewhere.code, 0);
    assert.equal(parseJson(elsewhere.stdout)[0]!.messages[0]!.severity, 1);
  });

  it('uses the config of the working folder without --stdin-filename', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'middleboxes: [azure-lb]\n' });
    const result = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: FLAGGED });
    assert.match(parseJson(result.stdout)[0]!.messages[0]!.message, /T=240s/);
  });

  it('shows the --stdin-filename in stylish and github output', async () => {
    const dir = project();
    const stylish = await cli(dir, ['lint', '--stdin', '--stdin-filename', 'k8s/app.yaml'], { stdin: FLAGGED });
    assert.match(stylish.stdout, /^\nk8s\/app\.yaml\n {2}13:5 {2}warning/);
    const github = await cli(dir, ['lint', '--stdin', '--format', 'github'], { stdin: FLAGGED });
    assert.match(github.stdout, /^::warning file=<stdin>,line=13,col=5,/);
  });

  it('lints multi-document output such as helm template’s as one set', async () => {
    const rendered = `---\n# Source: app/templates/deployment.yaml\n${DEPLOYMENT_ONLY}---\n# Source: app/templates/service.yaml\n${SERVICE_ONLY}`;
    const dir = project();
    const result = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: rendered });
    const [message] = parseJson(result.stdout)[0]!.messages;
    assert.equal(message!.ruleId, MISSING);
    // Two lines (`---` and the comment) come before the Deployment.
    assert.deepEqual([message!.line, message!.column], [15, 5]);
  });

  it('gives a fatal message for input that does not parse', async () => {
    const dir = project();
    const result = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: 'a: [1, 2\nb: 3\n' });
    assert.equal(result.code, 1);
    const [message] = parseJson(result.stdout)[0]!.messages;
    assert.equal(message!.fatal, true);
    assert.equal(message!.ruleId, null);
  });

  it('accepts empty input and a byte-order mark', async () => {
    const dir = project();
    const empty = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: '' });
    assert.equal(empty.code, 0);
    assert.deepEqual(parseJson(empty.stdout)[0]!.messages, []);
    const bom = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: `\ufeff${FLAGGED}` });
    assert.deepEqual(parseJson(bom.stdout)[0]!.messages.map((m) => [m.line, m.column]), [[13, 5]]);
  });
});
