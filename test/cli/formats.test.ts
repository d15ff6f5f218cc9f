import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { RULES } from '../../rules/registry.ts';
import {
  CLEAN,
  cleanup,
  cli,
  ERRORS,
  FLAGGED,
  INIT_UNPRIVILEGED,
  lineOf,
  MISSING,
  parseJson,
  project,
  REJECTED,
  TOO_LONG,
} from './helpers.ts';

after(cleanup);

const MALFORMED = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data:
  key: @oops
`;

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  id?: number;
  message?: { text: string };
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: {
    description: { text: string };
    artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[] }[];
  }[];
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; helpUri: string; shortDescription: { text: string }; fullDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: SarifLocation[] }[] }[];
    results: SarifResult[];
  }[];
}

describe('--format json', () => {
  it('has ESLint’s shape with 1-based positions, the fix, the suggestion and the related locations', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const { code, stdout, stderr } = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const results = parseJson(stdout);
    assert.equal(results.length, 1);
    const [file] = results;
    assert.equal(file!.filePath, join(dir, 'app.yaml'));
    assert.equal(file!.errorCount, 0);
    assert.equal(file!.warningCount, 1);
    assert.equal(file!.fatalErrorCount, 0);
    assert.equal(file!.fixableErrorCount, 0);
    assert.equal(file!.fixableWarningCount, 1);
    assert.equal('output' in file!, false, 'no output without --fix-dry-run');
    assert.equal(file!.messages.length, 1);
    const message = file!.messages[0]!;
    assert.equal(message.ruleId, MISSING);
    assert.equal(message.severity, 1);
    assert.equal(message.messageId, 'missing');
    // `    spec:` on line 13: the key spans columns 5 to 9 (end exclusive).
    assert.deepEqual([message.line, message.column, message.endLine, message.endColumn], [13, 5, 13, 9]);
    assert.equal(lineOf(FLAGGED, 13).slice(4, 8), 'spec');
    assert.match(message.message, /Deployment "web" calls Service api through kube-proxy/);
    assert.match(message.message, /T=900s/);
    assert.equal(message.fatal, undefined);

    // The preferred fix inserts the securityContext before `      containers:` (line 14).
    const at = FLAGGED.indexOf('      containers:');
    assert.deepEqual(message.fix?.range, [at, at]);
    assert.match(message.fix!.text, /^ {6}securityContext:\n {8}sysctls:\n {10}- name: net\.ipv4\.tcp_keepalive_time\n {12}value: "60"\n/);
    assert.equal(message.suggestions?.length, 1);
    assert.match(message.suggestions![0]!.desc, /init container/);
    assert.match(message.suggestions![0]!.fix.text, /privileged: true/);

    assert.deepEqual(message.relatedInformation, [
      // `              value: http://api:8080`: 14 spaces + `value: ` → column 22; the URL is 15 characters.
      { filePath: join(dir, 'app.yaml'), message: 'Evidence: env API_URL names api', line: 19, column: 22, endLine: 19, endColumn: 37 },
      // `  name: api` → column 9 to 12.
      { filePath: join(dir, 'app.yaml'), message: 'Service default/api (ClusterIP) is reached through kube-proxy', line: 24, column: 9, endLine: 24, endColumn: 12 },
    ]);
  });

  it('reports every error rule at the documented node, sorted by position', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'json', '--kubernetes-version', '1.28']);
    assert.equal(code, 1);
    const [file] = parseJson(stdout);
    assert.equal(file!.errorCount, 4);
    assert.equal(file!.warningCount, 0);
    assert.equal(file!.fixableErrorCount, 4);
    const positions = file!.messages.map((m) => [m.ruleId, m.severity, m.line, m.column, m.endLine, m.endColumn]);
    assert.equal(lineOf(ERRORS, 15).indexOf('1000') + 1, 66);
    assert.deepEqual(positions, [
      [REJECTED, 2, 10, 13, 10, 46], // the sysctl's `name: net.ipv4.tcp_keepalive_time` entry
      [TOO_LONG, 2, 11, 20, 11, 26], // the value `"7200"`
      [INIT_UNPRIVILEGED, 2, 13, 11, 13, 21], // the init container's `name: tune` entry
      [TOO_LONG, 2, 15, 66, 15, 70], // `1000` in the init container's command
    ]);
  });

  it('gives one fatal message with ruleId null and the position of a YAML syntax error', async () => {
    const dir = project({ 'broken.yaml': MALFORMED });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(code, 1);
    const [file] = parseJson(stdout);
    assert.equal(file!.errorCount, 1);
    assert.equal(file!.fatalErrorCount, 1);
    assert.equal(file!.messages.length, 1);
    const message = file!.messages[0]!;
    assert.equal(message.ruleId, null);
    assert.equal(message.fatal, true);
    assert.equal(message.severity, 2);
    assert.match(message.message, /YAML syntax error/);
    // `  key: @oops`: the `@` is the 8th character of line 6.
    assert.equal(message.line, 6);
    assert.equal(message.column, 8);
  });

  it('prints an empty array when nothing is linted', async () => {
    const dir = project({ 'notes.txt': 'hello' });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), []);
  });

  it('relates a finding to the Service in another linted file', async () => {
    const dir = project({
      'a-deploy.yaml': FLAGGED.slice(0, FLAGGED.indexOf('---\n')),
      'b-service.yaml': FLAGGED.slice(FLAGGED.indexOf('---\n') + 4),
    });
    const { stdout } = await cli(dir, ['lint', '--format', 'json']);
    const results = parseJson(stdout);
    assert.deepEqual(
      results.map((r) => r.filePath),
      [join(dir, 'a-deploy.yaml'), join(dir, 'b-service.yaml')],
    );
    const related = results[0]!.messages[0]!.relatedInformation!;
    assert.equal(related[1]!.filePath, join(dir, 'b-service.yaml'));
    // In b-service.yaml the Service name is on line 4.
    assert.deepEqual([related[1]!.line, related[1]!.column, related[1]!.endLine, related[1]!.endColumn], [4, 9, 4, 12]);
    assert.deepEqual(results[1]!.messages, []);
  });
});

