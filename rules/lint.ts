/**
 * The core's entry: parse a YAML file into facts, build the project index from all facts, and run
 * the enabled rules over one file with its configuration. Pure: no I/O, no logging, no exits.
 */
import { effectiveTimeout, type ResolvedConfig } from './config.ts';
import { extractFacts, ProjectIndex, type FileFacts, type ProjectLookup } from './k8s/model.ts';
import { RULES } from './registry.ts';
import type { CodeVersions } from './node/versions.ts';
import { formatMessage, type CodeRuleContext, type Report, type Rule, type YamlRuleContext } from './rule.ts';
import { isTooDeep, TOO_DEEP_MESSAGE } from './limits.ts';
import { ConstTable } from './ts/fold.ts';
import { ImportTable } from './ts/imports.ts';
import { fileNodes, type FileNodes } from './ts/nodes.ts';
import { mentionsClientModule, parseTsFile, reparseTsFile, type ParsedTsFile } from './ts/parse.ts';
import { annotationScopes, commentScopes, isSuppressed } from './suppress.ts';
import type { FileProblem, Finding, SourceText } from './types.ts';
import { isTemplatedYaml, parseYamlFile, type ParsedYamlFile } from './yaml/parse.ts';

export interface AnalysedYaml {
  readonly file: ParsedYamlFile;
  readonly facts: FileFacts;
  /** A Helm/Go template: not a manifest until rendered. */
  readonly templated: boolean;
}

/**
 * Parses a YAML file and extracts its facts. `previous`, the analysis of an earlier text of the same
 * file, lets unchanged documents be reused (see parseYamlFile); it must not be used afterwards.
 */
export function analyseYaml(source: SourceText, previous?: AnalysedYaml): AnalysedYaml {
  try {
    const file = parseYamlFile(source, previous?.file);
    const templated = isTemplatedYaml(source.text, file);
    const facts = templated || file.problem ? extractFacts({ ...file, docs: [] }) : extractFacts(file);
    return { file, facts, templated };
  } catch (error) {
    // Documents that parsed but are too deep for the walkers (anchors, template detection).
    if (!isTooDeep(error)) throw error;
    const file: ParsedYamlFile = { path: source.path, text: source.text, docs: [], problem: { kind: 'parse-error', message: `YAML: ${TOO_DEEP_MESSAGE}`, range: { start: 0, end: 0 } } };
    return { file, facts: extractFacts(file), templated: false };
  }
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

/** Runs the enabled rules of one language over a file, isolating rules that throw, then applies suppressions. */
function runRules<Context>(
  rules: readonly Rule[],
  language: Rule['language'],
  path: string,
  text: string,
  config: ResolvedConfig,
  context: Context,
  extraScopes: ReturnType<typeof annotationScopes> = [],
): FileLintResult {
  const findings: Finding[] = [];
  const ruleFailures: RuleFailure[] = [];
  for (const rule of rules) {
    if (rule.language !== language) continue;
    const severity = config.ruleSeverities.get(rule.id) ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    try {
      const check = rule.check as (context: Context) => Iterable<Report<string>>;
      for (const report of check(context)) {
        if (!rule.fixable && report.fixes && report.fixes.length > 0) throw new Error(`rule ${rule.id} is not fixable but produced a fix`);
        const template = (rule.messages as Record<string, string>)[report.messageId];
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
      ruleFailures.push({ ruleId: rule.id, path, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  // Nothing to suppress: skip scanning the text for directives.
  if (findings.length === 0) return { path, findings, ruleFailures };
  const scopes = [...commentScopes(text), ...extraScopes];
  const kept = findings.filter((finding) => !isSuppressed(finding, scopes));
  kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || a.ruleId.localeCompare(b.ruleId));
  return { path, findings: kept, ruleFailures };
}

export function lintYaml(analysed: AnalysedYaml, index: ProjectLookup, config: ResolvedConfig, rules: readonly Rule[] = RULES): FileLintResult {
  const { file, facts } = analysed;
  if (file.problem) return { path: file.path, findings: [], problem: file.problem, ruleFailures: [] };
  const timeout = effectiveTimeout(config, index.kubeProxy);
  const context: YamlRuleContext = { file, facts, index, config, timeout };
  return runRules(rules, 'yaml', file.path, file.text, config, context, annotationScopes(facts.workloads));
}

export interface AnalysedCode {
  readonly path: string;
  readonly text: string;
  /** Undefined when the cheap pre-check found no client module: nothing to lint, nothing parsed. */
  readonly file: ParsedTsFile | undefined;
}

/**
 * Parses a TS/JS file unless the pre-check finds no client module. With `previous`, the analysis of
 * the same path before an edit, the parse reuses its tree (see reparseTsFile): `previous` must not
 * be used afterwards: the new tree takes over its nodes. Findings already linted from it stay valid.
 */
export function analyseCode(source: SourceText, previous?: AnalysedCode): AnalysedCode {
  if (!mentionsClientModule(source.text)) return { path: source.path, text: source.text, file: undefined };
  const file = previous?.file && previous.path === source.path ? reparseTsFile(previous.file, source) : parseTsFile(source);
  return { path: source.path, text: source.text, file };
}

/** The keepalive delay fixes write: configured, else min(30 s, T/2), never below the 1 s libuv floor. */
export function fixDelayMs(config: ResolvedConfig, timeoutSeconds: number): number {
  if (config.clientKeepaliveDelayMs !== undefined) return config.clientKeepaliveDelayMs;
  return Math.max(1000, Math.min(30_000, Math.floor((timeoutSeconds * 1000) / 2 / 1000) * 1000));
}

export function lintCode(
  analysed: AnalysedCode,
  index: ProjectLookup,
  config: ResolvedConfig,
  versions: CodeVersions,
  rules: readonly Rule[] = RULES,
): FileLintResult {
  const { file } = analysed;
  if (!file) return { path: analysed.path, findings: [], ruleFailures: [] };
  if (file.problem) return { path: file.path, findings: [], problem: file.problem, ruleFailures: [] };
  const timeout = effectiveTimeout(config, index.kubeProxy);
  const effectiveVersions: CodeVersions = config.nodeVersion ? { ...versions, node: config.nodeVersion } : versions;
  let nodes: FileNodes;
  let imports: ImportTable;
  let consts: ConstTable;
  try {
    nodes = fileNodes(file.sourceFile);
    imports = new ImportTable(file.sourceFile);
    consts = new ConstTable(file.sourceFile);
  } catch (error) {
    // Parsed, but deeper than MAX_DEPTH (a very long `a + b + …` chain, say): the same problem the parser gives.
    if (!isTooDeep(error)) throw error;
    return { path: file.path, findings: [], problem: { kind: 'parse-error', message: TOO_DEEP_MESSAGE, range: { start: 0, end: 0 } }, ruleFailures: [] };
  }
  const context: CodeRuleContext = {
    file,
    nodes,
    imports,
    consts,
    config,
    timeout,
    osKeepaliveSeconds: config.osKeepaliveTimeSeconds,
    versions: effectiveVersions,
    fixDelayMs: fixDelayMs(config, timeout.seconds),
  };
  return runRules(rules, 'ts', file.path, file.text, config, context);
}

/** Lints a set of files together, as one run does. Handy for tests and small embedders. */
export function lintSources(sources: readonly SourceText[], configFor: (path: string) => ResolvedConfig): FileLintResult[] {
  const analysed = sources.map((source) => analyseYaml(source));
  const index = buildIndex(analysed);
  return analysed.filter((a) => !a.templated).map((a) => lintYaml(a, index, configFor(a.file.path)));
}
