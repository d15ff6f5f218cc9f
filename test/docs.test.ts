/**
 * The docs are executable: every rule has a page whose generated header and README row match its
 * metadata, a test file, and examples that the linter really reports ("Example that fires") or
 * passes (the first YAML block under "Fix").
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type ConfigOverrides, type UserConfig } from '../rules/config.ts';
import { analyseCode, buildIndex, lintCode, lintSources } from '../rules/lint.ts';
import { UNKNOWN_VERSIONS } from '../rules/node/versions.ts';
import { RULES } from '../rules/registry.ts';
import {
  docPath,
  HEADER_END,
  HEADER_START,
  listDocPages,
  markdownSection,
  readGenerated,
  renderDocHeader,
  renderRulesTable,
  TABLE_END,
  TABLE_START,
  fencedBlocks,
} from '../scripts/gen-docs.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What a rule's doc examples are linted with, when the defaults do not make it fire. */
const EXAMPLE_CONFIG: Readonly<Record<string, { user?: UserConfig; overrides?: ConfigOverrides }>> = {
  'k8s/sysctl-rejected': { overrides: { kubernetesVersion: '1.28' } },
};

function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The rule ids the linter reports for one example (YAML, or TS for code rules), linted alone with the rule's example config. */
function reportedRuleIds(ruleId: string, source: string): string[] {
  const settings = EXAMPLE_CONFIG[ruleId] ?? {};
  const resolved = resolveConfig(settings.user ?? {}, settings.overrides ?? {});
  assert.ok(resolved.ok, `example config for ${ruleId} is invalid: ${resolved.ok ? '' : resolved.errors.join('; ')}`);
  const name = `docs-example/${ruleId.replace(/\//g, '-')}`;
  const results = isCodeRule(ruleId)
    ? [lintCode(analyseCode({ path: `${name}.ts`, text: source }), buildIndex([]), resolved.config, UNKNOWN_VERSIONS)]
    : lintSources([{ path: `${name}.yaml`, text: source }], () => resolved.config);
  const [result] = results;
  assert.ok(result, 'the linter returned no result for the example');
  assert.equal(result.problem, undefined, `the example does not parse: ${result.problem?.message}`);
  assert.deepEqual(result.ruleFailures, [], 'a rule threw on the example');
  return result.findings.map((finding) => finding.ruleId);
}

function isCodeRule(ruleId: string): boolean {
  return RULES.find((rule) => rule.id === ruleId)?.language === 'ts';
}

/** The first example block of a section: ```yaml for Kubernetes rules, ```ts (or js) for code rules. */
function firstExampleBlock(ruleId: string, page: string, heading: string, path: string): string {
  const section = markdownSection(page, heading);
  assert.ok(section !== undefined, `${path} has no "## ${heading}" section`);
  const language = isCodeRule(ruleId) ? '(?:ts|typescript|js|javascript)' : 'ya?ml';
  const [block] = fencedBlocks(section, language);
  assert.ok(block !== undefined, `${path}: "## ${heading}" has no ${isCodeRule(ruleId) ? 'ts' : 'yaml'} code block`);
  return block;
}

describe('README rule table', () => {
  test('matches the rule metadata (run `npm run docs`)', () => {
    assert.equal(readGenerated(read('README.md'), TABLE_START, TABLE_END), renderRulesTable(RULES));
  });
});

for (const rule of RULES) {
  const path = docPath(rule.id);
  describe(`docs for ${rule.id}`, () => {
    test('the page exists at the docsUrl path', () => {
      assert.ok(existsSync(join(ROOT, path)), `${path} is missing (run \`npm run docs\` for a stub)`);
      assert.ok(rule.docsUrl.endsWith(`/${path}`), `docsUrl ${rule.docsUrl} does not point at ${path}`);
    });

    test('its generated header matches the rule metadata (run `npm run docs`)', () => {
      const page = read(path);
      assert.ok(page.startsWith(HEADER_START), `${path} must start with ${HEADER_START}`);
      assert.equal(readGenerated(page, HEADER_START, HEADER_END), renderDocHeader(rule));
    });

    test('the rule has a test file', () => {
      const testPath = `test/rules/${rule.id}.test.ts`;
      assert.ok(existsSync(join(ROOT, testPath)), `${testPath} is missing`);
    });

    test('"Example that fires" is reported by the rule', () => {
      const example = firstExampleBlock(rule.id, read(path), 'Example that fires', path);
      const ids = reportedRuleIds(rule.id, example);
      assert.ok(ids.includes(rule.id), `expected ${rule.id} on the example, got [${ids.join(', ')}]`);
    });

    test('the first example block under "Fix" is not reported by the rule', () => {
      const fixed = firstExampleBlock(rule.id, read(path), 'Fix', path);
      const ids = reportedRuleIds(rule.id, fixed);
      assert.ok(!ids.includes(rule.id), `${rule.id} still fires on the fixed example`);
    });
  });
}

describe('doc pages', () => {
  test('there is no page for an unknown rule', () => {
    const known = new Set(RULES.map((rule) => docPath(rule.id)));
    assert.deepEqual(
      listDocPages(ROOT).filter((page) => !known.has(page)),
      [],
    );
  });

  test('every per-rule example config names a known rule', () => {
    const ids = new Set(RULES.map((rule) => rule.id));
    for (const id of Object.keys(EXAMPLE_CONFIG)) assert.ok(ids.has(id), `EXAMPLE_CONFIG names unknown rule ${id}`);
  });
});
