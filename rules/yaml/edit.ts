/**
 * Text edits on YAML source that keep comments, key order and the file's own indentation style.
 * Edits are computed against the original text; a fix's edits never overlap.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { OffsetRange, TextEdit } from '../types.ts';
import { nodeRange, type DocContext } from './ast.ts';

export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

export interface YamlStyle {
  /** Spaces per nesting level (2 or 4 in practice). */
  readonly indent: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false). */
  readonly indentedSequences: boolean;
  readonly newline: '\n' | '\r\n';
}

const styleCache = new WeakMap<DocContext, YamlStyle>();

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** Whether only spaces stand before `offset` on its line. */
function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** The end of the last non-blank character of a block, so an insertion lands right after its content. */
function contentEnd(text: string, range: OffsetRange): number {
  let end = range.end;
  while (end > range.start && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/** Reads indentation step and sequence style off the document's own block collections. */
export function detectStyle(ctx: DocContext): YamlStyle {
  const cached = styleCache.get(ctx);
  if (cached) return cached;
  const text = ctx.text;
  let indent: number | undefined;
  let indentedSequences: boolean | undefined;
  const visitNode = (node: unknown, depth: number): void => {
    if (depth > 40 || (indent !== undefined && indentedSequences !== undefined)) return;
    if (isMap(node) && !node.flow) {
      for (const pair of node.items) {
        const keyRange = nodeRange(pair.key);
        const value = pair.value;
        if (keyRange && startsLine(text, keyRange.start)) {
          const valueRange = nodeRange(value);
          if (valueRange && isMap(value) && !value.flow && indent === undefined && startsLine(text, valueRange.start)) {
            const step = column(text, valueRange.start) - column(text, keyRange.start);
            if (step > 0) indent = step;
          }
          if (valueRange && isSeq(value) && !value.flow && indentedSequences === undefined) {
            indentedSequences = column(text, valueRange.start) > column(text, keyRange.start);
          }
        }
        visitNode(value, depth + 1);
      }
    } else if (isSeq(node) && !node.flow) {
      for (const item of node.items) visitNode(item, depth + 1);
    }
  };
  visitNode(ctx.doc.contents, 0);
  const style: YamlStyle = {
    indent: indent ?? 2,
    indentedSequences: indentedSequences ?? false,
    newline: text.includes('\r\n') ? '\r\n' : '\n',
  };
  styleCache.set(ctx, style);
  return style;
}

const PLAIN_SAFE = /^(?:[A-Za-z_/]|-(?=[A-Za-z]))[\w./:@+=-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;

export function formatScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  if (PLAIN_SAFE.test(value) && !RESERVED.test(value) && !value.endsWith(':')) return value;
  return JSON.stringify(value);
}

function pad(n: number): string {
  return ' '.repeat(n);
}

function isCollection(value: YamlValue): value is readonly YamlValue[] | { readonly [key: string]: YamlValue } {
  return typeof value === 'object';
}

/** Block lines for the entries of a mapping whose keys sit at column `col`. */
export function renderMapLines(value: { readonly [key: string]: YamlValue }, col: number, style: YamlStyle): string[] {
  const lines: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    lines.push(...renderEntryLines(key, child, col, style));
  }
  return lines;
}

function renderEntryLines(key: string, child: YamlValue, col: number, style: YamlStyle): string[] {
  const head = `${pad(col)}${formatScalar(key)}:`;
  if (!isCollection(child)) return [`${head} ${formatScalar(child)}`];
  if (Array.isArray(child)) {
    if (child.length === 0) return [`${head} []`];
    return [head, ...renderSeqLines(child, col + (style.indentedSequences ? style.indent : 0), style)];
  }
  const map = child as { readonly [key: string]: YamlValue };
  if (Object.keys(map).length === 0) return [`${head} {}`];
  return [head, ...renderMapLines(map, col + style.indent, style)];
}

/** Block lines for sequence items whose dashes sit at column `col`. */
export function renderSeqLines(items: readonly YamlValue[], col: number, style: YamlStyle): string[] {
  const lines: string[] = [];
  for (const item of items) {
    if (!isCollection(item)) {
      lines.push(`${pad(col)}- ${formatScalar(item)}`);
    } else if (Array.isArray(item)) {
      const inner = renderSeqLines(item, col + 2, style);
      lines.push(`${pad(col)}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    } else {
      const inner = renderMapLines(item as { readonly [key: string]: YamlValue }, col + 2, style);
      lines.push(`${pad(col)}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    }
  }
  return lines;
}

/**
 * Adds entries to the mapping held by `pair` (or to `map` directly): before its first key that starts
 * a line, at that key's indentation; into a flow mapping; or as a new block under an empty value.
 */
export function insertIntoMap(
  ctx: DocContext,
  map: YAMLMap<unknown, unknown>,
  entries: { readonly [key: string]: YamlValue },
): TextEdit | undefined {
  const text = ctx.text;
  const style = detectStyle(ctx);
  if (map.flow) return insertIntoFlow(text, map, entries);
  for (const pair of map.items) {
    const keyRange = nodeRange(pair.key);
    if (keyRange && startsLine(text, keyRange.start)) {
      const at = lineStart(text, keyRange.start);
      const lines = renderMapLines(entries, keyRange.start - at, style);
      return { start: at, end: at, newText: lines.join(style.newline) + style.newline };
    }
  }
  // Every key follows a `- ` on its line (a one-key item map): add after the map's content.
  const first = nodeRange(map.items[0]?.key);
  const range = nodeRange(map);
  if (!first || !range) return undefined;
  const at = contentEnd(text, range);
  const lines = renderMapLines(entries, column(text, first.start), style);
  return { start: at, end: at, newText: style.newline + lines.join(style.newline) };
}

function insertIntoFlow(text: string, collection: YAMLMap<unknown, unknown> | YAMLSeq<unknown>, value: YamlValue): TextEdit | undefined {
  const range = nodeRange(collection);
  if (!range) return undefined;
  const close = text.lastIndexOf(isMap(collection) ? '}' : ']', range.end);
  if (close < range.start) return undefined;
  const body = isMap(collection)
    ? Object.entries(value as { [key: string]: YamlValue }).map(([k, v]) => `${formatScalar(k)}: ${flowValue(v)}`).join(', ')
    : (value as readonly YamlValue[]).map(flowValue).join(', ');
  const empty = /^[[{]\s*$/.test(text.slice(range.start, close));
  return { start: close, end: close, newText: empty ? body : `, ${body}` };
}

export function flowValue(value: YamlValue): string {
  if (!isCollection(value)) return formatScalar(value);
  if (Array.isArray(value)) return `[${value.map(flowValue).join(', ')}]`;
  return `{${Object.entries(value as { [key: string]: YamlValue }).map(([k, v]) => `${formatScalar(k)}: ${flowValue(v)}`).join(', ')}}`;
}

/** Appends items to a sequence, after its last item, at the dash column of its first. */
export function appendToSeq(ctx: DocContext, seq: YAMLSeq<unknown>, items: readonly YamlValue[]): TextEdit | undefined {
  const text = ctx.text;
  const style = detectStyle(ctx);
  if (seq.flow) return insertIntoFlow(text, seq, items);
  const range = nodeRange(seq);
  if (!range || seq.items.length === 0) return undefined;
  const dashCol = column(text, range.start);
  const at = contentEnd(text, range);
  return { start: at, end: at, newText: style.newline + renderSeqLines(items, dashCol, style).join(style.newline) };
}

/**
 * Sets `key` under the mapping in `pair.value` when that value is empty (`key:` or `key: {}`), as a
 * block under the pair's key.
 */
export function fillEmptyValue(ctx: DocContext, pair: Pair<Scalar, unknown>, value: YamlValue): TextEdit | undefined {
  const text = ctx.text;
  const style = detectStyle(ctx);
  const keyRange = nodeRange(pair.key);
  if (!keyRange) return undefined;
  const node = pair.value as Node | null;
  const valueRange = nodeRange(node);
  const col = column(text, keyRange.start);
  const empty = node === null || (isScalar(node) && (node.value === null || node.value === undefined));
  if (!isCollection(value)) {
    const colon = text.indexOf(':', keyRange.end);
    return empty && colon >= 0 ? { start: colon + 1, end: colon + 1, newText: ` ${formatScalar(value)}` } : undefined;
  }
  const lines = Array.isArray(value)
    ? renderSeqLines(value, col + (style.indentedSequences ? style.indent : 0), style)
    : renderMapLines(value as { [key: string]: YamlValue }, col + style.indent, style);
  if (empty) {
    const at = valueRange ? valueRange.start : keyRange.end + 1;
    // `key:` may be followed by spaces or a comment; the block goes on the next lines.
    const lineEnd = text.indexOf('\n', keyRange.end);
    const insertAt = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    return { start: Math.max(at, insertAt), end: Math.max(at, insertAt), newText: style.newline + lines.join(style.newline) };
  }
  if ((isMap(node) || isSeq(node)) && node.flow && node.items.length === 0 && valueRange) {
    // Replace from just after the colon so no trailing space is left behind.
    const colon = text.indexOf(':', keyRange.end);
    const start = colon >= 0 && colon < valueRange.start ? colon + 1 : valueRange.start;
    return { start, end: valueRange.end, newText: style.newline + lines.join(style.newline) };
  }
  return undefined;
}

/** Adds entries to the mapping under `pair`: into it when it has entries, as a new block when it is empty. */
export function addToPairMap(ctx: DocContext, pair: Pair<Scalar, unknown>, entries: { readonly [key: string]: YamlValue }): TextEdit | undefined {
  const map = ctx.map(pair.value);
  if (map && map.items.length > 0) return insertIntoMap(ctx, map, entries);
  return fillEmptyValue(ctx, pair, entries);
}

/** Adds `key: value` to `map`, or into the empty value of an existing `key:`. */
export function setEntry(
  ctx: DocContext,
  map: YAMLMap<unknown, unknown>,
  key: string,
  value: YamlValue,
): TextEdit | undefined {
  const existing = ctx.pair(map, key);
  if (!existing) return insertIntoMap(ctx, map, { [key]: value });
  return fillEmptyValue(ctx, existing, value);
}

/** The whole lines of one block-sequence item, dash to last line, for deletion. */
export function seqItemLines(ctx: DocContext, item: Node): OffsetRange | undefined {
  const text = ctx.text;
  const range = nodeRange(item);
  if (!range) return undefined;
  let dash = range.start - 1;
  while (dash >= 0 && (text[dash] === ' ' || text[dash] === '\t')) dash--;
  if (dash < 0 || text[dash] !== '-' || !startsLine(text, dash)) return undefined;
  return wholeLines(text, { start: dash, end: range.end });
}

/** The whole lines of one block-mapping pair, for deletion. */
export function pairLines(ctx: DocContext, pair: Pair<unknown, unknown>): OffsetRange | undefined {
  const keyRange = nodeRange(pair.key);
  if (!keyRange || !startsLine(ctx.text, keyRange.start)) return undefined;
  return wholeLines(ctx.text, { start: keyRange.start, end: nodeRange(pair.value)?.end ?? keyRange.end });
}

function wholeLines(text: string, range: OffsetRange): OffsetRange {
  const end = contentEnd(text, range);
  const newline = text.indexOf('\n', end);
  return { start: lineStart(text, range.start), end: newline < 0 ? text.length : newline + 1 };
}

/** Replaces a scalar with new text, keeping its quoting style when it was quoted. */
export function replaceScalar(ctx: DocContext, node: unknown, value: string): TextEdit | undefined {
  const range = nodeRange(node);
  if (!range || !isScalar(node)) return undefined;
  const quoted = node.type === 'QUOTE_SINGLE' ? `'${value}'` : node.type === 'QUOTE_DOUBLE' ? JSON.stringify(value) : formatScalar(value);
  return { start: range.start, end: range.end, newText: quoted };
}

/** Sorts a fix's edits and merges touching ones into one, so they apply in any editor. */
export function normaliseEdits(text: string, edits: readonly (TextEdit | undefined)[]): TextEdit[] | undefined {
  if (edits.some((e) => e === undefined)) return undefined;
  const sorted = [...(edits as TextEdit[])].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const last = merged[merged.length - 1];
    if (last && edit.start < last.end) return undefined;
    if (last && edit.start === last.end) {
      merged[merged.length - 1] = { start: last.start, end: edit.end, newText: last.newText + text.slice(last.end, edit.start) + edit.newText };
    } else {
      merged.push(edit);
    }
  }
  return merged;
}
