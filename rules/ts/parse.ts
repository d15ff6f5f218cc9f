/**
 * Parsing TypeScript/JavaScript with the compiler API (no type checker). A cheap textual pre-check
 * skips files that mention no client module, so most of a monorepo is never parsed.
 */
import ts from 'typescript';
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
);

/** Cheap: true when the text names a client module in a string literal (imports, require). */
export function mentionsClientModule(text: string): boolean {
  return MENTIONS_CLIENT_MODULE.test(text);
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

export function parseTsFile(source: SourceText): ParsedTsFile {
  const sourceFile = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, scriptKind(source.path));
  // parseDiagnostics is not in the public typings, but it is how the compiler reports syntax errors.
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
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
