/**
 * Parsing YAML files into documents that keep their source ranges. Parsing never throws: a file
 * either yields documents or one problem that says where it broke.
 */
import { Composer, isMap, isScalar, Parser, visit, type CST } from 'yaml';
import type { FileProblem, SourceText } from '../types.ts';
import { MAX_DEPTH, TOO_DEEP_MESSAGE } from '../limits.ts';
import { DocContext } from './ast.ts';

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

export function parseYamlFile(source: SourceText): ParsedYamlFile {
  const { path, text } = source;
  let documents;
  let tooDeep = false;
  try {
    // parseAllDocuments, in its two steps: the CST parser (no recursion) and the composer
    // (recursive), so that a document deeper than MAX_DEPTH never reaches the composer.
    const parser = new Parser();
    const composer = new Composer({ prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
    const checked = function* () {
      for (const token of parser.parse(text)) {
        if (deeperThan(token, MAX_DEPTH)) {
          tooDeep = true;
          return;
        }
        yield token;
      }
    };
    documents = Array.from(composer.compose(checked()));
  } catch (error) {
    // The yaml package reports problems as document errors; a throw here would be its own bug.
    return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML parser failed: ${String(error)}`, range: { start: 0, end: 0 } } };
  }
  if (tooDeep) return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML: ${TOO_DEEP_MESSAGE}`, range: { start: 0, end: 0 } } };
  const list = Array.isArray(documents) ? documents : [];
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
  return { path, text, docs: list.map((doc, index) => new DocContext(doc, path, text, index)) };
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
