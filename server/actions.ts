/**
 * Code actions for one linted document: each fix of a finding as a quick fix (the preferred one
 * `isPreferred`), "Disable <id> for this line / file", the ignore annotation on workloads, and the
 * fix-all source action. Every edit is a TextDocumentEdit carrying the document version it was
 * computed on, so the client refuses it once the text has moved on.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { fixUntilStable } from '../rules/fix.ts';
import { disableFileFix, disableLineFix, ignoreAnnotationFix, workloadAt, type SuppressTarget } from '../rules/suppress-edits.ts';
import type { LineIndex } from '../rules/positions.ts';
import type { Finding, Fix, TextEdit } from '../rules/types.ts';
import { toTextEdits } from './convert.ts';
import { FIX_ALL_KIND, SOURCE, type DiagnosticData } from './protocol.ts';
import type { LintState } from './state.ts';

export interface ActionOptions {
  /** The client takes versioned `documentChanges`; else plain `changes`. */
  readonly documentChanges: boolean;
  readonly diagnosticOf: (finding: Finding) => Diagnostic;
}

export function versionedEdit(state: Pick<LintState, 'uri' | 'version' | 'lines'>, edits: readonly TextEdit[], documentChanges: boolean): WorkspaceEdit {
  const textEdits = toTextEdits(state.lines, edits);
  if (!documentChanges) return { changes: { [state.uri]: textEdits } };
  return { documentChanges: [{ textDocument: { uri: state.uri, version: state.version }, edits: textEdits }] };
}

function intersects(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function sameFinding(finding: Finding, data: Partial<DiagnosticData> | undefined): boolean {
  return data !== undefined && data.ruleId === finding.ruleId && data.start === finding.range.start && data.end === finding.range.end;
}

/** Whether a requested `only` filter admits a kind (a filter admits its sub-kinds). */
export function admits(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((filter) => kind === filter || kind.startsWith(`${filter}.`));
}

function suppressTarget(state: LintState): SuppressTarget | undefined {
  if (state.yaml) return { kind: 'yaml', file: state.yaml.file };
  if (state.code?.file) return { kind: 'code', file: state.code.file };
  return undefined;
}

/** The findings a request is about: those its diagnostics name, and those under its range. */
export function findingsFor(state: LintState, range: Range, diagnostics: readonly Diagnostic[], options: ActionOptions): Finding[] {
  const ours = diagnostics.filter((d) => d.source === SOURCE);
  return state.findings.filter(
    (finding) => ours.some((d) => sameFinding(finding, d.data as Partial<DiagnosticData> | undefined)) || intersects(options.diagnosticOf(finding).range, range),
  );
}

export function quickFixes(state: LintState, findings: readonly Finding[], options: ActionOptions): CodeAction[] {
  const actions: CodeAction[] = [];
  const target = suppressTarget(state);
  const action = (fix: Fix, diagnostic: Diagnostic, preferred: boolean): CodeAction => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(preferred ? { isPreferred: true } : {}),
    edit: versionedEdit(state, fix.edits, options.documentChanges),
  });
  const suppressions: CodeAction[] = [];
  const seenFileIds = new Set<string>();
  for (const finding of findings) {
    const diagnostic = options.diagnosticOf(finding);
    for (const fix of finding.fixes) actions.push(action(fix, diagnostic, fix.preferred));
    if (!target) continue;
    const line = disableLineFix(target, finding);
    if (line) suppressions.push(action(line, diagnostic, false));
    if (!seenFileIds.has(finding.ruleId)) {
      seenFileIds.add(finding.ruleId);
      suppressions.push(action(disableFileFix(target, finding.ruleId), diagnostic, false));
    }
    if (state.yaml) {
      const workload = workloadAt(state.yaml.facts.workloads, finding.range.start);
      const annotation = workload && ignoreAnnotationFix(workload, finding.ruleId);
      if (annotation) suppressions.push(action(annotation, diagnostic, false));
    }
  }
  return [...actions, ...suppressions];
}

/** One edit from `before` to `after`: the changed middle, so the cursor and undo stay sensible. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  // Never split a surrogate pair or a CRLF.
  const splits = (code: number | undefined) => code !== undefined && ((code >= 0xd800 && code <= 0xdbff) || code === 13);
  if (start > 0 && splits(before.charCodeAt(start - 1))) start--;
  if (end > 0 && splits(before.charCodeAt(before.length - end - 1)) && before.length - end - 1 >= start) end--;
  return { start, end: before.length - end, newText: after.slice(start, after.length - end) };
}

/** Every preferred fix, applied in passes until stable, as one edit; undefined when nothing is fixable. */
export function fixAllEdit(state: LintState): TextEdit | undefined {
  if (!state.findings.some((f) => f.fixes.some((x) => x.preferred))) return undefined;
  const fixed = fixUntilStable(state.text, (text) => (text === state.text ? state.findings : state.relint(text)));
  return minimalEdit(state.text, fixed.text);
}

export function fixAllAction(state: LintState, options: ActionOptions): CodeAction | undefined {
  const edit = fixAllEdit(state);
  if (!edit) return undefined;
  return { title: 'Fix all keepalive-lint problems', kind: FIX_ALL_KIND, edit: versionedEdit(state, [edit], options.documentChanges) };
}

export type { LineIndex };