describe('--format sarif', () => {
  it('is SARIF 2.1.0 with rule metadata, real regions, related locations and fixes', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'sarif']);
    assert.equal(code, 0);
    const log = JSON.parse(stdout) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'keepalive-lint');
    // Every rule of the registry, in its order; the four Kubernetes rules first.
    assert.deepEqual(
      run.tool.driver.rules.map((r) => r.id),
      RULES.map((r) => r.id),
    );
    assert.deepEqual(
      run.tool.driver.rules.slice(0, 4).map((r) => [r.id, r.defaultConfiguration.level]),
      [
        [MISSING, 'warning'],
        [TOO_LONG, 'error'],
        [INIT_UNPRIVILEGED, 'error'],
        [REJECTED, 'error'],
      ],
    );
    for (const rule of run.tool.driver.rules) {
      assert.equal(rule.helpUri, `https://github.com/keepalive-lint/keepalive-lint/blob/main/docs/rules/${rule.id}.md`);
      assert.ok(rule.shortDescription.text.length > 20, rule.id);
      assert.ok(rule.fullDescription.text.startsWith(rule.shortDescription.text), rule.id);
    }
    assert.equal(run.originalUriBaseIds['%SRCROOT%']!.uri, `file://${dir}/`);
    assert.deepEqual(run.invocations[0]!.toolExecutionNotifications, []);

    assert.equal(run.results.length, 1);
    const result = run.results[0]!;
    assert.equal(result.ruleId, MISSING);
    assert.equal(result.ruleIndex, 0);
    assert.equal(result.level, 'warning');
    assert.match(result.message.text, /Deployment "web" calls Service api/);
    assert.deepEqual(result.locations[0]!.physicalLocation, {
      artifactLocation: { uri: 'app.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 13, startColumn: 5, endLine: 13, endColumn: 9 },
    });
    assert.deepEqual(
      result.relatedLocations!.map((l) => [l.id, l.message!.text, l.physicalLocation.region]),
      [
        [1, 'Evidence: env API_URL names api', { startLine: 19, startColumn: 22, endLine: 19, endColumn: 37 }],
        [2, 'Service default/api (ClusterIP) is reached through kube-proxy', { startLine: 24, startColumn: 9, endLine: 24, endColumn: 12 }],
      ],
    );
    assert.equal(result.fixes!.length, 2);
    const [sysctls, init] = result.fixes!;
    assert.match(sysctls!.description.text, /securityContext/);
    assert.match(init!.description.text, /init container/);
    const change = sysctls!.artifactChanges[0]!;
    assert.equal(change.artifactLocation.uri, 'app.yaml');
    assert.equal(change.replacements.length, 1);
    // An insertion at the start of line 14: an empty deleted region.
    assert.deepEqual(change.replacements[0]!.deletedRegion, { startLine: 14, startColumn: 1, endLine: 14, endColumn: 1 });
    assert.match(change.replacements[0]!.insertedContent.text, /net\.ipv4\.tcp_keepalive_time/);
  });

  it('gives errors level error and each result the index of its rule', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'sarif']);
    assert.equal(code, 1);
    const run = (JSON.parse(stdout) as SarifLog).runs[0]!;
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.locations[0]!.physicalLocation.region.startLine]),
      [
        [TOO_LONG, 1, 'error', 11],
        [INIT_UNPRIVILEGED, 2, 'error', 13],
        [TOO_LONG, 1, 'error', 15],
      ],
    );
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
  });

  it('reports a file that does not parse as an error notification, not as a result', async () => {
    const dir = project({ 'broken.yaml': MALFORMED });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'sarif']);
    assert.equal(code, 1);
    const run = (JSON.parse(stdout) as SarifLog).runs[0]!;
    assert.deepEqual(run.results, []);
    const [notification] = run.invocations[0]!.toolExecutionNotifications;
    assert.equal(notification!.level, 'error');
    assert.match(notification!.message.text, /YAML syntax error/);
    assert.equal(notification!.locations[0]!.physicalLocation.artifactLocation.uri, 'broken.yaml');
    assert.equal(notification!.locations[0]!.physicalLocation.region.startLine, 6);
    assert.equal(notification!.locations[0]!.physicalLocation.region.startColumn, 8);
  });

  it('percent-encodes artifact URIs (#, %, spaces, <stdin>)', async () => {
    const dir = project({ 'odd #1 100%.yaml': FLAGGED });
    const { stdout } = await cli(dir, ['lint', '--format', 'sarif']);
    const uri = (JSON.parse(stdout) as SarifLog).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    assert.equal(uri, 'odd%20%231%20100%25.yaml');

    const piped = await cli(dir, ['lint', '--stdin', '--format', 'sarif'], { stdin: FLAGGED });
    const stdinUri = (JSON.parse(piped.stdout) as SarifLog).runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    assert.equal(stdinUri, '%3Cstdin%3E');
    assert.doesNotThrow(() => new URL(stdinUri, 'file:///repo/'));
  });
});

