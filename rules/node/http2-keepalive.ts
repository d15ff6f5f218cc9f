/**
 * node/http2-keepalive: `http2.connect` sessions kept beyond one exchange with no idle close
 * (`session.setTimeout(ms, () => session.close())`), no PING interval, and no `createConnection`
 * that enables TCP keepalive. Node's HTTP/2 client does none of the three by itself.
 */
import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import type { Fix, TextEdit } from '../types.ts';
import { formatMs, semi } from '../ts/edit.ts';
import { fold, propertyName, type Folded, type Options } from '../ts/fold.ts';
import { effectiveProbeSeconds, isSafe, verdictText, type Liveness } from './liveness.ts';
import {
  clientCalls,
  closedInCreatingScope,
  functionNamed,
  functionOf,
  handlerCloses,
  heartbeatIntervals,
  idleCap,
  insertAfterStoring,
  isKept,
  isLoopbackHost,
  keptText,
  targetText,
  track,
  type Tracked,
} from './socket-keepalive-support.ts';
import { creationRange } from './track.ts';
import { mayBeBelow } from './versions.ts';

type MessageId = 'unsafe';

const SESSION_CLOSE_METHODS = ['close', 'destroy'];

function isHttp2Connect(context: CodeRuleContext, node: ts.CallExpression): boolean {
  const ref = context.imports.resolve(node.expression);
  return ref?.module === 'http2' && ref.path.length === 1 && ref.path[0] === 'connect';
}

