/**
 * Parsing YAML files into documents that keep their source ranges. Parsing never throws: a file
 * either yields documents or one problem that says where it broke.
 */
import { Composer, isMap, isScalar, Parser, visit, type CST } from 'yaml';
import type { FileProblem, SourceText } from '../types.ts';
import { MAX_DEPTH, TOO_DEEP_MESSAGE } from '../limits.ts';
import { DocContext, type YamlDocument } from './ast.ts';

export interface ParsedYamlFile {
  readonly path: string;
  readonly text: string;
  readonly docs: readonly DocContext[];
  /** Set when the file cannot be analysed; then `docs` is empty. */
  readonly problem?: FileProblem;
}

/** Whether a CST token nests collections deeper than `limit` (an explicit stack: no recursion). */
function deeperThan(root: CST.Token, limit: number): boolean {
  const tokens: (CST.Token | null | undefined)[] = [root];
  const depths: number[] = [0];
  while (tokens.length > 0) {
    const token = tokens.pop();
    const depth = depths.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      tokens.push(token.value);
      depths.push(depth);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > limit) return true;
      for (const item of token.items) {
        tokens.push(item.key as CST.Token | null | undefined, item.value);
        depths.push(depth + 1, depth + 1);
      }
    }
  }
  return false;
}

/**
 * One `---`-separated stretch of a file and the documents parsed from it. Kept so that the next
 * version of an edited file re-parses only the stretches whose text changed.
 */
interface Segment {
  readonly start: number;
  readonly text: string;
  readonly docs: readonly YamlDocument[];
}

/** What a parse keeps for the next one; `consumed` once a later parse has taken its documents. */
interface Reusable {
  readonly segments: readonly Segment[];
  consumed: boolean;
}

const reusable = new WeakMap<ParsedYamlFile, Reusable>();

/** A `---` at the start of a line always starts a document, even inside a block scalar or a quoted string. */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;
/** Directives carry over to the next document and `...` ends one: files with them are parsed whole. */
const NOT_SEGMENTABLE = /^(?:%|\.\.\.(?:[ \t\r\n]|$))/m;

function segmentStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(DOCUMENT_START)) if (match.index > 0) starts.push(match.index);
  return starts;
}

type Composed = { docs: YamlDocument[] } | { tooDeep: true } | { failed: string };

/** Parses `text.slice(start, end)` with offsets that count from the start of `text`. */
function compose(text: string, start: number, end: number): Composed {
  let tooDeep = false;
  try {
    // parseAllDocuments, in its two steps: the CST parser (no recursion) and the composer
    // (recursive), so that a document deeper than MAX_DEPTH never reaches the composer.
    const parser = new Parser();
    parser.offset = start;
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    const checked = function* () {
      for (const token of parser.parse(start === 0 && end === text.length ? text : text.slice(start, end))) {
        if (deeperThan(token, MAX_DEPTH)) {
          tooDeep = true;
          return;
        }
        yield token;
      }
    };
    const docs = Array.from(composer.compose(checked()));
    return tooDeep ? { tooDeep } : { docs };
  } catch (error) {
    // The yaml package reports problems as document errors; a throw here would be its own bug.
    return { failed: String(error) };
  }
}

/** Moves a parsed document by `delta` characters: every range in it (the documents are its own, see parseYamlFile). */
function shift(doc: YamlDocument, delta: number): void {
  const move = (range: number[] | null | undefined): void => {
    if (range) for (let i = 0; i < range.length; i++) range[i]! += delta;
  };
  move(doc.range);
  for (const problem of [...doc.errors, ...doc.warnings]) move(problem.pos);
  visit(doc, (_key, node) => {
    move((node as { range?: number[] | null }).range);
  });
}

/**
 * Parses a YAML file. With `previous` (the parse of an earlier text of the same file), documents
 * whose text did not change are taken over from it instead of parsed again — moved when an edit
 * before them changed the length — so a keystroke in a 2,000-line multi-document file costs the
 * parse of one document. The previous parse gives its documents away: it must not be used after.
 */
