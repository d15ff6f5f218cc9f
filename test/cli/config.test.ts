import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CLEAN, cleanup, cli, FLAGGED, MISSING, parseJson, project, REJECTED, SYSCTLS_SET, TOO_LONG } from './helpers.ts';

after(cleanup);

/** Rule id and severity of every message, per file path relative to `dir`. */
async function findings(dir: string, argv: readonly string[] = [], cwd = dir): Promise<Record<string, [string | null, number][]>> {
  const result = await cli(cwd, ['lint', '--format', 'json', ...argv]);
  assert.ok(result.code === 0 || result.code === 1, result.stderr);
  const out: Record<string, [string | null, number][]> = {};
  for (const file of parseJson(result.stdout)) out[file.filePath.slice(dir.length + 1)] = file.messages.map((m) => [m.ruleId, m.severity]);
  return out;
}

function firstMessage(stdout: string): string {
  return parseJson(stdout)[0]!.messages[0]!.message;
}

describe('config file lookup', () => {
  it('uses the nearest .keepalive-lint file above each linted file', async () => {
    const dir = project({
      '.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: error\n',
      'app.yaml': FLAGGED,
      'team/.keepalive-lint.yml': 'rules:\n  k8s/keepalive-sysctl-missing: "off"\n',
      'team/app.yaml': FLAGGED,
      'team/deeper/app.yaml': FLAGGED,
      'other/app.yaml': FLAGGED,
    });
    assert.deepEqual(await findings(dir), {
      'app.yaml': [[MISSING, 2]],
      'other/app.yaml': [[MISSING, 2]],
      'team/app.yaml': [],
      'team/deeper/app.yaml': [],
    });
  });

  it('does not merge a farther config into the nearest one', async () => {
    const dir = project({
      '.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: error\n',
      'team/.keepalive-lint.yaml': 'middleboxes: [aws-nlb]\n',
      'team/app.yaml': FLAGGED,
    });
    const result = await cli(dir, ['lint', '--format', 'json']);
    const message = parseJson(result.stdout)[0]!.messages[0]!;
    assert.equal(message.severity, 1, 'the default severity: the root file does not apply');
    assert.match(message.message, /T=350s \(middlebox "aws-nlb" in team\/\.keepalive-lint\.yaml\)/);
  });

  it('finds a config file above the working folder', async () => {
    const dir = project({
      '.keepalive-lint.json': JSON.stringify({ rules: { [MISSING]: 'error' } }),
      'k8s/app.yaml': FLAGGED,
    });
    assert.deepEqual(await findings(dir, [], join(dir, 'k8s')), { 'k8s/app.yaml': [[MISSING, 2]] });
  });

  it('reads .json config files', async () => {
    const dir = project({
      '.keepalive-lint.json': JSON.stringify({ idleTimeoutSeconds: 600, kubernetesVersion: '1.28' }),
      'app.yaml': FLAGGED,
      'sysctls.yaml': SYSCTLS_SET,
    });
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 1);
    const [app, sysctls] = parseJson(result.stdout);
    assert.match(app!.messages[0]!.message, /T=600s \(idleTimeoutSeconds in \.keepalive-lint\.json\)/);
    assert.deepEqual(sysctls!.messages.map((m) => m.ruleId), [REJECTED]);
  });

  it('never lints the config files themselves', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'ignore: []\n', 'sub/.keepalive-lint.yml': 'ignore: []\n', 'app.yaml': CLEAN });
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.deepEqual(
      parseJson(result.stdout).map((r) => r.filePath),
      [join(dir, 'app.yaml')],
    );
  });

  it('--config uses one file for everything, instead of the lookup', async () => {
    const dir = project({
      'conf/strict.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: error\n',
      'team/.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: "off"\n',
      'team/app.yaml': FLAGGED,
      'app.yaml': FLAGGED,
    });
    assert.deepEqual(await findings(dir, ['--config', 'conf/strict.yaml']), {
      'app.yaml': [[MISSING, 2]],
      'team/app.yaml': [[MISSING, 2]],
    });
    assert.deepEqual(await findings(dir, ['-c', 'conf/strict.yaml', 'team']), { 'team/app.yaml': [[MISSING, 2]] });
  });

  it('--config with a missing file is exit 2 naming it', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--config', 'nope.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /nope\.yaml: cannot read config file/);
    assert.equal(result.stdout, '');
  });
});

