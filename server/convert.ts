/** The edge: offsets become LSP 0-based positions here, findings become diagnostics. */
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { LineIndex } from '../rules/positions.ts';
import { ruleById } from '../rules/registry.ts';
import type { FileProblem, Finding, OffsetRange, TextEdit } from '../rules/types.ts';
import { SOURCE, type DiagnosticData } from './protocol.ts';
import { pathToUri } from './uri.ts';

export function toRange(lines: LineIndex, range: OffsetRange): Range {
  return { start: lines.position(range.start), end: lines.position(range.end) };
}

export function toTextEdits(lines: LineIndex, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((edit) => ({ range: toRange(lines, edit), newText: edit.newText }));
}

export interface ConvertContext {
  readonly lines: LineIndex;
  readonly version: number | null;
  /** LineIndex of another file (for related locations), when its text is known. */
  linesOf(path: string): LineIndex | undefined;
  /** The URI to report for a path (the client's own URI for open documents). */
  uriOf(path: string): string;
  readonly relatedInformation: boolean;
}

export function findingToDiagnostic(finding: Finding, context: ConvertContext): Diagnostic {
  const rule = ruleById(finding.ruleId);
  const data: DiagnosticData = { ruleId: finding.ruleId, messageId: finding.messageId, version: context.version, start: finding.range.start, end: finding.range.end };
  const diagnostic: Diagnostic = {
    range: toRange(context.lines, finding.range),
    severity: finding.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: finding.ruleId,
    source: SOURCE,
    message: finding.message,
    data,
  };
  if (rule) diagnostic.codeDescription = { href: rule.docsUrl };
  if (context.relatedInformation && finding.related.length > 0) {
    const related: DiagnosticRelatedInformation[] = [];
    for (const location of finding.related) {
      const lines = context.linesOf(location.path);
      if (!lines) continue;
      related.push({ location: { uri: context.uriOf(location.path), range: toRange(lines, location.range) }, message: location.message });
    }
    if (related.length > 0) diagnostic.relatedInformation = related;
  }
  return diagnostic;
}

/** A file that could not be analysed: one quiet diagnostic saying why (the editor's own parser shows the syntax error). */
export function problemToDiagnostic(problem: FileProblem, lines: LineIndex): Diagnostic {
  return {
    range: toRange(lines, problem.range),
    severity: DiagnosticSeverity.Information,
    code: problem.kind,
    source: SOURCE,
    message: `keepalive-lint cannot analyse this file: ${problem.message}`,
  };
}

export { pathToUri };
