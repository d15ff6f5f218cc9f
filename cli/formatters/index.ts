/** Output formats. Each turns file reports into one string; the CLI decides where it goes. */
import { relative, sep } from 'node:path';
import type { Fix } from '../../rules/types.ts';
import { RULES } from '../../rules/registry.ts';
import type { FileReport, ReportedMessage } from '../report.ts';
import { lineIndexFor, spanOf } from '../report.ts';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatContext {
  readonly cwd: string;
  readonly color: boolean;
  readonly version: string;
}

export function format(name: FormatName, files: readonly FileReport[], context: FormatContext): string {
  switch (name) {
    case 'stylish':
      return stylish(files, context);
    case 'json':
      return `${JSON.stringify(files.map(toEslintJson))}\n`;
    case 'sarif':
      return `${JSON.stringify(sarif(files, context), null, 2)}\n`;
    case 'github':
      return github(files, context);
  }
}

function displayPath(path: string, cwd: string): string {
  if (path.startsWith('<')) return path;
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel.split(sep).join('/') : path;
}

/** One replacement spanning every edit of a fix, as ESLint's `fix: {range, text}` has. */
export function combinedEdit(fix: Fix, text: string): { range: [number, number]; text: string } {
  const edits = [...fix.edits].sort((a, b) => a.start - b.start);
  const start = edits[0]?.start ?? 0;
  const end = edits[edits.length - 1]?.end ?? start;
  let out = '';
  let cursor = start;
  for (const edit of edits) {
    out += text.slice(cursor, edit.start) + edit.newText;
    cursor = edit.end;
  }
  return { range: [start, end], text: out };
}

function toEslintJson(file: FileReport): Record<string, unknown> {
  return {
    filePath: file.filePath,
    messages: file.messages.map((message) => eslintMessage(message, file.text)),
    suppressedMessages: [],
    errorCount: file.errorCount,
    fatalErrorCount: file.fatalErrorCount,
    warningCount: file.warningCount,
    fixableErrorCount: file.fixableErrorCount,
    fixableWarningCount: file.fixableWarningCount,
    ...(file.output !== undefined ? { output: file.output } : {}),
    usedDeprecatedRules: [],
  };
}

function eslintMessage(message: ReportedMessage, text: string): Record<string, unknown> {
  const preferred = message.fixes.find((fix) => fix.preferred);
  const others = message.fixes.filter((fix) => !fix.preferred);
  return {
    ruleId: message.ruleId,
    ...(message.fatal ? { fatal: true } : {}),
    severity: message.severity,
    message: message.message,
    line: message.line,
    column: message.column,
    endLine: message.endLine,
    endColumn: message.endColumn,
    ...(message.messageId ? { messageId: message.messageId } : {}),
    ...(preferred ? { fix: combinedEdit(preferred, text) } : {}),
    ...(others.length > 0 ? { suggestions: others.map((fix) => ({ desc: fix.title, fix: combinedEdit(fix, text) })) } : {}),
    ...(message.related.length > 0 ? { relatedInformation: message.related } : {}),
  };
}

const ANSI = { red: 31, yellow: 33, dim: 2, bold: 1, underline: 4 } as const;

function paint(enabled: boolean, code: keyof typeof ANSI, text: string): string {
  return enabled ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text;
}

