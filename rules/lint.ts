/**
 * The core's entry: parse a YAML file into facts, build the project index from all facts, and run
 * the enabled rules over one file with its configuration. Pure: no I/O, no logging, no exits.
 */
import { effectiveTimeout, type ResolvedConfig } from './config.ts';
import { extractFacts, ProjectIndex, type FileFacts } from './k8s/model.ts';
import { RULES } from './registry.ts';
import { formatMessage, type Rule } from './rule.ts';
import { annotationScopes, commentScopes, isSuppressed } from './suppress.ts';
import type { FileProblem, Finding, SourceText } from './types.ts';
import { isTemplatedYaml, parseYamlFile, type ParsedYamlFile } from './yaml/parse.ts';

export interface AnalysedYaml {
  readonly file: ParsedYamlFile;
  readonly facts: FileFacts;
  /** A Helm/Go template: not a manifest until rendered. */
  readonly templated: boolean;
}

export function analyseYaml(source: SourceText): AnalysedYaml {
  const file = parseYamlFile(source);
  const templated = isTemplatedYaml(source.text, file);
  const facts = templated || file.problem ? extractFacts({ ...file, docs: [] }) : extractFacts(file);
  return { file, facts, templated };
}

export interface RuleFailure {
  readonly ruleId: string;
  readonly path: string;
  readonly error: string;
}

export interface FileLintResult {
  readonly path: string;
  readonly findings: readonly Finding[];
  readonly problem?: FileProblem;
  /** Rules that threw: the adapter logs them; the other rules' findings still stand. */
  readonly ruleFailures: readonly RuleFailure[];
}

export function buildIndex(analysed: readonly AnalysedYaml[]): ProjectIndex {
  return new ProjectIndex(analysed.map((a) => a.facts));
}

export function lintYaml(analysed: AnalysedYaml, index: ProjectIndex, config: ResolvedConfig, rules: readonly Rule[] = RULES): FileLintResult {
  const { file, facts } = analysed;
  if (file.problem) return { path: file.path, findings: [], problem: file.problem, ruleFailures: [] };
  const timeout = effectiveTimeout(config, index.kubeProxy);
  const context = { file, facts, index, config, timeout };
  const findings: Finding[] = [];
  const ruleFailures: RuleFailure[] = [];
  for (const rule of rules) {
    const severity = config.ruleSeverities.get(rule.id) ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    try {
      for (const report of rule.check(context)) {
        if (!rule.fixable && report.fixes && report.fixes.length > 0) throw new Error(`rule ${rule.id} is not fixable but produced a fix`);
        const template = rule.messages[report.messageId];
        if (template === undefined) throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
        findings.push({
          ruleId: rule.id,
          messageId: report.messageId,
          message: formatMessage(template, report.data),
          severity,
          range: report.range,
          related: report.related ?? [],
          fixes: report.fixes ?? [],
        });
      }
    } catch (error) {
      ruleFailures.push({ ruleId: rule.id, path: file.path, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  const scopes = [...commentScopes(file.text), ...annotationScopes(facts.workloads)];
  const kept = findings.filter((finding) => !isSuppressed(finding, scopes));
  kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId));
  return { path: file.path, findings: kept, ruleFailures };
}

/** Lints a set of files together, as one run does. Handy for tests and small embedders. */
export function lintSources(sources: readonly SourceText[], configFor: (path: string) => ResolvedConfig): FileLintResult[] {
  const analysed = sources.map(analyseYaml);
  const index = buildIndex(analysed);
  return analysed.filter((a) => !a.templated).map((a) => lintYaml(a, index, configFor(a.file.path)));
}
