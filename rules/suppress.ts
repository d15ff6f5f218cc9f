/**
 * Suppressions, keyed on rule ids only: `# keepalive-lint-disable-next-line [ids]`,
 * `# keepalive-lint-disable-file [ids]`, and the workload annotation `keepalive-lint.io/ignore`.
 */
import type { Workload } from './k8s/model.ts';
import type { Finding, OffsetRange } from './types.ts';

export const IGNORE_ANNOTATION = 'keepalive-lint.io/ignore';
const DIRECTIVE = /^[ \t]*(?:#|\/\/|\/\*)[ \t]*keepalive-lint-disable-(next-line|file)\b([^\n]*?)(?:\*\/)?[ \t]*$/gm;

interface Scope {
  /** Undefined: every rule. */
  readonly ids: ReadonlySet<string> | undefined;
  readonly range: OffsetRange;
}

function parseIds(list: string): ReadonlySet<string> | undefined {
  const ids = list
    .replace(/\s--\s.*$/, '') // `-- reason` trailer, as ESLint allows
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0 || ids.includes('all')) return undefined;
  return new Set(ids);
}

export function commentScopes(text: string): Scope[] {
  const scopes: Scope[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(match[2] ?? '');
    if (match[1] === 'file') {
      scopes.push({ ids, range: { start: 0, end: text.length } });
      continue;
    }
    const lineEnd = text.indexOf('\n', match.index + match[0].length);
    if (lineEnd < 0) continue;
    const nextEnd = text.indexOf('\n', lineEnd + 1);
    scopes.push({ ids, range: { start: lineEnd + 1, end: nextEnd < 0 ? text.length : nextEnd } });
  }
  return scopes;
}

export function annotationScopes(workloads: readonly Workload[]): Scope[] {
  const scopes: Scope[] = [];
  for (const workload of workloads) {
    for (const annotation of workload.annotations) {
      if (annotation.key !== IGNORE_ANNOTATION) continue;
      scopes.push({ ids: parseIds(annotation.value), range: workload.resource.range });
    }
  }
  return scopes;
}

/** A finding is suppressed when its start lies in a scope that names its rule (or all rules). */
export function isSuppressed(finding: Finding, scopes: readonly Scope[]): boolean {
  return scopes.some(
    (scope) =>
      finding.range.start >= scope.range.start &&
      finding.range.start <= scope.range.end &&
      (scope.ids === undefined || scope.ids.has(finding.ruleId)),
  );
}