export function parseYamlFile(source: SourceText, previous?: ParsedYamlFile): ParsedYamlFile {
  return parseSegments(source, previous, !NOT_SEGMENTABLE.test(source.text));
}

function parseSegments(source: SourceText, previous: ParsedYamlFile | undefined, segmentable: boolean): ParsedYamlFile {
  const { path, text } = source;
  const starts = segmentable ? segmentStarts(text) : [0];
  const old = previous ? reusable.get(previous) : undefined;
  const available = new Map<string, Segment[]>();
  if (old && !old.consumed) {
    old.consumed = true;
    for (const segment of old.segments) {
      const list = available.get(segment.text) ?? [];
      list.push(segment);
      available.set(segment.text, list);
    }
  }
  const segments: Segment[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = starts[i + 1] ?? text.length;
    const piece = starts.length === 1 ? text : text.slice(start, end);
    const candidates = available.get(piece);
    const same = candidates?.findIndex((segment) => segment.start === start) ?? -1;
    const taken = candidates && candidates.length > 0 ? candidates.splice(same >= 0 ? same : 0, 1)[0] : undefined;
    if (taken) {
      if (taken.start !== start) for (const doc of taken.docs) shift(doc, start - taken.start);
      segments.push({ start, text: piece, docs: taken.docs });
      continue;
    }
    const composed = compose(text, start, end);
    if ('failed' in composed) {
      return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML parser failed: ${composed.failed}`, range: { start: 0, end: 0 } } };
    }
    if ('tooDeep' in composed) return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML: ${TOO_DEEP_MESSAGE}`, range: { start: 0, end: 0 } } };
    // An error may depend on what comes before (an unclosed flow collection, say): report what a whole-file parse reports.
    if (starts.length > 1 && composed.docs.some((doc) => doc.errors.length > 0)) return parseSegments(source, undefined, false);
    segments.push({ start, text: piece, docs: composed.docs });
  }
  const list = segments.flatMap((segment) => segment.docs);
  for (const doc of list) {
    const error = doc.errors[0];
    // The yaml package turns a stack overflow into a document error at wherever the stack ran out,
    // which depends on the engine's state: report it the same way every time.
    if (doc.errors.some((e) => /call stack/i.test(e.message))) {
      return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML: ${TOO_DEEP_MESSAGE}`, range: { start: 0, end: 0 } } };
    }
    if (error) {
      const [start, end] = error.pos;
      const message = error.message.split('\n')[0] ?? error.message;
      return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML syntax error: ${message}`, range: { start, end: Math.max(start, end) } } };
    }
  }
  const parsed: ParsedYamlFile = { path, text, docs: list.map((doc, index) => new DocContext(doc, path, text, index)) };
  if (segmentable) reusable.set(parsed, { segments, consumed: false });
  return parsed;
}

const TEMPLATE_MARKER = /\{\{[-~]?\s*(?:[.$"(/]|[a-zA-Z_]+\b)/;

/**
 * Whether a file is a Go/Helm (or mustache) template rather than a manifest. `{{` inside quoted or
 * block strings (Grafana legends, Alertmanager templates) is data, not template structure.
 */
export function isTemplatedYaml(text: string, parsed: ParsedYamlFile): boolean {
  if (!TEMPLATE_MARKER.test(text)) return false;
  if (parsed.problem) return true;
  let templated = false;
  for (const { doc } of parsed.docs) {
    visit(doc, (_key, node) => {
      if (isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'string' && node.value.includes('{{')) {
        templated = true;
        return visit.BREAK;
      }
      // `{{ .Values.x }}` written unquoted parses as a flow map whose only key is another flow map.
      if (isMap(node) && node.flow && node.range && text.startsWith('{{', node.range[0])) {
        templated = true;
        return visit.BREAK;
      }
      return undefined;
    });
    if (templated) return true;
  }
  return false;
}
