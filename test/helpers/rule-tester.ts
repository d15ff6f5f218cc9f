/**
 * A strict, table-driven rule tester in the manner of ESLint's RuleTester: valid cases must report
 * nothing; invalid cases list every report with exact 1-based positions; a fixable rule's invalid
 * cases must state the fixed output, which must re-parse and re-lint clean; duplicates are refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConfig, type ConfigOverrides, type UserConfig } from '../../rules/config.ts';
import { applyFixes } from '../../rules/fix.ts';
import { analyseCode, analyseYaml, buildIndex, lintCode, lintYaml } from '../../rules/lint.ts';
import { UNKNOWN_VERSIONS, type CodeVersions } from '../../rules/node/versions.ts';
import { parseTsFile } from '../../rules/ts/parse.ts';
import { LineIndex } from '../../rules/positions.ts';
import type { Rule } from '../../rules/rule.ts';
import type { Finding, SourceText } from '../../rules/types.ts';
import { parseYamlFile } from '../../rules/yaml/parse.ts';

export interface ValidCase {
  readonly name?: string;
  readonly code: string;
  /** Other files linted in the same run (Services, ConfigMaps, Namespaces elsewhere). */
  readonly files?: readonly SourceText[];
  readonly config?: UserConfig;
  readonly overrides?: ConfigOverrides;
  /** Code rules: the file name (default /project/src/client.ts) and the versions read for it. */
  readonly path?: string;
  readonly versions?: CodeVersions;
}

export interface ExpectedReport {
  readonly messageId: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** Substrings the message must contain (numbers, names). */
  readonly messageIncludes?: readonly string[];
  /** Number of related locations (evidence, Service). */
  readonly related?: number;
  /** The text after each non-preferred fix, in order. */
  readonly suggestions?: readonly string[];
}

export interface InvalidCase extends ValidCase {
  readonly errors: readonly ExpectedReport[];
  /** The text after one pass of preferred fixes; null when the rule offers no preferred fix here. */
  readonly output?: string | null;
}

const YAML_PATH = '/project/manifest.yaml';
const CODE_PATH = '/project/src/client.ts';

function pathOf(rule: Rule, testCase: ValidCase): string {
  return testCase.path ?? (rule.language === 'ts' ? CODE_PATH : YAML_PATH);
}

function lint(rule: Rule, testCase: ValidCase, code = testCase.code): { findings: Finding[] } {
  const config = resolveConfig(testCase.config ?? {}, testCase.overrides ?? {});
  assert.ok(config.ok, `test config is invalid: ${config.ok ? '' : config.errors.join('; ')}`);
  const path = pathOf(rule, testCase);
  const others = (testCase.files ?? []).map((source) => analyseYaml(source));
  if (rule.language === 'ts') {
    const main = analyseCode({ path, text: code });
    assert.equal(main.file?.problem, undefined, `test code does not parse: ${main.file?.problem?.message}`);
    const result = lintCode(main, buildIndex(others), config.config, testCase.versions ?? UNKNOWN_VERSIONS, [rule]);
    assert.deepEqual(result.ruleFailures, [], 'the rule threw');
    return { findings: [...result.findings] };
  }
  const main = analyseYaml({ path, text: code });
  assert.equal(main.file.problem, undefined, `test code does not parse: ${main.file.problem?.message}`);
  const result = lintYaml(main, buildIndex([main, ...others]), config.config, [rule]);
  assert.deepEqual(result.ruleFailures, [], 'the rule threw');
  return { findings: [...result.findings] };
}

function assertParses(rule: Rule, text: string, what: string): void {
  const problem = rule.language === 'ts' ? parseTsFile({ path: CODE_PATH, text }).problem : parseYamlFile({ path: YAML_PATH, text }).problem;
  assert.equal(problem, undefined, `${what} does not parse: ${problem?.message}\n${text}`);
}

function caseKey(testCase: ValidCase): string {
  return JSON.stringify([testCase.code, testCase.files ?? [], testCase.config ?? {}, testCase.overrides ?? {}, testCase.path ?? '', testCase.versions ? [testCase.versions.node, [...testCase.versions.libraries]] : null]);
}