function stylish(files: readonly FileReport[], { cwd, color }: FormatContext): string {
  let out = '';
  let errors = 0;
  let warnings = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const file of files) {
    if (file.messages.length === 0) continue;
    errors += file.errorCount;
    warnings += file.warningCount;
    fixableErrors += file.fixableErrorCount;
    fixableWarnings += file.fixableWarningCount;
    out += `\n${paint(color, 'underline', displayPath(file.filePath, cwd))}\n`;
    const rows = file.messages.map((m) => ({
      position: `${m.line}:${m.column}`,
      kind: m.fatal ? 'error' : m.severity === 2 ? 'error' : 'warning',
      message: m.message,
      rule: m.ruleId ?? '',
    }));
    const width = Math.max(...rows.map((r) => r.position.length));
    for (const row of rows) {
      const kind = paint(color, row.kind === 'error' ? 'red' : 'yellow', row.kind.padEnd(7));
      out += `  ${paint(color, 'dim', row.position.padEnd(width))}  ${kind}  ${row.message}${row.rule ? `  ${paint(color, 'dim', row.rule)}` : ''}\n`;
    }
  }
  const total = errors + warnings;
  if (total === 0) return out;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  out += `\n${paint(color, 'bold', paint(color, errors > 0 ? 'red' : 'yellow', summary))}\n`;
  if (fixableErrors + fixableWarnings > 0) {
    out += paint(color, errors > 0 ? 'red' : 'yellow', `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with the \`--fix\` option.`) + '\n';
  }
  return out;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function github(files: readonly FileReport[], { cwd }: FormatContext): string {
  let out = '';
  for (const file of files) {
    for (const m of file.messages) {
      const level = m.severity === 2 ? 'error' : 'warning';
      const props = [
        `file=${escapeProperty(displayPath(file.filePath, cwd))}`,
        `line=${m.line}`,
        `col=${m.column}`,
        `endLine=${m.endLine}`,
        `endColumn=${m.endColumn}`,
        `title=${escapeProperty(m.ruleId ?? 'parse-error')}`,
      ].join(',');
      out += `::${level} ${props}::${escapeData(m.message)}\n`;
    }
  }
  return out;
}

/** A path as a URI reference: every segment percent-encoded (`#`, `?`, `:` and `%` included). */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function sarifLocation(filePath: string, span: { line: number; column: number; endLine: number; endColumn: number }, cwd: string) {
  const path = displayPath(filePath, cwd);
  const relativeToRoot = !path.startsWith('/') && !path.startsWith('<');
  return {
    physicalLocation: {
      artifactLocation: relativeToRoot ? { uri: encodePath(path), uriBaseId: '%SRCROOT%' } : { uri: path.startsWith('/') ? `file://${encodePath(path)}` : encodePath(path) },
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
    },
  };
}

function sarif(files: readonly FileReport[], { cwd, version }: FormatContext): Record<string, unknown> {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  const results: unknown[] = [];
  const notifications: unknown[] = [];
  for (const file of files) {
    for (const m of file.messages) {
      if (m.ruleId === null) {
        notifications.push({ level: 'error', message: { text: m.message }, locations: [sarifLocation(file.filePath, m, cwd)] });
        continue;
      }
      const index = lineIndexFor(file.filePath, file.text);
      const location = sarifLocation(file.filePath, m, cwd);
      results.push({
        ruleId: m.ruleId,
        ruleIndex: ruleIndex.get(m.ruleId) ?? -1,
        level: m.severity === 2 ? 'error' : 'warning',
        message: { text: m.message },
        locations: [location],
        ...(m.related.length > 0
          ? { relatedLocations: m.related.map((r, i) => ({ id: i + 1, message: { text: r.message }, ...sarifLocation(r.filePath, r, cwd) })) }
          : {}),
        ...(m.fixes.length > 0
          ? {
              fixes: m.fixes.map((fix) => ({
                description: { text: fix.title },
                artifactChanges: [
                  {
                    artifactLocation: location.physicalLocation.artifactLocation,
                    replacements: fix.edits.map((edit) => {
                      const span = spanOf(index, edit);
                      return {
                        deletedRegion: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
                        insertedContent: { text: edit.newText },
                      };
                    }),
                  },
                ],
              })),
            }
          : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keepalive-lint',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/keepalive-lint/keepalive-lint',
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.id.replace(/^.*\//, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
              shortDescription: { text: rule.description },
              fullDescription: { text: `${rule.description} ${rule.remediation}` },
              helpUri: rule.docsUrl,
              help: { text: rule.remediation, markdown: `${rule.remediation}\n\n[Rule documentation](${rule.docsUrl})` },
              defaultConfiguration: { level: rule.defaultSeverity === 'error' ? 'error' : 'warning' },
              properties: { tags: ['kubernetes', 'reliability', 'networking'], fixable: rule.fixable },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodePath(cwd.endsWith('/') ? cwd : `${cwd}/`)}` } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
}
