/**
 * The edits behind the editor's "disable" code actions: a `keepalive-lint-disable-next-line` comment
 * above a finding, a `keepalive-lint-disable-file` comment at the top of the file, and the
 * `keepalive-lint.io/ignore` annotation on a workload. Keyed on rule ids, like the suppressions in
 * suppress.ts that read them. Pure: text and parsed files in, offset edits out.
 */
import ts from 'typescript';
import { isScalar, visit } from 'yaml';
import type { Workload } from './k8s/model.ts';
import { IGNORE_ANNOTATION } from './suppress.ts';
import type { ParsedTsFile } from './ts/parse.ts';
import type { Finding, Fix, TextEdit } from './types.ts';
import { nodeRange } from './yaml/ast.ts';
import { addToPairMap, lineStart, replaceScalar, setEntry } from './yaml/edit.ts';
import type { ParsedYamlFile } from './yaml/parse.ts';

export type SuppressTarget = { readonly kind: 'yaml'; readonly file: ParsedYamlFile } | { readonly kind: 'code'; readonly file: ParsedTsFile };

function commentToken(target: SuppressTarget): '#' | '//' {
  return target.kind === 'yaml' ? '#' : '//';
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The line before the one starting at `start`, without its line break; undefined on the first line. */
function previousLine(text: string, start: number): { start: number; end: number } | undefined {
  if (start === 0) return undefined;
  let end = start - 1; // the '\n'
  if (end > 0 && text[end - 1] === '\r') end--;
  return { start: lineStart(text, end), end };
}

/** A comment line inserted here would become part of a string: a YAML block scalar, a template literal, JSX text. */
function insideText(target: SuppressTarget, offset: number): boolean {
  if (target.kind === 'yaml') {
    let inside = false;
    for (const ctx of target.file.docs) {
      visit(ctx.doc, (_key, node) => {
        if (!isScalar(node)) return undefined;
        const range = nodeRange(node);
        if (range && range.start < offset && offset < range.end) {
          inside = true;
          return visit.BREAK;
        }
        return undefined;
      });
      if (inside) return true;
    }
    return false;
  }
  let inside = false;
  const walk = (node: ts.Node): void => {
    if (inside || node.getStart(target.file.sourceFile) >= offset || node.getEnd() <= offset) return;
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteral(node) || ts.isJsxElement(node) || ts.isJsxFragment(node) || ts.isJsxSelfClosingElement(node)) {
      inside = true;
      return;
    }
    ts.forEachChild(node, walk);
  };
  walk(target.file.sourceFile);
  return inside;
}

const DIRECTIVE_LINE = /^([ \t]*(?:#|\/\/)[ \t]*keepalive-lint-disable-next-line)\b(.*?)[ \t]*$/;

/**
 * "Disable <id> for this line": a `# keepalive-lint-disable-next-line <id>` (`//` in code) above the
 * line where the finding starts, at that line's indentation; or the id added to a directive already
 * there. Undefined where a comment line cannot go (inside a multi-line string or JSX).
 */
export function disableLineFix(target: SuppressTarget, finding: Finding): Fix | undefined {
  const text = target.file.text;
  const start = lineStart(text, finding.range.start);
  if (insideText(target, start)) return undefined;
  const title = `Disable ${finding.ruleId} for this line`;
  const previous = previousLine(text, start);
  if (previous) {
    const match = DIRECTIVE_LINE.exec(text.slice(previous.start, previous.end));
    const ids = match?.[2]?.replace(/\s--\s.*$/, '').trim();
    if (match && ids) {
      // Add the id to the ids the directive already names (before any `-- reason`).
      const reason = match[2]!.indexOf(' -- ');
      const at = previous.start + match[1]!.length + (reason >= 0 ? reason : match[2]!.trimEnd().length);
      return { title, preferred: false, edits: [{ start: at, end: at, newText: ` ${finding.ruleId}` }] };
    }
  }
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const comment = `${indent}${commentToken(target)} keepalive-lint-disable-next-line ${finding.ruleId}${newlineOf(text)}`;
  return { title, preferred: false, edits: [{ start, end: start, newText: comment }] };
}

/** "Disable <id> for this file": a `keepalive-lint-disable-file <id>` comment on the first line (after a shebang). */
export function disableFileFix(target: SuppressTarget, ruleId: string): Fix {
  const text = target.file.text;
  const newline = newlineOf(text);
  let at = 0;
  if (target.kind === 'code' && text.startsWith('#!')) {
    const end = text.indexOf('\n');
    at = end < 0 ? text.length : end + 1;
  }
  const lead = at === text.length && at > 0 && !text.endsWith('\n') ? newline : '';
  return {
    title: `Disable ${ruleId} for this file`,
    preferred: false,
    edits: [{ start: at, end: at, newText: `${lead}${commentToken(target)} keepalive-lint-disable-file ${ruleId}${newline}` }],
  };
}

/** The workload whose resource holds a finding's start, if any. */
export function workloadAt(workloads: readonly Workload[], offset: number): Workload | undefined {
  return workloads.find((w) => w.resource.range.start <= offset && offset < w.resource.range.end);
}

/**
 * "Add keepalive-lint.io/ignore annotation": the rule id added to the workload's own
 * `metadata.annotations` (creating the map or the key as needed, in the file's style).
 */
export function ignoreAnnotationFix(workload: Workload, ruleId: string): Fix | undefined {
  const { ctx, resource } = workload;
  const title = `Add ${IGNORE_ANNOTATION} annotation for ${ruleId} to ${resource.kind}${resource.name ? ` ${resource.name}` : ''}`;
  const metadata = resource.metadata;
  if (!metadata) return undefined;
  let edit: TextEdit | undefined;
  const annotationsPair = ctx.pair(metadata, 'annotations');
  const annotations = ctx.map(annotationsPair?.value);
  const existing = ctx.pair(annotations, IGNORE_ANNOTATION);
  if (existing) {
    const value = ctx.string(existing.value)?.trim();
    if (value === undefined || value === 'all') return undefined;
    const ids = value.split(/[\s,]+/).filter(Boolean);
    if (ids.includes(ruleId)) return undefined;
    edit = replaceScalar(ctx, ctx.scalar(existing.value), [...ids, ruleId].join(','));
  } else if (annotationsPair) {
    edit = addToPairMap(ctx, annotationsPair, { [IGNORE_ANNOTATION]: ruleId });
  } else {
    edit = setEntry(ctx, metadata, 'annotations', { [IGNORE_ANNOTATION]: ruleId });
  }
  return edit ? { title, preferred: false, edits: [edit] } : undefined;
}
