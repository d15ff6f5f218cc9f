/**
 * Code edits that compile and follow the file's style: its quotes, semicolons and indentation.
 */
import ts from 'typescript';
import type { TextEdit } from '../types.ts';
import { fileNodes } from './nodes.ts';

export interface CodeStyle {
  readonly quote: "'" | '"';
  readonly semicolons: boolean;
  /** One level of indentation: two or four spaces, or a tab. */
  readonly indentUnit: string;
  readonly newline: '\n' | '\r\n';
}

const styles = new WeakMap<ts.SourceFile, CodeStyle>();

export function codeStyle(sourceFile: ts.SourceFile): CodeStyle {
  const cached = styles.get(sourceFile);
  if (cached) return cached;
  const text = sourceFile.text;
  const nodes = fileNodes(sourceFile);
  let single = 0;
  // The closing quote: the opening one, in a file that parses, without skipping the trivia before it.
  for (const node of nodes.stringLiterals) if (text.charCodeAt(node.end - 1) === 39 /* ' */) single++;
  const double = nodes.stringLiterals.length - single;
  const statements = nodes.statements.length;
  let withSemicolon = 0;
  for (const node of nodes.statements) if (text[node.getEnd() - 1] === ';') withSemicolon++;
  let tabs = 0;
  let spaced = 0;
  let smallest = Infinity;
  // Counted as they are found: a large file has thousands of indented lines.
  const indent = /^( +|\t+)\S/gm;
  for (let match = indent.exec(text); match; match = indent.exec(text)) {
    const run = match[1]!;
    if (run.startsWith('\t')) tabs++;
    else {
      spaced++;
      smallest = Math.min(smallest, run.length);
    }
  }
  if (spaced === 0) smallest = 2;
  const style: CodeStyle = {
    quote: double > single ? '"' : "'",
    semicolons: statements === 0 || withSemicolon * 2 >= statements,
    indentUnit: tabs > spaced ? '\t' : ' '.repeat(smallest === 4 ? 4 : 2),
    newline: text.includes('\r\n') ? '\r\n' : '\n',
  };
  styles.set(sourceFile, style);
  return style;
}

/** `30000` → `30_000`: numeric separators read better and every supported Node accepts them. */
export function formatMs(ms: number): string {
  const digits = String(Math.round(ms));
  return digits.length > 4 ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, '_') : digits;
}

function indentOfLine(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * Adds `name: value` properties to an object literal, after its last property: on new lines when
 * the literal spans lines, inline otherwise (`{}` becomes `{ name: value }`).
 */
export function addProperties(sourceFile: ts.SourceFile, object: ts.ObjectLiteralExpression, properties: readonly (readonly [string, string])[]): TextEdit {
  const text = sourceFile.text;
  const style = codeStyle(sourceFile);
  const rendered = properties.map(([name, value]) => `${name}: ${value}`);
  const last = object.properties[object.properties.length - 1];
  const closing = object.getEnd() - 1;
  const multiline = text.slice(object.getStart(sourceFile), object.getEnd()).includes('\n');
  if (!last) {
    if (multiline) {
      const indent = indentOfLine(text, closing);
      return { start: object.getStart(sourceFile) + 1, end: closing, newText: `${style.newline}${rendered.map((p) => `${indent}${style.indentUnit}${p},`).join(style.newline)}${style.newline}${indent}` };
    }
    return { start: object.getStart(sourceFile), end: object.getEnd(), newText: `{ ${rendered.join(', ')} }` };
  }
  const afterLast = last.getEnd();
  const trailingComma = object.properties.hasTrailingComma;
  if (multiline) {
    const indent = indentOfLine(text, last.getStart(sourceFile));
    const lines = rendered.map((p) => `${indent}${p},`);
    if (!trailingComma) lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, -1);
    // Insert after the last property (and its comma), keeping comments on that line in place.
    const commaAt = trailingComma ? text.indexOf(',', afterLast) + 1 : afterLast;
    return { start: commaAt, end: commaAt, newText: `${trailingComma ? '' : ','}${style.newline}${lines.join(style.newline)}` };
  }
  return { start: afterLast, end: afterLast, newText: `, ${rendered.join(', ')}` };
}

/** Appends an argument to a call (`f(a)` → `f(a, arg)`, `f()` → `f(arg)`). */
export function appendArgument(sourceFile: ts.SourceFile, call: ts.CallExpression | ts.NewExpression, argument: string): TextEdit | undefined {
  const args = call.arguments;
  if (!args) {
    // `new X` without parentheses
    return { start: call.getEnd(), end: call.getEnd(), newText: `(${argument})` };
  }
  const last = args[args.length - 1];
  if (last) return { start: last.getEnd(), end: last.getEnd(), newText: `, ${argument}` };
  const open = sourceFile.text.indexOf('(', call.expression.getEnd());
  if (open < 0) return undefined;
  return { start: open + 1, end: open + 1, newText: argument };
}

/** The statement that contains `node`, for inserting code on the line after it. */
export function enclosingStatement(node: ts.Node): ts.Statement | undefined {
  let current: ts.Node | undefined = node;
  while (current && !(ts.isExpressionStatement(current) || ts.isVariableStatement(current) || ts.isReturnStatement(current))) {
    if (ts.isSourceFile(current) || ts.isBlock(current)) return undefined;
    current = current.parent;
  }
  return current as ts.Statement | undefined;
}

/** Inserts statements on the lines after `statement`, at its indentation. */
export function insertAfterStatement(sourceFile: ts.SourceFile, statement: ts.Statement, lines: readonly string[]): TextEdit {
  const style = codeStyle(sourceFile);
  const indent = indentOfLine(sourceFile.text, statement.getStart(sourceFile));
  const end = statement.getEnd();
  const body = lines.map((line) => `${indent}${line}`).join(style.newline);
  return { start: end, end, newText: `${style.newline}${body}` };
}

/** A statement terminator in the file's style. */
export function semi(sourceFile: ts.SourceFile): string {
  return codeStyle(sourceFile).semicolons ? ';' : '';
}