export function ruleTester(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.id, () => {
    it('has no duplicate cases', () => {
      const seen = new Set<string>();
      for (const testCase of [...cases.valid, ...cases.invalid]) {
        const key = caseKey(testCase);
        assert.ok(!seen.has(key), `duplicate test case: ${testCase.name ?? testCase.code.slice(0, 60)}`);
        seen.add(key);
      }
    });

    for (const [i, testCase] of cases.valid.entries()) {
      it(`valid #${i}: ${testCase.name ?? 'reports nothing'}`, () => {
        const { findings } = lint(rule, testCase);
        assert.deepEqual(
          findings.map((f) => `${f.messageId}: ${f.message}`),
          [],
          'expected no report',
        );
      });
    }

    for (const [i, testCase] of cases.invalid.entries()) {
      it(`invalid #${i}: ${testCase.name ?? testCase.errors.map((e) => e.messageId).join(', ')}`, () => {
        assert.ok(testCase.errors.length > 0, 'an invalid case must expect at least one report');
        const { findings } = lint(rule, testCase);
        const lines = new LineIndex(testCase.code);
        const actual = findings.map((finding) => {
          const start = lines.position(finding.range.start);
          const end = lines.position(finding.range.end);
          return { finding, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
        });
        assert.equal(
          actual.length,
          testCase.errors.length,
          `expected ${testCase.errors.length} report(s), got ${actual.length}:\n${actual.map((a) => `${a.line}:${a.column} ${a.finding.messageId} ${a.finding.message}`).join('\n')}`,
        );
        for (const [j, expected] of testCase.errors.entries()) {
          const got = actual[j]!;
          assert.equal(got.finding.messageId, expected.messageId, `report ${j}: messageId`);
          assert.ok(rule.messages[expected.messageId as keyof typeof rule.messages] !== undefined, `unknown messageId ${expected.messageId}`);
          assert.deepEqual([got.line, got.column], [expected.line, expected.column], `report ${j}: start line:column`);
          if (expected.endLine !== undefined) assert.equal(got.endLine, expected.endLine, `report ${j}: endLine`);
          if (expected.endColumn !== undefined) assert.equal(got.endColumn, expected.endColumn, `report ${j}: endColumn`);
          assert.doesNotMatch(got.finding.message, /\{\{/, 'unfilled placeholder');
          for (const part of expected.messageIncludes ?? []) assert.ok(got.finding.message.includes(part), `message lacks "${part}": ${got.finding.message}`);
          if (expected.related !== undefined) assert.equal(got.finding.related.length, expected.related, `report ${j}: related locations`);
          assert.ok(got.finding.fixes.filter((f) => f.preferred).length <= 1, 'at most one preferred fix');
          if (!rule.fixable) assert.equal(got.finding.fixes.length, 0, 'a rule that is not fixable produced a fix');
          if (expected.suggestions !== undefined) {
            const alternatives = got.finding.fixes.filter((f) => !f.preferred);
            assert.equal(alternatives.length, expected.suggestions.length, `report ${j}: number of alternative fixes`);
            for (const [k, suggestion] of alternatives.entries()) {
              const applied = applyFixes(testCase.code, [suggestion]).text;
              assert.equal(applied, expected.suggestions[k], `report ${j}: alternative fix ${k} (${suggestion.title})`);
              assertParses(rule, applied, `alternative fix ${k}`);
            }
          }
        }

        if (!rule.fixable) {
          assert.ok(testCase.output === undefined || testCase.output === null, 'a rule that is not fixable cannot have output');
          return;
        }
        assert.ok(testCase.output !== undefined, 'a fixable rule needs `output` (null when no preferred fix applies)');
        const preferred = findings.flatMap((f) => f.fixes.filter((fix) => fix.preferred));
        if (testCase.output === null) {
          assert.equal(preferred.length, 0, 'output: null, but a preferred fix exists');
          return;
        }
        const fixed = applyFixes(testCase.code, preferred).text;
        assert.equal(fixed, testCase.output, 'fixed output');
        assert.notEqual(fixed, testCase.code, 'output equals the input: the fix changed nothing');
        assertParses(rule, fixed, 'fixed output');
        const after = lint(rule, testCase, fixed).findings;
        const remaining = after.filter((f) => f.fixes.some((fix) => fix.preferred));
        assert.ok(after.length < findings.length || remaining.length === 0, `the fix did not clear its findings:\n${after.map((f) => f.message).join('\n')}`);
        if (after.length === 0) {
          assert.equal(applyFixes(fixed, after.flatMap((f) => f.fixes)).text, fixed, 'a second fix pass changed the text');
        }
      });
    }
  });
}

/** A Service named `name` in `namespace` that selects nothing of the workload under test. */
export function service(name: string, namespace?: string, extra = ''): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector:
    app: ${name}-backend
  ports:
  - port: 80
${extra}`;
}
