import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RULES } from '../../rules/registry.ts';
import { CLEAN, cleanup, cli, ERRORS, FLAGGED, INIT_UNPRIVILEGED, MISSING, parseJson, project, REJECTED, REPO_ROOT, TOO_LONG } from './helpers.ts';

after(cleanup);

/** Two workloads that each get one k8s/keepalive-sysctl-missing warning. */
const TWO_WARNINGS = FLAGGED + '---\n' + FLAGGED.slice(0, FLAGGED.indexOf('---\n')).replace(/web/g, 'shop');

describe('exit codes', () => {
  it('0 for clean files', async () => {
    const dir = project({ 'clean.yaml': CLEAN });
    assert.equal((await cli(dir, ['lint'])).code, 0);
  });

  it('0 for warnings only', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /1 warning/);
  });

  it('1 for errors', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /3 problems \(3 errors, 0 warnings\)/);
  });

  it('1 for a file that does not parse', async () => {
    const dir = project({ 'broken.yaml': 'a: [1, 2\nb: 3\n' });
    assert.equal((await cli(dir, ['lint'])).code, 1);
  });

  it('1 when a warning is raised to an error with --rule', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--format', 'json', '--rule', `${MISSING}=error`]);
    assert.equal(result.code, 1);
    const [file] = parseJson(result.stdout);
    assert.equal(file!.messages[0]!.severity, 2);
    assert.equal(file!.errorCount, 1);
    assert.equal(file!.fixableErrorCount, 1);
  });

  it('0 when the only error rule is turned off with --rule', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint', '--format', 'json', '--rule', `${TOO_LONG}=off`, '--rule', `${INIT_UNPRIVILEGED}=warn`]);
    assert.equal(result.code, 0);
    const [file] = parseJson(result.stdout);
    assert.deepEqual(
      file!.messages.map((m) => [m.ruleId, m.severity]),
      [[INIT_UNPRIVILEGED, 1]],
    );
  });

  for (const [name, argv, pattern] of [
    ['an unknown option', ['lint', '--bogus'], /Unknown option '--bogus'/],
    ['an unknown command', ['lnt'], /unknown command "lnt"/],
    ['a missing path', ['lint', 'nope.yaml'], /no such file or directory: nope\.yaml/],
    ['a missing path among existing ones', ['lint', 'app.yaml', 'missing-dir'], /no such file or directory: missing-dir/],
    ['an unknown format', ['lint', '--format', 'xml'], /--format must be one of stylish, json, sarif, github, got "xml"/],
    ['a bad --max-warnings', ['lint', '--max-warnings', 'many'], /--max-warnings must be a whole number/],
    ['a fractional --max-warnings', ['lint', '--max-warnings', '1.5'], /--max-warnings must be a whole number/],
    ['--fix with --stdin', ['lint', '--stdin', '--fix'], /--fix cannot write to standard input/],
    ['paths with --stdin', ['lint', '--stdin', 'app.yaml'], /--stdin takes no paths/],
    ['a zero --idle-timeout', ['lint', '--idle-timeout', '0'], /--idle-timeout must be a whole number of seconds >= 1, got "0"/],
    ['a non-numeric --idle-timeout', ['lint', '--idle-timeout', '15m'], /--idle-timeout must be a whole number/],
    ['an unknown --middlebox', ['lint', '--middlebox', 'f5'], /--middlebox "f5" is not a known profile; allowed: ipvs, iptables/],
    ['a bad --kubernetes-version', ['lint', '--kubernetes-version', 'latest'], /--kubernetes-version must look like 1\.29, got "latest"/],
    ['--rule without =', ['lint', '--rule', MISSING], /--rule takes ID=SEVERITY/],
    ['--rule with an unknown id', ['lint', '--rule', 'k8s/nope=warn'], /unknown rule id "k8s\/nope"; allowed: k8s\/keepalive-sysctl-missing/],
    ['--rule with a bad severity', ['lint', '--rule', `${MISSING}=warning`], /severity must be one of off, warn, error, got "warning"/],
    ['an option missing its value', ['lint', '--format'], /argument missing/],
  ] as const) {
    it(`2 for ${name}, with the reason on stderr`, async () => {
      const dir = project({ 'app.yaml': FLAGGED });
      const result = await cli(dir, argv);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, pattern);
      assert.ok(result.stderr.startsWith('keepalive-lint: '), result.stderr);
      assert.equal(result.stdout, '', 'no report on a usage error');
      assert.ok(!result.stderr.includes('internal error'), result.stderr);
    });
  }

  it('2 when the report cannot be written', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'file.txt': 'not a folder' });
    const result = await cli(dir, ['lint', '--output-file', 'file.txt/report.json']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^keepalive-lint: .*file\.txt\/report\.json/);
  });
});

