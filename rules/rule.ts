/**
 * What a rule is: metadata (id, description, severity, messages, docs URL derived from the id, whether
 * it fixes) plus a check that turns one file of the project into reports carrying their fixes.
 */
import type { IdleTimeout, ResolvedConfig } from './config.ts';
import type { FileFacts, ProjectIndex } from './k8s/model.ts';
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
  readonly index: ProjectIndex;
  readonly config: ResolvedConfig;
  /** The effective idle timeout T for this file, with where it came from. */
  readonly timeout: IdleTimeout;
}

export interface Report<MessageId extends string> {
  readonly messageId: MessageId;
  readonly data: Readonly<Record<string, string | number>>;
  readonly range: OffsetRange;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly Fix[];
}

export interface RuleDefinition<MessageId extends string> {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: ActiveSeverity;
  /** Placeholders are written `{{name}}`; every one must be given in a report's data. */
  readonly messages: Readonly<Record<MessageId, string>>;
  readonly fixable: boolean;
  readonly language: 'yaml';
  /** One line for the docs and SARIF: what to do about it. */
  readonly remediation: string;
  check(context: YamlRuleContext): Iterable<Report<MessageId>>;
}

export interface Rule<MessageId extends string = string> extends RuleDefinition<MessageId> {
  readonly docsUrl: string;
}

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
