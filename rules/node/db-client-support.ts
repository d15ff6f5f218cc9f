/**
 * Helpers for node/db-client-keepalive: what a constructor argument is (options, a connection
 * string, a port), what a connection URL says (scheme, hosts, query), whether a client talks to
 * loopback or a Unix socket (no middlebox on the path), whether it is closed in the function that
 * made it (short-lived), the versions read, and option edits that follow the file's style.
 */
import ts from 'typescript';
import type { CodeRuleContext } from '../rule.ts';
import { addProperties } from '../ts/edit.ts';
import { fold, type OptionValue, type Options } from '../ts/fold.ts';
import type { TextEdit } from '../types.ts';
import { callsOn, functionScope, storageOf } from './track.ts';
import { formatSemver, type Semver } from './versions.ts';

/** A string argument: fully static (`literal`), or with a known static prefix (`head`) and static parts. */
export interface StringArg {
  readonly kind: 'string';
  /** The whole value when it is static. */
  readonly literal: string | undefined;
  /** The static prefix ('' when nothing of it is visible). */
  readonly head: string;
  /** The static parts joined with NUL: enough to look for `tls=true` in a template. */
  readonly known: string;
}

export type Arg =
  | { readonly kind: 'none' }
  | { readonly kind: 'options'; readonly options: Options }
  | StringArg
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'unknown' };

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}

/** `process.env.X` / `process.env['X']`: always a string (or undefined) whose text we cannot see. */
function isEnvRead(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return false;
  const env = unwrap(node.expression);
  return ts.isPropertyAccessExpression(env) && env.name.text === 'env' && ts.isIdentifier(env.expression) && env.expression.text === 'process';
}

/** What an argument is: folded options, a string (static, templated or from the environment), a number, or unknown. */
export function classify(expression: ts.Expression | undefined, context: CodeRuleContext): Arg {
  if (!expression) return { kind: 'none' };
  const value = fold(expression, context.consts);
  if (value.kind === 'object') return { kind: 'options', options: value.options };
  if (value.kind === 'string') return { kind: 'string', literal: value.value, head: value.value, known: value.value };
  if (value.kind === 'number') return { kind: 'number', value: value.value };
  if (value.kind === 'undefined') return { kind: 'none' };
  return stringShape(expression, context);
}

function stringShape(expression: ts.Expression, context: CodeRuleContext, depth = 0): Arg {
  const node = unwrap(expression);
  if (depth > 4) return { kind: 'unknown' };
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)];
    return { kind: 'string', literal: undefined, head: node.head.text, known: parts.join('\u0000') };
  }
  if (isEnvRead(node)) return { kind: 'string', literal: undefined, head: '', known: '' };
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    // `process.env.URL ?? 'redis://localhost'`: a string either way, of unknown text.
    const left = stringShape(node.left, context, depth + 1);
    const right = fold(node.right, context.consts);
    if (left.kind === 'string' && (right.kind === 'string' || stringShape(node.right, context, depth + 1).kind === 'string')) return { kind: 'string', literal: undefined, head: '', known: '' };
    return { kind: 'unknown' };
  }
  if (ts.isIdentifier(node)) {
    const initializer = context.consts.initializer(node.text);
    return initializer ? stringShape(initializer, context, depth + 1) : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}

/** A connection URL as far as it is visible: `scheme://[user@]host[:port][,host…][/path][?query]`. */
export interface ParsedUrl {
  readonly scheme: string;
  readonly hosts: readonly string[];
  readonly query: URLSearchParams;
}

export function parseConnectionUrl(text: string): ParsedUrl | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?([^/?#]*)[^?#]*(?:\?([^#]*))?/i.exec(text.trim());
  if (!match) return undefined;
  const hosts = match[2]!
    .split(',')
    .filter(Boolean)
    .map((host) => (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '')));
  return { scheme: match[1]!.toLowerCase(), hosts, query: new URLSearchParams(match[3] ?? '') };
}

