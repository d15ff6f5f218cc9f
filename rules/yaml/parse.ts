/**
 * Parsing YAML files into documents that keep their source ranges. Parsing never throws: a file
 * either yields documents or one problem that says where it broke.
 */
import { isMap, isScalar, parseAllDocuments, visit } from 'yaml';
import type { FileProblem, SourceText } from '../types.ts';
import { DocContext } from './ast.ts';

export interface ParsedYamlFile {
  readonly path: string;
  readonly text: string;
  readonly docs: readonly DocContext[];
  /** Set when the file cannot be analysed; then `docs` is empty. */
  readonly problem?: FileProblem;
}

export function parseYamlFile(source: SourceText): ParsedYamlFile {
  const { path, text } = source;
  let documents;
  try {
    documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  } catch (error) {
    // The yaml package reports problems as document errors; a throw here would be its own bug.
    return { path, text, docs: [], problem: { kind: 'parse-error', message: `YAML parser failed: ${String(error)}`, range: { start: 0, end: 0 } } };
  }
  const list = Array.isArray(documents) ? documents : [];
  for (const doc of list) {
    const error = doc.errors[0];
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