describe('--format github', () => {
  it('prints one workflow command per problem with the full region and the rule id as title', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'github']);
    assert.equal(code, 0);
    const json = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout);
    const message = json[0]!.messages[0]!.message;
    assert.equal(stdout, `::warning file=app.yaml,line=13,col=5,endLine=13,endColumn=9,title=k8s/keepalive-sysctl-missing::${message}\n`);
  });

  it('uses ::error for errors', async () => {
    const dir = project({ 'errors.yaml': ERRORS });
    const { code, stdout } = await cli(dir, ['lint', '--format', 'github']);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines[0]!.startsWith('::error file=errors.yaml,line=11,col=20,endLine=11,endColumn=26,title=k8s/keepalive-sysctl-too-long::'), lines[0]);
    assert.ok(lines[1]!.startsWith('::error file=errors.yaml,line=13,col=11,endLine=13,endColumn=21,title=k8s/sysctl-init-unprivileged::'), lines[1]);
  });

  it('escapes %, CR and LF in the message and also , and : in properties', async () => {
    // The env name ends up in the message: a % and a newline in it must not break the command.
    const text = FLAGGED.replace('- name: API_URL', '- name: "API%URL\\nX"');
    const dir = project({ 'we,ird:100%.yaml': text });
    const { stdout } = await cli(dir, ['lint', '--format', 'github']);
    assert.equal(stdout.split('\n').length, 2, 'one line and the final newline');
    const [command, data] = [stdout.slice(0, stdout.indexOf('::', 2)), stdout.slice(stdout.indexOf('::', 2) + 2)];
    assert.equal(command, '::warning file=we%2Cird%3A100%25.yaml,line=13,col=5,endLine=13,endColumn=9,title=k8s/keepalive-sysctl-missing');
    assert.match(data, /\(env API%25URL%0AX: api\)/);
    assert.ok(!/%(?![0-9A-F]{2})/.test(data), 'every % in the message is escaped');
    // `:` and `,` stay readable in the message part.
    assert.match(data, /^Deployment "web" calls Service api/);
  });

  it('reports a parse error with its position', async () => {
    const dir = project({ 'broken.yaml': MALFORMED });
    const { stdout } = await cli(dir, ['lint', '--format', 'github']);
    assert.match(stdout, /^::error file=broken\.yaml,line=6,col=8,endLine=\d+,endColumn=\d+,title=[^:]+::YAML syntax error: /);
  });
});

