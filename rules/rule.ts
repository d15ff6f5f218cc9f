/**
 * What a rule is: metadata (id, description, severity, messages, docs URL derived from the id, whether
 * it fixes) plus a check that turns one file of the project into reports carrying their fixes.
 */
import type { IdleTimeout, ResolvedConfig } from './config.ts';
import type { FileFacts, ProjectLookup } from './k8s/model.ts';
import type { CodeVersions } from './node/versions.ts';
import type { ConstTable } from './ts/fold.ts';
import type { ImportTable } from './ts/imports.ts';
import type { FileNodes } from './ts/nodes.ts';
import type { ParsedTsFile } from './ts/parse.ts';
import type { ActiveSeverity, Fix, OffsetRange, RelatedLocation } from './types.ts';
import type { ParsedYamlFile } from './yaml/parse.ts';

export const DOCS_BASE_URL = 'https://github.com/keepalive-lint/keepalive-lint/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/** Everything a Kubernetes rule may look at for one file. */
export interface YamlRuleContext {
  readonly file: ParsedYamlFile;
  readonly facts: FileFacts;
  readonly index: ProjectLookup;
  readonly config: ResolvedConfig;
  /** The effective idle timeout T for this file, with where it came from. */
  readonly timeout: IdleTimeout;
}

/** Everything a code rule may look at for one TS/JS file. */
export interface CodeRuleContext {
  readonly file: ParsedTsFile;
  /** The file's calls, declarations and names, collected in one walk: read them rather than walk the tree again. */
  readonly nodes: FileNodes;
  readonly imports: ImportTable;
  readonly consts: ConstTable;
  readonly config: ResolvedConfig;
  readonly timeout: IdleTimeout;
  /** The pods' net.ipv4.tcp_keepalive_time (s), from osKeepaliveTimeSeconds: what a socket enabling keepalive without a delay gets. */
  readonly osKeepaliveSeconds: number;
  readonly versions: CodeVersions;
  /** The keepalive delay the fixes write, in ms: configured, else min(30 s, T/2). */
  readonly fixDelayMs: number;
}

export interface Report<MessageId extends string> {
  readonly messageId: MessageId;
  readonly data: Readonly<Record<string, string | number>>;
  readonly range: OffsetRange;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
}

interface RuleMeta<MessageId extends string> {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: ActiveSeverity;
  /** Placeholders are written `{{name}}`; every one must be given in a report's data. */
  readonly messages: Readonly<Record<MessageId, string>>;
  readonly fixable: boolean;
  /** One line for the docs and SARIF: what to do about it. */
  readonly remediation: string;
}

export interface YamlRuleDefinition<MessageId extends string> extends RuleMeta<MessageId> {
  readonly language: 'yaml';
  check(context: YamlRuleContext): Iterable<Report<MessageId>>;
}

export interface CodeRuleDefinition<MessageId extends string> extends RuleMeta<MessageId> {
  readonly language: 'ts';
  check(context: CodeRuleContext): Iterable<Report<MessageId>>;
}

export type RuleDefinition<MessageId extends string> = YamlRuleDefinition<MessageId> | CodeRuleDefinition<MessageId>;

export type YamlRule<MessageId extends string = string> = YamlRuleDefinition<MessageId> & { readonly docsUrl: string };
export type CodeRule<MessageId extends string = string> = CodeRuleDefinition<MessageId> & { readonly docsUrl: string };
export type Rule<MessageId extends string = string> = YamlRule<MessageId> | CodeRule<MessageId>;

export function createRule<MessageId extends string>(definition: YamlRuleDefinition<MessageId>): YamlRule<MessageId>;
export function createRule<MessageId extends string>(definition: CodeRuleDefinition<MessageId>): CodeRule<MessageId>;
export function createRule<MessageId extends string>(definition: RuleDefinition<MessageId>): Rule<MessageId> {
  return { ...definition, docsUrl: docsUrl(definition.id) };
}

/** Fills `{{name}}` placeholders; a missing one is a bug in the rule, so it throws. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(name in data)) throw new Error(`message placeholder {{${name}}} has no value`);
    return String(data[name]);
  });
}
