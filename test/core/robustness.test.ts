/** Bad input never crashes the core: each case yields a clear problem or is linted in bounded work. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../rules/config.ts';
import { applyFixes, fixUntilStable } from '../../rules/fix.ts';
import { analyseYaml, buildIndex, lintSources, lintYaml } from '../../rules/lint.ts';
import { createRule } from '../../rules/rule.ts';
import { RULES } from '../../rules/registry.ts';
import { LineIndex } from '../../rules/positions.ts';

const config = (() => {
  const r = resolveConfig({ serviceEvidence: 'always' });
  assert.ok(r.ok);
  return r.config;
})();

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
      - name: c
        image: c:1
`;

describe('robustness', () => {
  it('a syntax error is one problem with its position, not an exception', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n';
    const analysed = analyseYaml({ path: 'bad.yaml', text });
    assert.ok(analysed.file.problem);
    assert.equal(analysed.file.problem.kind, 'parse-error');
    assert.match(analysed.file.problem.message, /^YAML syntax error: /);
    const at = new LineIndex(text).position(analysed.file.problem.range.start);
    assert.ok(at.line >= 3, `points into the broken flow sequence, got line ${at.line + 1}`);
    const result = lintYaml(analysed, buildIndex([analysed]), config);
    assert.deepEqual(result.findings, []);
    assert.ok(result.problem);
  });

  it('an alias bomb is analysed without expanding it', { timeout: 20_000 }, () => {
    let text = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]\n`;
    text += `---\n${deployment('bomb').replace('image: c:1', 'image: c:1\n        args: *a11')}`.replace('---\n', '---\n');
    const withAnchors = text.replace('args: *a11', 'args: [x]');
    for (const source of [text, withAnchors]) {
      const results = lintSources([{ path: 'bomb.yaml', text: source }], () => config);
      assert.equal(results.length, 1);
      assert.deepEqual(results[0]!.ruleFailures, []);
    }
  });

  it('aliases inside a manifest resolve to their anchors', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  annotations:
    upstream: &url http://api:80
spec:
  containers:
  - name: c
    image: c:1
    env:
    - name: API
      value: *url
`;
    const strict = resolveConfig({});
    assert.ok(strict.ok);
    const [result] = lintSources([{ path: 'alias.yaml', text }], () => strict.config);
    assert.deepEqual(result!.findings.map((f) => f.ruleId), ['k8s/keepalive-sysctl-missing']);
  });

  it('a large multi-document file is linted whole', () => {
    const text = Array.from({ length: 2000 }, (_, i) => deployment(`app-${i}`)).join('---\n');
    const [result] = lintSources([{ path: 'big.yaml', text }], () => config);
    assert.equal(result!.findings.length, 2000);
  });

  it('deep nesting and odd documents do not throw', () => {
    const odd = ['', '---\n---\n', '- a\n- b\n', 'just a string\n', 'kind: 42\n', 'kind: Deployment\nspec: 5\n', 'kind: List\nitems: [1, "x", {kind: Pod, spec: {containers: 3}}]\n', `${'['.repeat(500)}${']'.repeat(500)}\n`, '\u0000\u0001binary\n'];
    for (const text of odd) {
      const results = lintSources([{ path: 'odd.yaml', text }], () => config);
      assert.deepEqual(results[0]?.ruleFailures ?? [], [], JSON.stringify(text.slice(0, 20)));
    }
  });

  it('a rule that throws is reported with its id; the other rules still run', () => {
    const broken = createRule({
      id: 'k8s/broken',
      description: 'throws',
      defaultSeverity: 'error',
      fixable: false,
      language: 'yaml',
      remediation: 'none',
      messages: { x: 'x' },
      check() {
        throw new Error('boom');
      },
    });
    const analysed = analyseYaml({ path: 'a.yaml', text: deployment('a') });
    const result = lintYaml(analysed, buildIndex([analysed]), config, [broken, ...RULES]);
    assert.equal(result.ruleFailures.length, 1);
    assert.equal(result.ruleFailures[0]!.ruleId, 'k8s/broken');
    assert.match(result.ruleFailures[0]!.error, /boom/);
    assert.equal(result.findings.length, 1);
  });

  it('Helm templates are recognised; {{ }} in quoted or block strings is data', () => {
    assert.equal(analyseYaml({ path: 't.yaml', text: 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' }).templated, true);
    assert.equal(analyseYaml({ path: 't.yaml', text: '{{- if .Values.enabled }}\nkind: Pod\n{{- end }}\n' }).templated, true);
    assert.equal(analyseYaml({ path: 't.yaml', text: 'kind: ConfigMap\ndata:\n  t: |\n    {{ define "x" }}{{ end }}\n  legend: "{{pod}}"\n' }).templated, false);
  });
});

describe('fix application', () => {
  it('applies non-overlapping fixes and leaves overlapping ones for the next pass', () => {
    const text = 'abcdef';
    const fix = (start: number, end: number, newText: string) => ({ title: 't', preferred: true, edits: [{ start, end, newText }] });
    assert.deepEqual(applyFixes(text, [fix(0, 1, 'A'), fix(4, 6, 'EF')]), { text: 'AbcdEF', applied: 2 });
    assert.deepEqual(applyFixes(text, [fix(0, 3, 'X'), fix(2, 4, 'Y')]), { text: 'Xdef', applied: 1 });
    assert.deepEqual(applyFixes(text, [fix(2, 2, 'X'), fix(2, 2, 'Y')]), { text: 'abXcdef', applied: 1 });
  });

  it('fixes until stable: every keepalive rule fixed together, and a second run changes nothing', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    sysctls:
    - name: net.ipv4.tcp_keepalive_time
      value: "7200"
  initContainers:
  - name: tune
    image: busybox
    command: ["sysctl", "-w", "net.ipv4.tcp_keepalive_intvl=10"]
  containers:
  - name: c
    image: c:1
`;
    const lint = (source: string) => {
      const analysed = analyseYaml({ path: 'p.yaml', text: source });
      return lintYaml(analysed, buildIndex([analysed]), config).findings;
    };
    assert.deepEqual(lint(text).map((f) => f.ruleId).sort(), ['k8s/keepalive-sysctl-too-long', 'k8s/sysctl-init-unprivileged']);
    const once = fixUntilStable(text, lint);
    assert.deepEqual(lint(once.text), []);
    assert.match(once.text, /value: "60"/);
    assert.match(once.text, /privileged: true/);
    const twice = fixUntilStable(once.text, lint);
    assert.equal(twice.text, once.text);
    assert.equal(twice.applied, 0);
  });

  it('keeps CRLF line endings', () => {
    const text = deployment('crlf').replace(/\n/g, '\r\n');
    const lint = (source: string) => {
      const analysed = analyseYaml({ path: 'p.yaml', text: source });
      return lintYaml(analysed, buildIndex([analysed]), config).findings;
    };
    const fixed = fixUntilStable(text, lint).text;
    assert.notEqual(fixed, text);
    assert.doesNotMatch(fixed.replace(/\r\n/g, ''), /\n/);
    assert.deepEqual(lint(fixed), []);
  });
});
