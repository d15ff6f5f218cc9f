/** The pure helpers behind the editor's hovers and suppression actions (rules/hover.ts, rules/suppress-edits.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig, type IdleTimeout } from '../../rules/config.ts';
import { applyFixes } from '../../rules/fix.ts';
import { hoverAt, parseLivenessVerdict } from '../../rules/hover.ts';
import { analyseCode, analyseYaml, buildIndex, lintCode, lintYaml } from '../../rules/lint.ts';
import { describeLiveness, type Liveness } from '../../rules/node/liveness.ts';
import { UNKNOWN_VERSIONS } from '../../rules/node/versions.ts';
import { disableFileFix, disableLineFix, ignoreAnnotationFix, workloadAt } from '../../rules/suppress-edits.ts';
import type { Finding } from '../../rules/types.ts';
import { DEPLOYMENT, SERVICE, TS_CLIENT } from './fixtures.ts';

const T: IdleTimeout = { seconds: 900, source: { kind: 'default' }, profile: 'ipvs' };

function config() {
  const resolved = resolveConfig({});
  assert.ok(resolved.ok);
  return resolved.config;
}

function lintDeployment(text: string) {
  const analysed = analyseYaml({ path: '/w/deploy.yaml', text });
  const index = buildIndex([analysed, analyseYaml({ path: '/w/service.yaml', text: SERVICE })]);
  return { analysed, findings: lintYaml(analysed, index, config()).findings };
}

describe('hover', () => {
  it('reads back every verdict describeLiveness writes', () => {
    const cases: [Liveness, string, string, string][] = [
      [{}, 'off (SO_KEEPALIVE not enabled)', 'never', 'none'],
      [{ keepaliveDelayMs: 3_600_000 }, 'after 3600 s', 'never', 'none'],
      [{ keepaliveDelayMs: 500, idleCapMs: 1_000_000, heartbeatMs: 1500 }, "500 ms, under 1 s: the pod's tcp_keepalive_time 7200 s applies", 'after 1000 s', 'every 1.5 s'],
      [{ keepaliveDelayMs: 30_000, idleCapMs: 0 }, 'after 30 s', 'never', 'none'],
    ];
    for (const [liveness, probe, cap, heartbeat] of cases) {
      const verdict = parseLivenessVerdict(describeLiveness(liveness, 7200), T, 7200);
      assert.ok(verdict, JSON.stringify(liveness));
      assert.deepEqual([verdict.probe.value, verdict.cap.value, verdict.heartbeat.value], [probe, cap, heartbeat]);
    }
    assert.equal(parseLivenessVerdict('no verdict here', T), undefined);
  });

  it('shows a code finding as a table against T', () => {
    const analysed = analyseCode({ path: '/w/client.ts', text: TS_CLIENT });
    const findings = lintCode(analysed, buildIndex([]), config(), UNKNOWN_VERSIONS).findings;
    assert.equal(findings.length, 1);
    const hover = hoverAt({ text: TS_CLIENT, offset: findings[0]!.range.start + 1, findings, timeout: T });
    assert.ok(hover);
    assert.deepEqual(hover.range, findings[0]!.range);
    assert.match(hover.markdown, /\| first keepalive probe \| after 3600 s \| ✗ not below 900 s \|/);
  });

  it('shows a workload finding with the pod default, and nothing away from findings and sysctls', () => {
    const { analysed, findings } = lintDeployment(DEPLOYMENT);
    const workloads = analysed.facts.workloads;
    const hover = hoverAt({ text: DEPLOYMENT, offset: findings[0]!.range.start, findings, timeout: T, workloads });
    assert.match(hover!.markdown, /7200 s \(network-namespace default\) \| ✗ not below 900 s/);
    assert.equal(hoverAt({ text: DEPLOYMENT, offset: 0, findings, timeout: T, workloads }), undefined);
  });
});

describe('suppression edits', () => {
  it('adds the id to a disable-next-line directive already above the line', () => {
    const text = DEPLOYMENT.replace('    spec:\n', '    # keepalive-lint-disable-next-line node/other -- reason\n    spec:\n');
    const { analysed } = lintDeployment(text);
    const finding: Finding = { ruleId: 'k8s/keepalive-sysctl-missing', messageId: 'm', message: '', severity: 'warn', range: { start: text.indexOf('    spec:\n') + 4, end: 0 }, related: [], fixes: [] };
    const fix = disableLineFix({ kind: 'yaml', file: analysed.file }, finding)!;
    const fixed = applyFixes(text, [fix]).text;
    assert.match(fixed, /# keepalive-lint-disable-next-line node\/other k8s\/keepalive-sysctl-missing -- reason\n {4}spec:/);
    assert.equal(lintDeployment(fixed).findings.length, 0);
  });

  it('keeps CRLF line ends and offers no line comment inside a block scalar', () => {
    const text = DEPLOYMENT.replace(/\n/g, '\r\n');
    const { analysed, findings } = lintDeployment(text);
    const fix = disableLineFix({ kind: 'yaml', file: analysed.file }, findings[0]!)!;
    assert.equal(fix.edits[0]!.newText, '    # keepalive-lint-disable-next-line k8s/keepalive-sysctl-missing\r\n');
    const block = 'kind: ConfigMap\ndata:\n  script: |\n    line one\n    line two\n';
    const parsed = analyseYaml({ path: '/w/c.yaml', text: block });
    const inside: Finding = { ...findings[0]!, range: { start: block.indexOf('line two'), end: block.indexOf('line two') + 3 } };
    assert.equal(disableLineFix({ kind: 'yaml', file: parsed.file }, inside), undefined);
  });

  it('puts the file directive after a shebang in code', () => {
    const text = `#!/usr/bin/env node\n${TS_CLIENT}`;
    const analysed = analyseCode({ path: '/w/c.ts', text });
    const fix = disableFileFix({ kind: 'code', file: analysed.file! }, 'node/http-agent-keepalive');
    assert.ok(applyFixes(text, [fix]).text.startsWith('#!/usr/bin/env node\n// keepalive-lint-disable-file node/http-agent-keepalive\nimport'));
  });

  it('adds the annotation to an existing annotations map, or the id to an existing ignore list', () => {
    const withAnnotations = DEPLOYMENT.replace('  name: web\n', '  name: web\n  annotations:\n    team: shop\n');
    let { analysed, findings } = lintDeployment(withAnnotations);
    let fix = ignoreAnnotationFix(workloadAt(analysed.facts.workloads, findings[0]!.range.start)!, 'k8s/keepalive-sysctl-missing')!;
    let fixed = applyFixes(withAnnotations, [fix]).text;
    assert.match(fixed, /annotations:\n {4}keepalive-lint\.io\/ignore: k8s\/keepalive-sysctl-missing\n {4}team: shop/);
    assert.equal(lintDeployment(fixed).findings.length, 0);

    const withIgnore = DEPLOYMENT.replace('  name: web\n', '  name: web\n  annotations:\n    keepalive-lint.io/ignore: "node/other"\n');
    ({ analysed, findings } = lintDeployment(withIgnore));
    fix = ignoreAnnotationFix(workloadAt(analysed.facts.workloads, findings[0]!.range.start)!, 'k8s/keepalive-sysctl-missing')!;
    fixed = applyFixes(withIgnore, [fix]).text;
    assert.match(fixed, /keepalive-lint\.io\/ignore: "node\/other,k8s\/keepalive-sysctl-missing"/);
    assert.equal(lintDeployment(fixed).findings.length, 0);
  });
});
