import assert from 'node:assert/strict';
import { closeSync, mkdirSync, openSync, readFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_FILE_BYTES } from '../../cli/run.ts';
import { CLEAN, cleanup, cli, FLAGGED, MISSING, parseJson, project } from './helpers.ts';

after(cleanup);

async function linted(dir: string, argv: readonly string[] = [], cwd = dir): Promise<{ files: string[]; stderr: string; code: number }> {
  const result = await cli(cwd, ['lint', '--format', 'json', ...argv]);
  return { files: parseJson(result.stdout).map((r) => r.filePath.slice(dir.length + 1)), stderr: result.stderr, code: result.code };
}

const HELM_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: API_URL
              value: http://api:8080
`;

describe('walking folders', () => {
  it('lints .yaml and .yml files only, sorted, in every subfolder', async () => {
    const dir = project({ 'b.yml': CLEAN, 'a.yaml': CLEAN, 'sub/c.yaml': CLEAN, 'sub/d.json': '{}', 'README.md': '# hi', 'e.YAML.txt': 'x' });
    const { files, stderr } = await linted(dir);
    assert.deepEqual(files, ['a.yaml', 'b.yml', 'sub/c.yaml']);
    assert.equal(stderr, '', 'other files are passed over silently');
  });

  it('skips node_modules and .git folders anywhere', async () => {
    const dir = project({
      'app.yaml': CLEAN,
      'node_modules/pkg/chart.yaml': FLAGGED,
      'sub/node_modules/x.yaml': FLAGGED,
      '.git/config.yaml': FLAGGED,
      'sub/.git/x.yaml': FLAGGED,
    });
    assert.deepEqual((await linted(dir)).files, ['app.yaml']);
  });

  it('skips a file named inside node_modules with a note', async () => {
    const dir = project({ 'node_modules/pkg/deep/x.yaml': FLAGGED, 'app.yaml': CLEAN });
    const { files, stderr, code } = await linted(dir, ['node_modules/pkg/deep/x.yaml', 'app.yaml']);
    assert.equal(code, 0);
    assert.deepEqual(files, ['app.yaml']);
    assert.match(stderr, /skipped node_modules\/pkg\/deep\/x\.yaml: inside node_modules/);
  });

  it('skips .gitignored files and folders, with negations and nested .gitignore files', async () => {
    const dir = project({
      '.gitignore': 'generated/\n*.gen.yaml\n!keep.gen.yaml\n/rooted.yaml\n',
      'app.yaml': CLEAN,
      'generated/app.yaml': FLAGGED,
      'sub/generated/app.yaml': FLAGGED,
      'x.gen.yaml': FLAGGED,
      'keep.gen.yaml': CLEAN,
      'rooted.yaml': FLAGGED,
      'sub/rooted.yaml': CLEAN,
      'sub/.gitignore': 'local.yaml\n',
      'sub/local.yaml': FLAGGED,
      'local.yaml': CLEAN,
    });
    assert.deepEqual((await linted(dir)).files, ['app.yaml', 'keep.gen.yaml', 'local.yaml', 'sub/rooted.yaml']);
  });

  it('applies the repository’s .gitignore files when linting a subfolder', async () => {
    const dir = project({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'rendered/\n',
      'k8s/.gitignore': '*.local.yaml\n',
      'k8s/app.yaml': CLEAN,
      'k8s/rendered/app.yaml': FLAGGED,
      'k8s/dev.local.yaml': FLAGGED,
      'k8s/team/x.local.yaml': FLAGGED,
    });
    assert.deepEqual((await linted(dir, ['.'], join(dir, 'k8s', 'team'))).files, []);
    assert.deepEqual((await linted(dir, ['k8s'])).files, ['k8s/app.yaml']);
    assert.deepEqual((await linted(dir, ['.'], join(dir, 'k8s'))).files, ['k8s/app.yaml']);
  });
});

describe('Helm charts and templates', () => {
  it('skips the templates of a chart with one note per chart, and lints the rest of the chart', async () => {
    const dir = project({
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'charts/app/values.yaml': 'replicaCount: 1\n',
      'charts/app/templates/deployment.yaml': HELM_DEPLOYMENT,
      'charts/app/templates/plain.yaml': FLAGGED,
      'charts/app/templates/sub/cm.yml': 'kind: ConfigMap\n',
      'charts/app/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}',
      'app.yaml': FLAGGED,
    });
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(
      parseJson(result.stdout).map((r) => r.filePath.slice(dir.length + 1)),
      ['app.yaml', 'charts/app/Chart.yaml', 'charts/app/values.yaml'],
    );
    const notes = result.stderr.trimEnd().split('\n');
    assert.equal(notes.length, 1, result.stderr);
    assert.match(notes[0]!, /^keepalive-lint: skipped 3 Helm template files in charts\/app\/templates; /);
    assert.match(notes[0]!, /helm template charts\/app \| keepalive-lint lint --stdin$/);

    const sarif = JSON.parse((await cli(dir, ['lint', '--format', 'sarif'])).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.deepEqual(
      sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri),
      ['app.yaml'],
    );
  });

  it('skips a chart template named explicitly, with the note', async () => {
    const dir = project({
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'chart/templates/plain.yaml': FLAGGED,
    });
    const result = await cli(dir, ['lint', 'chart/templates/plain.yaml', '--format', 'json']);
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.match(result.stderr, /skipped 1 Helm template file in chart\/templates; .*helm template chart \| keepalive-lint lint --stdin/);
  });

  it('lints a templates folder that is not next to a Chart.yaml', async () => {
    const dir = project({ 'templates/app.yaml': FLAGGED });
    const { files, stderr } = await linted(dir);
    assert.deepEqual(files, ['templates/app.yaml']);
    assert.equal(stderr, '');
  });

  it('skips a standalone YAML file with template structure, with a note, and lints plain {{ in strings', async () => {
    const dir = project({
      'tpl.yaml': HELM_DEPLOYMENT,
      'broken-tpl.yaml': 'kind: ConfigMap\n{{- if .Values.enabled }}\ndata:\n  a: b\n{{- end }}\n',
      'grafana.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: dashboards
data:
  legend: "{{ instance }} {{ job }}"
  alert: |
    {{ range .Alerts }}{{ .Labels.alertname }}{{ end }}
`,
      'app.yaml': FLAGGED,
    });
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(
      parseJson(result.stdout).map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId)]),
      [
        ['app.yaml', [MISSING]],
        ['grafana.yaml', []],
      ],
    );
    assert.match(result.stderr, /^keepalive-lint: skipped broken-tpl\.yaml: Go\/Helm template syntax; lint the rendered manifests: helm template … \| keepalive-lint lint --stdin$/m);
    assert.match(result.stderr, /^keepalive-lint: skipped tpl\.yaml: Go\/Helm template syntax; .*--stdin$/m);
  });

  it('skips templated YAML read from stdin', async () => {
    const dir = project();
    const result = await cli(dir, ['lint', '--stdin', '--format', 'json'], { stdin: HELM_DEPLOYMENT });
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), []);
    assert.match(result.stderr, /skipped <stdin>: Go\/Helm template syntax/);
  });
});