/** Loopback or a Unix socket path: no middlebox between the client and the server. */
export function isLocalHost(host: string): boolean {
  let h = host.toLowerCase();
  try {
    h = decodeURIComponent(h);
  } catch {
    // not percent-encoded: use it as written
  }
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.startsWith('/');
}

/** A static URL whose every host is local (or whose `host`/`socket` query names a Unix socket). */
export function isLocalUrl(text: string): boolean {
  const url = parseConnectionUrl(text);
  if (!url) return false;
  const queryHost = url.query.get('host') ?? url.query.get('socket') ?? url.query.get('socketPath');
  if (queryHost && isLocalHost(queryHost)) return true;
  return url.hosts.length > 0 && url.hosts.every(isLocalHost);
}

/** The value of a string option: its text, absent, or not knowable. */
export function optionString(value: OptionValue): string | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'string' ? value.value : 'unknown';
}

export function optionNumber(value: OptionValue): number | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'number' ? value.value : 'unknown';
}

export function optionBoolean(value: OptionValue): boolean | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'boolean' ? value.value : 'unknown';
}

/** An option read from a literal, or absent when there are no options at all. */
export function getter(options: Options | undefined): (name: string) => OptionValue {
  return (name) => (options ? options.get(name) : { kind: 'absent' });
}

const CLOSE_METHODS = ['end', 'quit', 'disconnect', 'close', 'destroy'] as const;

/**
 * A client held in a local variable and closed (`end`/`quit`/`close`/…) directly in the function that
 * made it lives for one unit of work: it does not sit idle in a pool. Closing it from a callback
 * (a shutdown handler) does not count.
 */
export function isShortLived(sourceFile: ts.SourceFile, expression: ts.Expression): boolean {
  const storage = storageOf(expression);
  if (storage.kind !== 'variable' || ts.isSourceFile(storage.scope)) return false;
  return callsOn(sourceFile, storage, CLOSE_METHODS).some((call) => functionScope(call) === storage.scope);
}

export interface LibraryVersion {
  readonly version: Semver | undefined;
  /** `ioredis 5.3.2, read from package-lock.json` or `ioredis version not found: assuming 6.x defaults`. */
  readonly label: string;
}

export function libraryVersion(context: CodeRuleContext, name: string, assumed: string): LibraryVersion {
  const fact = context.versions.libraries.get(name);
  if (!fact) return { version: undefined, label: `${name} version not found: assuming ${assumed} defaults` };
  return { version: fact.version, label: `${name} ${formatSemver(fact.version)}, read from ${fact.source}` };
}

/** `Node 20.11.0, read from engines.node in package.json`, or the unknown case. */
export function nodeLabel(context: CodeRuleContext): string {
  const node = context.versions.node;
  return node
    ? `Node ${formatSemver(node.version)}, read from ${node.source}`
    : 'the Node version is unknown, so it may be older: no engines.node, .nvmrc, .node-version or Dockerfile FROM node:N was found';
}

export function atLeast(version: Semver | undefined, major: number, minor = 0): boolean {
  return version === undefined || version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * Sets options in a literal: replaces the values of those present (a shorthand `{ keepAlive }`
 * becomes `keepAlive: value`) and adds the missing ones together, so the edits never collide.
 */
export function setOptions(sourceFile: ts.SourceFile, options: Options, pairs: readonly (readonly [string, string])[]): TextEdit[] {
  const edits: TextEdit[] = [];
  const missing: (readonly [string, string])[] = [];
  for (const [name, value] of pairs) {
    const existing = options.expression(name);
    if (!existing) {
      missing.push([name, value]);
      continue;
    }
    const parent = existing.parent;
    if (parent && ts.isShorthandPropertyAssignment(parent)) {
      edits.push({ start: parent.getStart(sourceFile), end: parent.getEnd(), newText: `${name}: ${value}` });
    } else if (existing.getText(sourceFile) !== value) {
      edits.push({ start: existing.getStart(sourceFile), end: existing.getEnd(), newText: value });
    }
  }
  if (missing.length > 0) edits.push(addProperties(sourceFile, options.node, missing));
  return edits;
}