describe('--max-warnings', () => {
  it('exits 1 with a message when there are more warnings than allowed', async () => {
    const dir = project({ 'app.yaml': TWO_WARNINGS });
    const result = await cli(dir, ['lint', '--max-warnings', '1']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /2 problems \(0 errors, 2 warnings\)/);
    assert.equal(result.stderr, 'keepalive-lint found too many warnings (maximum: 1).\n');
  });

  it('exits 0 when the warnings are within the limit', async () => {
    const dir = project({ 'app.yaml': TWO_WARNINGS });
    assert.equal((await cli(dir, ['lint', '--max-warnings', '2'])).code, 0);
  });

  it('exits 1 at --max-warnings 0 with one warning, 0 with none', async () => {
    assert.equal((await cli(project({ 'app.yaml': FLAGGED }), ['lint', '--max-warnings', '0'])).code, 1);
    assert.equal((await cli(project({ 'clean.yaml': CLEAN }), ['lint', '--max-warnings', '0'])).code, 0);
  });

  it('still counts warnings that --quiet hides, as ESLint does', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--quiet', '--max-warnings', '0']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /too many warnings \(maximum: 0\)/);
  });
});

describe('--quiet', () => {
  it('reports errors only', async () => {
    const dir = project({ 'app.yaml': FLAGGED, 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint', '--quiet', '--format', 'json']);
    assert.equal(result.code, 1);
    const [app, errors] = parseJson(result.stdout);
    assert.deepEqual(app!.messages, []);
    assert.equal(app!.warningCount, 0);
    assert.equal(errors!.errorCount, 3);
    assert.ok(errors!.messages.every((m) => m.severity === 2));
  });

  it('exits 0 and prints nothing for warnings only', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '--quiet']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
  });
});

describe('--output-file', () => {
  it('writes the report to the file instead of stdout and keeps the exit code', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const result = await cli(dir, ['lint', '--format', 'json', '--output-file', 'out/report.json']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const report = parseJson(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
    assert.equal(report[0]!.errorCount, 3);
  });

  it('accepts -o and writes a stylish report without colour', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['lint', '-o', 'report.txt'], { tty: true });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '');
    const text = readFileSync(join(dir, 'report.txt'), 'utf8');
    assert.match(text, /13:5 {2}warning/);
    assert.ok(!text.includes('\u001b['));
  });

  it('writes a SARIF log', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    assert.equal((await cli(dir, ['lint', '--format', 'sarif', '-o', 'kl.sarif'])).code, 0);
    assert.equal((JSON.parse(readFileSync(join(dir, 'kl.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
  });
});

describe('paths', () => {
  it('lints the working folder by default, and accepts paths without the lint command', async () => {
    const dir = project({ 'a/app.yaml': FLAGGED, 'b/clean.yml': CLEAN });
    const all = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout).map((r) => r.filePath);
    assert.deepEqual(all, [join(dir, 'a', 'app.yaml'), join(dir, 'b', 'clean.yml')]);
    const dot = parseJson((await cli(dir, ['lint', '.', '--format', 'json'])).stdout).map((r) => r.filePath);
    assert.deepEqual(dot, all);
    const bare = parseJson((await cli(dir, ['b', '--format', 'json'])).stdout).map((r) => r.filePath);
    assert.deepEqual(bare, [join(dir, 'b', 'clean.yml')]);
  });

  it('lints a file given twice once', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const results = parseJson((await cli(dir, ['lint', 'app.yaml', './app.yaml', '.', '--format', 'json'])).stdout);
    assert.equal(results.length, 1);
  });

  it('skips a named non-YAML file with a note', async () => {
    const dir = project({ 'notes.txt': 'kind: Deployment\n' });
    const result = await cli(dir, ['lint', 'notes.txt', '--format', 'json']);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.match(result.stderr, /skipped notes\.txt: not a YAML, TypeScript or JavaScript file/);
  });
});