describe('bad input never crashes', () => {
  it('skips a binary file with a note', async () => {
    const dir = project({ 'image.yaml': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'app.yaml': CLEAN });
    const { files, stderr, code } = await linted(dir);
    assert.equal(code, 0);
    assert.deepEqual(files, ['app.yaml']);
    assert.equal(stderr, 'keepalive-lint: skipped image.yaml: binary file\n');
  });

  it('skips a file that is not UTF-8 with a note', async () => {
    const dir = project({ 'latin1.yaml': new Uint8Array([...Buffer.from('name: caf'), 0xe9, 0x0a]) });
    const { files, stderr, code } = await linted(dir);
    assert.equal(code, 0);
    assert.deepEqual(files, []);
    assert.equal(stderr, 'keepalive-lint: skipped latin1.yaml: not UTF-8 text\n');
  });

  it('skips a file above the size limit with a note, without reading it', async () => {
    const dir = project({ 'app.yaml': CLEAN });
    const fd = openSync(join(dir, 'huge.yaml'), 'w');
    ftruncateSync(fd, MAX_FILE_BYTES + 1024 * 1024); // sparse: no real data to write or read
    closeSync(fd);
    const { files, stderr, code } = await linted(dir);
    assert.equal(code, 0);
    assert.deepEqual(files, ['app.yaml']);
    assert.match(stderr, /^keepalive-lint: skipped huge\.yaml: larger than 32 MiB \(33 MiB\)\n$/);
  });

  it('lints a file with a byte-order mark at the right positions, and --fix keeps the mark', async () => {
    const dir = project({ 'app.yaml': `\ufeff${FLAGGED}` });
    const [message] = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout)[0]!.messages;
    assert.deepEqual([message!.line, message!.column], [13, 5]);
    assert.equal((await cli(dir, ['lint', '--fix'])).code, 0);
    const bytes = readFileSync(join(dir, 'app.yaml'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(bytes.toString('utf8'), /sysctls:/);
  });

  it('lints a CRLF file at the right positions, and --fix keeps CRLF', async () => {
    const dir = project({ 'app.yaml': FLAGGED.replace(/\n/g, '\r\n') });
    const [message] = parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout)[0]!.messages;
    assert.deepEqual([message!.line, message!.column, message!.endLine, message!.endColumn], [13, 5, 13, 9]);
    assert.deepEqual([message!.relatedInformation![0]!.line, message!.relatedInformation![0]!.column], [19, 22]);
    assert.equal((await cli(dir, ['lint', '--fix'])).code, 0);
    const text = readFileSync(join(dir, 'app.yaml'), 'utf8');
    assert.match(text, /sysctls:/);
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
    assert.deepEqual(parseJson((await cli(dir, ['lint', '--format', 'json'])).stdout)[0]!.messages, []);
  });

  it('an alias bomb completes without crashing', async () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const bomb = `apiVersion: v1
kind: ConfigMap
metadata:
  name: bomb
data:
  ${levels.join('\n  ')}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
          args: *l
          env: *l
          envFrom:
            - configMapRef:
                name: bomb
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
data:
  config.conf: *l
`;
    const dir = project({ 'bomb.yaml': bomb, 'top.yaml': levels.join('\n') + '\n' });
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    assert.ok(!result.stderr.includes('internal error'), result.stderr);
    assert.deepEqual(
      parseJson(result.stdout).map((r) => r.filePath.slice(dir.length + 1)),
      ['bomb.yaml', 'top.yaml'],
    );
  });

  it('malformed YAML of many kinds gives a fatal message with a position, never an internal error', async () => {
    const files: Record<string, string> = {
      'unclosed-flow.yaml': 'a: [1, 2\nb: 3\n',
      'unclosed-quote.yaml': 'a: "open\n',
      'tab-indent.yaml': 'a:\n\tb: 1\n',
      'bad-escape.yaml': 'a: "\\uZZZZ"\n',
      'deep-flow.yaml': '['.repeat(100_000),
      'deep-block.yaml': Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
      'reserved.yaml': 'a: @x\n',
    };
    const dir = project(files);
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 1);
    assert.ok(!result.stderr.includes('internal error'), result.stderr);
    const reports = parseJson(result.stdout);
    assert.equal(reports.length, Object.keys(files).length);
    for (const report of reports) {
      assert.equal(report.messages.length, 1, report.filePath);
      const [message] = report.messages;
      assert.equal(message!.ruleId, null);
      assert.equal(message!.fatal, true);
      assert.equal(message!.severity, 2);
      assert.ok(message!.line >= 1 && message!.column >= 1, report.filePath);
    }
    const at = (name: string) => {
      const message = reports.find((r) => r.filePath.endsWith(`/${name}`))!.messages[0]!;
      return [message.line, message.column];
    };
    assert.deepEqual(at('tab-indent.yaml'), [2, 1]);
    assert.deepEqual(at('reserved.yaml'), [1, 4]);
  });

  it('accepts empty files, comment-only files, empty documents and non-manifest YAML', async () => {
    const dir = project({
      'empty.yaml': '',
      'comments.yaml': '# nothing here\n',
      'docs.yaml': '---\n---\n...\n',
      'scalar.yaml': 'hello\n',
      'list.yaml': '- a\n- b\n',
      'dupes.yaml': 'a: 1\na: 2\n',
    });
    mkdirSync(join(dir, 'empty-folder'));
    const result = await cli(dir, ['lint', '--format', 'json']);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stderr, '');
    for (const report of parseJson(result.stdout)) assert.deepEqual(report.messages, [], report.filePath);
  });
});
