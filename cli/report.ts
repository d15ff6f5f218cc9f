/** Core results turned into what formatters print: 1-based lines and columns, counts. */
import type { FileLintResult } from '../rules/lint.ts';
import { LineIndex } from '../rules/positions.ts';
import type { Finding, Fix, OffsetRange } from '../rules/types.ts';

export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RelatedSpan extends Span {
  readonly filePath: string;
  readonly message: string;
}

export interface ReportedMessage extends Span {
  readonly ruleId: string | null;
  readonly messageId?: string;
  readonly severity: 1 | 2;
  readonly message: string;
  readonly fatal?: true;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedSpan[];
}

export interface FileReport {
  /** Absolute path, or `<stdin>`-style name. */
  readonly filePath: string;
  readonly text: string;
  readonly messages: readonly ReportedMessage[];
  /** The fixed text, when --fix or --fix-dry-run changed it. */
  readonly output?: string;
  readonly errorCount: number;
  readonly warningCount: number;
  readonly fatalErrorCount: number;
  readonly fixableErrorCount: number;
  readonly fixableWarningCount: number;
}

const indexCache = new Map<string, LineIndex>();

/** Line index of a file by path, built once per text. */
export function lineIndexFor(path: string, text: string): LineIndex {
  const cached = indexCache.get(path);
  if (cached && cached.text === text) return cached;
  const index = new LineIndex(text);
  indexCache.set(path, index);
  return index;
}

export function spanOf(index: LineIndex, range: OffsetRange): Span {
  const start = index.position(range.start);
  const end = index.position(range.end);
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

export function toFileReport(
  result: FileLintResult,
  text: string,
  textOf: (path: string) => string | undefined,
  options: { quiet: boolean; output?: string },
): FileReport {
  const messages: ReportedMessage[] = [];
  // Most files of a large run have nothing to report: no line index for them.
  if (result.problem || result.findings.length > 0) {
    const index = lineIndexFor(result.path, text);
    if (result.problem) {
      messages.push({ ruleId: null, severity: 2, fatal: true, message: result.problem.message, ...spanOf(index, result.problem.range), fixes: [], related: [] });
    }
    for (const finding of result.findings) {
      if (options.quiet && finding.severity !== 'error') continue;
      messages.push(toMessage(finding, index, textOf));
    }
  }
  let errorCount = 0;
  let warningCount = 0;
  let fixableErrorCount = 0;
  let fixableWarningCount = 0;
  for (const message of messages) {
    const fixable = message.fixes.some((fix) => fix.preferred);
    if (message.severity === 2) {
      errorCount++;
      if (fixable) fixableErrorCount++;
    } else {
      warningCount++;
      if (fixable) fixableWarningCount++;
    }
  }
  return {
    filePath: result.path,
    text,
    messages,
    ...(options.output !== undefined ? { output: options.output } : {}),
    errorCount,
    warningCount,
    fatalErrorCount: result.problem ? 1 : 0,
    fixableErrorCount,
    fixableWarningCount,
  };
}

function toMessage(finding: Finding, index: LineIndex, textOf: (path: string) => string | undefined): ReportedMessage {
  const related: RelatedSpan[] = [];
  for (const location of finding.related) {
    const relatedText = textOf(location.path);
    if (relatedText === undefined) continue;
    related.push({ filePath: location.path, message: location.message, ...spanOf(lineIndexFor(location.path, relatedText), location.range) });
  }
  return {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    severity: finding.severity === 'error' ? 2 : 1,
    message: finding.message,
    ...spanOf(index, finding.range),
    fixes: finding.fixes,
    related,
  };
}