describe('config errors', () => {
  const cases: readonly (readonly [string, string, string, readonly RegExp[]])[] = [
    ['an unknown key', '.keepalive-lint.yaml', 'idleTimeout: 600\n', [/key "idleTimeout"/, /allowed keys: idleTimeoutSeconds, middleboxes, kubernetesVersion, keepalive, initContainerImage, rules, ignore, serviceEvidence/]],
    ['an unknown nested key', '.keepalive-lint.yaml', 'keepalive:\n  interval: 10\n', [/key "keepalive\.interval"/, /allowed keys: time, intvl, probes/]],
    ['a bad enum value', '.keepalive-lint.yaml', 'serviceEvidence: sometimes\n', [/key "serviceEvidence"/, /"sometimes"/, /allowed: evidence, always/]],
    ['an unknown middlebox', '.keepalive-lint.yml', 'middleboxes: [f5]\n', [/key "middleboxes\.0"/, /"f5"/, /allowed: ipvs, iptables, cilium/]],
    ['kubernetesVersion: 1.30 unquoted', '.keepalive-lint.yaml', 'kubernetesVersion: 1.30\n', [/key "kubernetesVersion"/, /quoted string such as "1\.30"/]],
    ['a malformed kubernetesVersion', '.keepalive-lint.yaml', 'kubernetesVersion: "one.thirty"\n', [/key "kubernetesVersion"/, /"1\.29"/]],
    ['a bad rule severity', '.keepalive-lint.yaml', 'rules:\n  k8s/keepalive-sysctl-missing: warning\n', [/key "rules\.k8s\/keepalive-sysctl-missing"/, /allowed: off, warn, error/]],
    ['an unknown rule id', '.keepalive-lint.yaml', 'rules:\n  k8s/keepalive: warn\n', [/unknown rule id "k8s\/keepalive"/, /allowed: k8s\/keepalive-sysctl-missing/]],
    ['a negative timeout', '.keepalive-lint.json', '{"idleTimeoutSeconds": -5}', [/key "idleTimeoutSeconds"/, />= 1/]],
    ['keepalive.time not below T', '.keepalive-lint.yaml', 'idleTimeoutSeconds: 60\n', [/keepalive\.time 60s must be below the idle timeout T=60s/]],
    ['a list at the top level', '.keepalive-lint.yaml', '- ipvs\n', [/top level must be object/]],
    ['invalid YAML', '.keepalive-lint.yaml', 'rules: [\n', [/not valid YAML/]],
    ['invalid JSON', '.keepalive-lint.json', '{"rules": ', [/not valid JSON/]],
  ];
  for (const [name, file, text, patterns] of cases) {
    it(`${name} is exit 2 naming the file and the key`, async () => {
      const dir = project({ [`k8s/${file}`]: text, 'k8s/app.yaml': FLAGGED });
      const result = await cli(dir, ['lint']);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.ok(result.stderr.startsWith('keepalive-lint: configuration error:\n'), result.stderr);
      assert.ok(result.stderr.includes(`k8s/${file}: `), result.stderr);
      assert.ok(!result.stderr.includes('internal error'), result.stderr);
      for (const pattern of patterns) assert.match(result.stderr, pattern);
    });
  }

  it('lists every problem of a file at once', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'foo: 1\nserviceEvidence: x\n', 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown key "foo"/);
    assert.match(result.stderr, /key "serviceEvidence" has value "x"/);
  });

  it('--config names the file it was given', async () => {
    const dir = project({ 'conf/kl.yaml': 'kubernetesVersion: 1.30\n', 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--config', 'conf/kl.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /conf\/kl\.yaml: key "kubernetesVersion" must be a quoted string/);
  });

  it('--print-config reports a bad config file too', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'nope: true\n' });
    const result = await cli(dir, ['--print-config', 'app.yaml']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.keepalive-lint\.yaml: unknown key "nope"/);
  });
});

