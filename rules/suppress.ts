/**
 * Suppressions, keyed on rule ids only: `# keepalive-lint-disable-next-line [ids]`,
 * `# keepalive-lint-disable-file [ids]`, and the workload annotation `keepalive-lint.io/ignore`.
 */
import type { Workload } from './k8s/model.ts';
import type { Finding, OffsetRange } from './types.ts';

export const IGNORE_ANNOTATION = 'keepalive-lint.io/ignore';
// The rest of the directive's line is group 2; its trailing blanks and a closing `*/` are cut off in
// code (directiveIds), which keeps the match linear on long lines.
const DIRECTIVE = /^[ \t]*(?:#|\/\/|\/\*)[ \t]*keepalive-lint-disable-(next-line|file)\b([^\n\r\u2028\u2029]*)/gm;

/** The id list of a directive line: without trailing blanks and one closing `*\/`, then its blanks. */
function directiveIds(rest: string): string {
  let end = rest.length;
  while (end > 0 && (rest.charCodeAt(end - 1) === 32 || rest.charCodeAt(end - 1) === 9)) end--;
  if (end >= 2 && rest.charCodeAt(end - 1) === 47 && rest.charCodeAt(end - 2) === 42) end -= 2;
  return rest.slice(0, end);
}

interface Scope {
  /** Undefined: every rule. */
  readonly ids: ReadonlySet<string> | undefined;
  readonly range: OffsetRange;
}

function parseIds(list: string): ReadonlySet<string> | undefined {
  // A `-- reason` trailer on the last line, as ESLint allows (found without backtracking over long text).
  let lastBreak = -1;
  for (const end of ['\n', '\r', '\u2028', '\u2029']) lastBreak = Math.max(lastBreak, list.lastIndexOf(end));
  const trailerPattern = /\s--\s/g;
  trailerPattern.lastIndex = Math.max(0, lastBreak - 3);
  const trailer = trailerPattern.exec(list);
  const ids = (trailer ? list.slice(0, trailer.index) : list)
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0 || ids.includes('all')) return undefined;
  return new Set(ids);
}

export function commentScopes(text: string): Scope[] {
  const scopes: Scope[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(directiveIds(match[2] ?? ''));
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