describe('--format stylish', () => {
  it('is the default: the file, line:column, severity, message and rule id, then a summary', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const { code, stdout } = await cli(dir, ['lint']);
    assert.equal(code, 0);
    const lines = stdout.split('\n');
    assert.equal(lines[0], '');
    assert.equal(lines[1], 'app.yaml');
    assert.match(lines[2]!, /^ {2}13:5 {2}warning {2}Deployment "web" calls Service api .* {2}k8s\/keepalive-sysctl-missing$/);
    assert.ok(stdout.includes('\u2716 1 problem (0 errors, 1 warning)\n'), stdout);
    assert.ok(stdout.includes('0 errors and 1 warning potentially fixable with the `--fix` option.'), stdout);
    assert.ok(!stdout.includes('\u001b['), 'no colour when stdout is not a TTY');
  });

  it('prints nothing for clean files', async () => {
    const dir = project({ 'clean.yaml': CLEAN });
    const { code, stdout, stderr } = await cli(dir, ['lint']);
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.equal(stderr, '');
  });

  it('shows a parse error without a rule id', async () => {
    const dir = project({ 'broken.yaml': MALFORMED });
    const { stdout } = await cli(dir, ['lint']);
    assert.match(stdout, /\n {2}6:8 {2}error {4}YAML syntax error: [^\n]*\S\n/);
    assert.ok(stdout.includes('\u2716 1 problem (1 error, 0 warnings)'));
  });

  it('colours only on a TTY, unless NO_COLOR, --no-color or --color say otherwise', async () => {
    const dir = project({ 'app.yaml': FLAGGED });
    const esc = '\u001b[';
    assert.ok((await cli(dir, ['lint'], { tty: true })).stdout.includes(esc));
    assert.ok(!(await cli(dir, ['lint'], { tty: true, env: { NO_COLOR: '1' } })).stdout.includes(esc));
    assert.ok(!(await cli(dir, ['lint', '--no-color'], { tty: true })).stdout.includes(esc));
    assert.ok((await cli(dir, ['lint', '--color'])).stdout.includes(esc));
    // Other formats never colour.
    assert.ok(!(await cli(dir, ['lint', '--format', 'json'], { tty: true })).stdout.includes(esc));
    assert.ok(!(await cli(dir, ['lint', '--format', 'github'], { tty: true })).stdout.includes(esc));
  });
});
