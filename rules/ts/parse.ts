/**
 * Parsing TypeScript/JavaScript with the compiler API (no type checker). A cheap textual pre-check
 * skips files that import no client module, so most of a monorepo is never parsed.
 */
import ts from 'typescript';
import { isStackOverflow, MAX_DEPTH, TOO_DEEP_MESSAGE } from '../limits.ts';
import type { FileProblem, SourceText } from '../types.ts';

export const CODE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

export function isCodePath(path: string): boolean {
  return !/\.d\.[cm]?ts$/.test(path) && CODE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/** Modules whose clients the code rules know. A file naming none of them is not parsed. */
export const CLIENT_MODULES = [
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'undici',
  'agentkeepalive',
  'got',
  '@grpc/grpc-js',
  'ws',
  'pg',
  'mysql2',
  'ioredis',
  'redis',
  '@redis/client',
  'mongodb',
] as const;

const MENTIONS_CLIENT_MODULE = new RegExp(
  `['"\`](?:node:)?(?:${CLIENT_MODULES.map((m) => m.replace(/[/.@-]/g, (c) => `\\${c}`)).join('|')})(?:/[^'"\`]*)?['"\`]`,
  'g',
);

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029;
const isWordChar = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 36 || code === 95 || code === 92 || code > 127;

/**
 * Walks back from `end` over white space to the previous token's last character (-1 at the start).
 * Returns -2 when it cannot tell cheaply, at a comment or a line that may end in a `//` comment:
 * the caller then assumes the worst, so the pre-check never skips a file the rules could report on.
 */
function previousTokenEnd(text: string, end: number): number {
  let i = end - 1;
  let crossedLine = false;
  while (i >= 0 && isSpace(text.charCodeAt(i))) {
    if (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13) crossedLine = true;
    i--;
  }
  if (i < 0) return -1;
  if (i >= 1 && text.charCodeAt(i) === 47 && text.charCodeAt(i - 1) === 42) return -2; // `*/`
  if (crossedLine) {
    for (let j = i; j > 0 && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13; j--) {
      if (text.charCodeAt(j) === 47 && text.charCodeAt(j - 1) === 47) return -2;
    }
  }
  return i;
}

/** The identifier-like word that ends at `end` (inclusive), or '' when there is none. */
function wordEndingAt(text: string, end: number): string {
  let start = end;
  while (start >= 0 && isWordChar(text.charCodeAt(start))) start--;
  // `obj.require(…)` is not the `require` the import table binds; `?.` is (`require?.('x')`).
  return text.slice(start + 1, end + 1);
}

/** Whether the string literal starting at `quote` is a module specifier: `from 'm'`, `import 'm'`, `require('m')`, `import('m')`. */
function isModuleSpecifier(text: string, quote: number): boolean {
  let end = previousTokenEnd(text, quote);
  if (end === -2) return true;
  if (end < 0) return false;
  if (text.charCodeAt(end) === 40 /* ( */) {
    end = previousTokenEnd(text, end);
    if (end === -2) return true;
    if (end >= 1 && text.charCodeAt(end) === 46 /* . */ && text.charCodeAt(end - 1) === 63 /* ? */) {
      end = previousTokenEnd(text, end - 1);
      if (end === -2) return true;
    }
    if (end < 0) return false;
    const word = wordEndingAt(text, end);
    return word === 'require' || word === 'import' || word.includes('\\');
  }
  const word = wordEndingAt(text, end);
  return word === 'from' || word === 'import' || word.includes('\\');
}

/**
 * Cheap: true when the text names a client module as a module specifier (`import … from 'm'`,
 * `import 'm'`, `require('m')`, `import('m')`, `import x = require('m')`, with white space and
 * comments anywhere between). A client module named only as data (`protocol: 'https'`) does not
 * count: the rules find clients through the import table, which binds module specifiers only.
 * Linear in the text; when unsure (a `//` comment may sit in between) it says yes.
 */
export function mentionsClientModule(text: string): boolean {
  MENTIONS_CLIENT_MODULE.lastIndex = 0;
  for (let match = MENTIONS_CLIENT_MODULE.exec(text); match; match = MENTIONS_CLIENT_MODULE.exec(text)) {
    if (isModuleSpecifier(text, match.index)) return true;
    // Resume after the opening quote: the closing quote may open the next specifier.
    MENTIONS_CLIENT_MODULE.lastIndex = match.index + 1;
  }
  return false;
}

export interface ParsedTsFile {
  readonly path: string;
  readonly text: string;
  readonly sourceFile: ts.SourceFile;
  readonly problem?: FileProblem;
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Whether the syntax tree is deeper than `limit` (an explicit stack: no recursion). */
function deeperThan(root: ts.Node, limit: number): boolean {
  const nodes: ts.Node[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    ts.forEachChild(node, (child) => {
      nodes.push(child);
      depths.push(depth + 1);
    });
  }
  return false;
}

const TOO_DEEP: FileProblem = { kind: 'parse-error', message: TOO_DEEP_MESSAGE, range: { start: 0, end: 0 } };

/** The file the parser ran out of stack on: the same problem wherever it happened, and an empty tree. */
function tooDeep(source: SourceText): ParsedTsFile {
  return { path: source.path, text: source.text, sourceFile: ts.createSourceFile(source.path, '', ts.ScriptTarget.Latest, true, scriptKind(source.path)), problem: TOO_DEEP };
}

/** The parse result with its problem: the first syntax error, or too deep when a broken file nests past MAX_DEPTH. */
function withProblem(source: SourceText, sourceFile: ts.SourceFile): ParsedTsFile {
  // parseDiagnostics is not in the public typings, but it is how the compiler reports syntax errors.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  // A broken file deeper than MAX_DEPTH gets the too-deep problem, as it would where the parser ran
  // out of stack: the same answer on every run. (Files that parse are checked by the import table's walk.)
  if (first && deeperThan(sourceFile, MAX_DEPTH)) return { path: source.path, text: source.text, sourceFile, problem: TOO_DEEP };
  if (first) {
    const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
    return {
      path: source.path,
      text: source.text,
      sourceFile,
      problem: { kind: 'parse-error', message: `Syntax error: ${message} (TS${first.code})`, range: { start: first.start, end: first.start + first.length } },
    };
  }
  return { path: source.path, text: source.text, sourceFile };
}

export function parseTsFile(source: SourceText): ParsedTsFile {
  let sourceFile: ts.SourceFile;
  try {
    sourceFile = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, scriptKind(source.path));
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    return tooDeep(source);
  }
  return withProblem(source, sourceFile);
}

/** Trees given to ts.updateSourceFile: it takes their nodes over, so they serve once. */
const updated = new WeakSet<ts.SourceFile>();

const BLOCK = 256;
const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The one edit that turns `oldText` into `newText`: the span between their longest common prefix
 * and suffix. The suffix is cut short where it would overlap the prefix (`aa` → `aaa`: the prefix
 * already covers what a full-length suffix would count again), and neither ends inside a surrogate pair.
 */
export function textChange(oldText: string, newText: string): ts.TextChangeRange {
  const shorter = Math.min(oldText.length, newText.length);
  // Whole blocks first: comparing substrings is much faster than a loop over characters.
  let prefix = 0;
  while (prefix + BLOCK <= shorter && oldText.substring(prefix, prefix + BLOCK) === newText.substring(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(oldText.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = shorter - prefix;
  const oldEnd = oldText.length;
  const newEnd = newText.length;
  while (suffix + BLOCK <= maxSuffix && oldText.substring(oldEnd - suffix - BLOCK, oldEnd - suffix) === newText.substring(newEnd - suffix - BLOCK, newEnd - suffix)) suffix += BLOCK;
  while (suffix < maxSuffix && oldText.charCodeAt(oldEnd - 1 - suffix) === newText.charCodeAt(newEnd - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(oldText.charCodeAt(oldEnd - suffix))) suffix--;
  return ts.createTextChangeRange(ts.createTextSpan(prefix, oldText.length - prefix - suffix), newText.length - prefix - suffix);
}

/**
 * Parses `source` reusing the tree of `previous`, the last parse of the same file, for the nodes the
 * edit leaves alone; the result is the tree a parse from scratch gives. `ts.updateSourceFile` moves
 * and re-parents nodes of the old tree into the new one, so `previous` (and anything holding its
 * nodes) must not be used afterwards. Falls back to a parse from scratch when `previous` is of
 * another path or a file with a problem, or when the incremental parser runs out of stack.
 */
export function reparseTsFile(previous: ParsedTsFile, source: SourceText): ParsedTsFile {
  // A problem file may hold the empty tree of a parser that ran out of stack, or a tree deeper than
  // MAX_DEPTH: neither is worth reusing. A tree already re-parsed once has lost its nodes to the
  // newer tree (and the compiler fails an assertion on a second update).
  if (previous.problem || previous.path !== source.path || updated.has(previous.sourceFile)) return parseTsFile(source);
  if (previous.text === source.text) return previous;
  let sourceFile: ts.SourceFile;
  try {
    updated.add(previous.sourceFile);
    sourceFile = ts.updateSourceFile(previous.sourceFile, source.text, textChange(previous.text, source.text));
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    // Where the incremental parser overflowed a parse from scratch may not: give the answer it gives.
    return parseTsFile(source);
  }
  return withProblem(source, sourceFile);
}