describe('rules, --print-config, --version, --help', () => {
  it('rules prints the table of ids, default severities, fixability and descriptions', async () => {
    const dir = project();
    const result = await cli(dir, ['rules']);
    assert.equal(result.code, 0);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^id\s+default\s+fixable\s+description$/);
    assert.match(lines[1]!, /^-+\s+-+\s+-+\s+-+$/);
    assert.equal(lines.length, RULES.length + 2);
    assert.deepEqual(
      lines.slice(2).map((line) => line.split(/\s+/)[0]),
      RULES.map((rule) => rule.id),
    );
    assert.match(lines[2]!, /^k8s\/keepalive-sysctl-missing\s+warn\s+yes\s+A workload that calls a ClusterIP Service/);
    assert.match(lines[3]!, /^k8s\/keepalive-sysctl-too-long\s+error\s+yes\s+\S/);
    assert.match(lines[4]!, /^k8s\/sysctl-init-unprivileged\s+error\s+yes\s+\S/);
    assert.match(lines[5]!, /^k8s\/sysctl-rejected\s+error\s+yes\s+\S/);
    // Columns line up: every description starts at the same offset.
    const column = lines[0]!.indexOf('description');
    for (const line of lines.slice(2)) {
      assert.equal(line[column - 1], ' ', line);
      assert.notEqual(line[column], ' ', line);
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await cli(project(), [flag]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  it('--help prints the usage and every option', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await cli(project(), [flag]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: keepalive-lint lint \[paths\.\.\.\] \[options\]/);
      for (const option of ['--format', '--output-file', '--fix', '--fix-dry-run', '--max-warnings', '--quiet', '--config', '--stdin', '--stdin-filename', '--idle-timeout', '--middlebox', '--kubernetes-version', '--rule', '--print-config', '--version', '--help']) {
        assert.ok(result.stdout.includes(option), option);
      }
      assert.match(result.stdout, /Exit codes: 0 .* 1 .* 2 /);
    }
  });

  it('--print-config prints the defaults when no config file applies', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const result = await cli(dir, ['--print-config', 'app.yaml']);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), {
      file: null,
      idleTimeoutSeconds: 900,
      idleTimeoutSource: 'T=900s (the default "ipvs" profile: kube-proxy IPVS mode, kernel default for established TCP)',
      kubernetesVersion: '1.29',
      keepalive: { time: 60, intvl: 10, probes: 3 },
      initContainerImage: 'busybox:1.36',
      serviceEvidence: 'evidence',
      nodeVersion: null,
      ignore: [],
      rules: Object.fromEntries(RULES.map((rule) => [rule.id, rule.defaultSeverity])),
    });
    assert.deepEqual(
      Object.entries((JSON.parse(result.stdout) as { rules: Record<string, string> }).rules).slice(0, 4),
      [
        [MISSING, 'warn'],
        [TOO_LONG, 'error'],
        [INIT_UNPRIVILEGED, 'error'],
        [REJECTED, 'error'],
      ],
    );
  });

  it('--print-config applies flags and the nearest config file', async () => {
    const dir = project({
      'k8s/.keepalive-lint.yaml': 'middleboxes: [aws-nlb]\nrules:\n  k8s/keepalive-sysctl-missing: error\n',
      'k8s/app.yaml': FLAGGED,
    });
    const fromFile = JSON.parse((await cli(dir, ['--print-config', 'k8s/app.yaml'])).stdout) as Record<string, unknown>;
    assert.equal(fromFile['file'], join('k8s', '.keepalive-lint.yaml'));
    assert.equal(fromFile['idleTimeoutSeconds'], 350);
    assert.match(String(fromFile['idleTimeoutSource']), /aws-nlb/);
    assert.equal((fromFile['rules'] as Record<string, string>)[MISSING], 'error');

    const flagged = JSON.parse((await cli(dir, ['--print-config', 'k8s/app.yaml', '--idle-timeout', '240', '--kubernetes-version', '1.28', '--rule', `${MISSING}=off`])).stdout) as Record<string, unknown>;
    assert.equal(flagged['idleTimeoutSeconds'], 240);
    assert.equal(flagged['idleTimeoutSource'], 'T=240s (--idle-timeout)');
    assert.equal(flagged['kubernetesVersion'], '1.28');
    assert.equal((flagged['rules'] as Record<string, string>)[MISSING], 'off');
    // A file that does not exist yet still gets its configuration.
    assert.equal((await cli(dir, ['--print-config', 'k8s/new/thing.yaml'])).code, 0);
    assert.ok(!existsSync(join(dir, 'k8s', 'new')));
  });
});