describe('flags override the config file', () => {
  it('--idle-timeout replaces the file’s middleboxes', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'middleboxes: [azure-lb]\n', 'app.yaml': FLAGGED });
    assert.match(firstMessage((await cli(dir, ['lint', '--format', 'json'])).stdout), /T=240s \(middlebox "azure-lb" in \.keepalive-lint\.yaml\)/);
    assert.match(firstMessage((await cli(dir, ['lint', '--format', 'json', '--idle-timeout', '1200'])).stdout), /T=1200s \(--idle-timeout\)/);
  });

  it('--middlebox is repeatable and the smallest timeout wins', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'idleTimeoutSeconds: 100\n', 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--format', 'json', '--middlebox', 'iptables', '--middlebox', 'aws-nlb', '--middlebox', 'gcp-cloud-nat']);
    assert.match(firstMessage(result.stdout), /T=350s \(--middlebox aws-nlb\)/);
  });

  it('--kubernetes-version overrides the file’s kubernetesVersion', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'kubernetesVersion: "1.30"\n', 'app.yaml': SYSCTLS_SET });
    assert.deepEqual(await findings(dir), { 'app.yaml': [] });
    const old = await findings(dir, ['--kubernetes-version', '1.28']);
    assert.deepEqual(old, { 'app.yaml': [[REJECTED, 2]] });
    // And the other way round.
    const dir2 = project({ '.keepalive-lint.yaml': 'kubernetesVersion: "1.27"\n', 'app.yaml': SYSCTLS_SET });
    assert.deepEqual(await findings(dir2), { 'app.yaml': [[REJECTED, 2]] });
    assert.deepEqual(await findings(dir2, ['--kubernetes-version', 'v1.31.2']), { 'app.yaml': [] });
  });

  it('--rule overrides the file’s rules, one rule at a time', async () => {
    const dir = project({
      '.keepalive-lint.yaml': 'rules:\n  k8s/keepalive-sysctl-missing: "off"\n  k8s/keepalive-sysctl-too-long: warn\n',
      'app.yaml': FLAGGED,
      'long.yaml': SYSCTLS_SET.replace('value: "60"', 'value: "7200"'),
    });
    assert.deepEqual(await findings(dir), { 'app.yaml': [], 'long.yaml': [[TOO_LONG, 1]] });
    assert.deepEqual(await findings(dir, ['--rule', `${MISSING}=error`]), { 'app.yaml': [[MISSING, 2]], 'long.yaml': [[TOO_LONG, 1]] });
  });

  it('a flag that makes keepalive.time reach T is a configuration error', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--idle-timeout', '45']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /keepalive\.time 60s must be below the idle timeout T=45s/);
  });

  it('keepalive values from the file are what --fix writes', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'idleTimeoutSeconds: 240\nkeepalive: { time: 120, intvl: 15, probes: 4 }\n', 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--fix-dry-run', '--format', 'json']);
    const output = parseJson(result.stdout)[0]!.output!;
    assert.match(output, /- name: net\.ipv4\.tcp_keepalive_time\n {12}value: "120"\n/);
    assert.match(output, /- name: net\.ipv4\.tcp_keepalive_intvl\n {12}value: "15"\n/);
    assert.match(output, /- name: net\.ipv4\.tcp_keepalive_probes\n {12}value: "4"\n/);
  });

  it('serviceEvidence: always flags a workload that calls nothing', async () => {
    const dir = project({ '.keepalive-lint.yaml': 'serviceEvidence: always\n', 'clean.yaml': CLEAN });
    const result = await cli(dir, ['lint', '--format', 'json']);
    const [message] = parseJson(result.stdout)[0]!.messages;
    assert.equal(message!.ruleId, MISSING);
    assert.equal(message!.messageId, 'missingAlways');
  });
});

describe('config ignore globs', () => {
  it('are relative to the config file that holds them', async () => {
    const dir = project({
      'team/.keepalive-lint.yaml': 'ignore: ["legacy/**", "*.generated.yaml"]\n',
      'team/legacy/app.yaml': FLAGGED,
      'team/legacy/deep/app.yaml': FLAGGED,
      'team/x.generated.yaml': FLAGGED,
      'team/app.yaml': FLAGGED,
      'legacy/app.yaml': FLAGGED,
    });
    assert.deepEqual(Object.keys(await findings(dir)), ['legacy/app.yaml', 'team/app.yaml']);
    // The same from inside the folder, and with the ignored file named explicitly.
    assert.deepEqual(Object.keys(await findings(dir, ['.', 'legacy/app.yaml'], join(dir, 'team'))), ['team/app.yaml']);
  });

  it('with --config, are relative to that file', async () => {
    const dir = project({
      'conf/kl.yaml': 'ignore: ["../vendor/**"]\n',
      'vendor/app.yaml': FLAGGED,
      'app.yaml': FLAGGED,
    });
    assert.deepEqual(Object.keys(await findings(dir, ['--config', 'conf/kl.yaml'])), ['app.yaml']);
  });
});