function isFunctionLike(expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The host an authority names: `https://api:8443` → `api`; undefined when it is not a URL. */
function authorityHost(authority: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/:?#]*)/i.exec(authority.trim());
  return match ? match[1] : undefined;
}

/** Whether the session goes to another machine: loopback authorities pass no NAT. */
function isRemote(authority: Folded): boolean {
  if (authority.kind === 'string') {
    const host = authorityHost(authority.value);
    return host === undefined || !isLoopbackHost(host);
  }
  if (authority.kind === 'object') {
    const host = authority.options.get('hostname').kind !== 'absent' ? authority.options.get('hostname') : authority.options.get('host');
    if (host.kind === 'string') return !isLoopbackHost(host.value.replace(/:\d+$/, ''));
    return true;
  }
  return true; // from configuration or the environment: another machine
}

/** The `createConnection` option: absent, a visible function, or unknown (then nothing is reported). */
function createConnectionOf(options: Options, context: CodeRuleContext): ts.FunctionLikeDeclaration | 'absent' | 'unknown' {
  const { sourceFile } = context.file;
  let found: ts.FunctionLikeDeclaration | 'absent' | 'unknown' = 'absent';
  for (const property of options.node.properties) {
    if (ts.isSpreadAssignment(property)) return 'unknown';
    const name = property.name ? propertyName(property.name) : undefined;
    if (name === undefined) return 'unknown';
    if (name !== 'createConnection') continue;
    if (ts.isMethodDeclaration(property)) found = property.body ? property : 'unknown';
    else if (ts.isPropertyAssignment(property)) found = functionOf(property.initializer, sourceFile, context.consts) ?? 'unknown';
    else if (ts.isShorthandPropertyAssignment(property)) found = functionNamed(sourceFile, property.name.text, context.consts) ?? 'unknown';
    else found = 'unknown';
  }
  return found;
}

/**
 * The keepalive delays a `createConnection` function sets on the socket it makes: `setKeepAlive(true, ms)`
 * calls, or `keepAlive`/`keepAliveInitialDelay` options of the net (or, from Node 24.15, tls) call.
 * 'unknown' when it makes the socket somewhere the linter cannot see or a value is not static.
 */
function createConnectionDelays(fn: ts.FunctionLikeDeclaration, context: CodeRuleContext): number[] | 'unknown' {
  const delays: number[] = [];
  let creates = false;
  let unknown = false;
  const tlsOptionsWork = !mayBeBelow(context.versions.node, 24, 15);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const ref = context.imports.resolve(node.expression);
      const name = ref?.path.length === 1 ? ref.path[0] : undefined;
      const isNet = ref?.module === 'net' && (name === 'connect' || name === 'createConnection' || name === 'Socket');
      const isTls = ref?.module === 'tls' && name === 'connect';
      if (isNet || isTls) {
        creates = true;
        const first = fold(node.arguments?.[0], context.consts);
        if (first.kind === 'object' && (isNet || tlsOptionsWork)) {
          const keepAlive = first.options.get('keepAlive');
          const initial = first.options.get('keepAliveInitialDelay');
          if (keepAlive.kind === 'unknown') unknown = true;
          else if (keepAlive.kind === 'boolean' && keepAlive.value) {
            if (initial.kind === 'number') delays.push(initial.value);
            else if (initial.kind === 'absent' || initial.kind === 'undefined') delays.push(0);
            else unknown = true;
          }
        }
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'setKeepAlive') {
        const enable = node.arguments[0] ? fold(node.arguments[0], context.consts) : ({ kind: 'boolean', value: false } as const);
        const delay = node.arguments[1] ? fold(node.arguments[1], context.consts) : ({ kind: 'number', value: 0 } as const);
        if (enable.kind !== 'boolean' || delay.kind !== 'number') unknown = true;
        else if (enable.value) delays.push(delay.value);
      }
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  if (unknown || (!creates && delays.length === 0)) return 'unknown';
  return delays;
}

interface Analysis {
  readonly liveness: Liveness;
  /** The session's visible setTimeout calls. */
  readonly timeouts: readonly ts.CallExpression[];
}

function analyse(context: CodeRuleContext, node: ts.CallExpression, tracked: Tracked): Analysis | undefined {
  const { sourceFile } = context.file;
  if (!isRemote(fold(node.arguments[0], context.consts))) return undefined;
  // (a) a createConnection that enables keepalive
  let keepaliveDelayMs: number | undefined;
  const second = node.arguments[1];
  if (second && !isFunctionLike(second)) {
    const options = fold(second, context.consts);
    if (options.kind === 'object') {
      const createConnection = createConnectionOf(options.options, context);
      if (createConnection === 'unknown') return undefined;
      if (createConnection !== 'absent') {
        const delays = createConnectionDelays(createConnection, context);
        if (delays === 'unknown') return undefined;
        keepaliveDelayMs = delays.find((d) => effectiveProbeSeconds(d, context.osKeepaliveSeconds) < context.timeout.seconds) ?? delays[0];
      }
    } else if (options.kind !== 'undefined') {
      return undefined; // options from elsewhere: cannot know
    }
  }
  // (b) session.setTimeout(ms, () => session.close())
  const cap = idleCap(sourceFile, tracked, SESSION_CLOSE_METHODS, context.consts);
  if (cap === 'unknown') return undefined;
  // (c) setInterval(() => session.ping(…), ms)
  const pings = heartbeatIntervals(sourceFile, tracked, ['ping'], context.consts);
  if (pings === 'unknown') return undefined;
  const heartbeatMs = pings.length > 0 ? Math.min(...pings) : undefined;
  const liveness: Liveness = {
    ...(keepaliveDelayMs !== undefined ? { keepaliveDelayMs } : {}),
    ...(cap !== undefined ? { idleCapMs: cap } : {}),
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
  };
  return { liveness, timeouts: clientCalls(sourceFile, tracked, ['setTimeout']) };
}

function fixFor(context: CodeRuleContext, tracked: Tracked, analysis: Analysis, delay: string): Fix[] {
  const { sourceFile } = context.file;
  let edit: TextEdit | undefined;
  if (analysis.timeouts.length === 0) {
    edit = insertAfterStoring(sourceFile, tracked, (t) => `${t}.setTimeout(${delay}, () => ${t}.close())${semi(sourceFile)}`);
  } else if (analysis.timeouts.length === 1) {
    // One setTimeout that closes the session, but too late: shorten it.
    const call = analysis.timeouts[0]!;
    const ms = call.arguments[0];
    if (ms && handlerCloses(call.arguments[1], tracked, SESSION_CLOSE_METHODS, sourceFile, context.consts) === true) {
      edit = { start: ms.getStart(sourceFile), end: ms.getEnd(), newText: delay };
    }
  }
  return edit ? [{ title: `Close the session after ${delay} ms idle`, edits: [edit], preferred: true }] : [];
}

export default createRule({
  id: 'node/http2-keepalive',
  description: 'A long-lived http2.connect session with no idle close, PING interval or TCP keepalive below the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation:
    'Close idle sessions before the idle timeout (session.setTimeout(ms, () => session.close()), reconnecting on demand), send session.ping() on an interval below it, or pass a createConnection that enables TCP keepalive.',
  messages: {
    unsafe:
      '{{library}} opens an HTTP/2 session that is kept beyond one exchange ({{kept}}) and can sit idle past the middlebox timeout: {{verdict}}. Node\'s HTTP/2 client sends no TCP keepalive, closes no idle session and sends no automatic PING, so the first request after such a gap fails with ECONNRESET. Close idle sessions with {{suggestion}} (and reconnect on demand), call session.ping() on an interval below {{seconds}}s, or pass a createConnection that enables keepalive.',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny(['http2'])) return;
    const delay = formatMs(context.fixDelayMs);
    const reports: Report<MessageId>[] = [];
    for (const node of context.nodes.calls) {
      if (isHttp2Connect(context, node)) {
        const tracked = track(node);
        if (isKept(tracked) && !closedInCreatingScope(sourceFile, tracked, SESSION_CLOSE_METHODS)) {
          const analysis = analyse(context, node, tracked);
          if (analysis && !isSafe(analysis.liveness, context)) {
            const target = targetText(sourceFile, tracked) ?? 'session';
            reports.push({
              messageId: 'unsafe',
              data: {
                library: 'node:http2 connect()',
                kept: keptText(tracked),
                verdict: verdictText(analysis.liveness, context),
                suggestion: `${target}.setTimeout(${delay}, () => ${target}.close())`,
                seconds: context.timeout.seconds,
              },
              range: creationRange(sourceFile, node),
              fixes: fixFor(context, tracked, analysis, delay),
            });
          }
        }
      }
    }
    yield* reports;
  },
});
