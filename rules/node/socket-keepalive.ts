/**
 * node/socket-keepalive: raw TCP/TLS sockets (`net.connect`, `net.createConnection`, `new net.Socket`,
 * `tls.connect`) that are kept beyond one exchange and neither probe, close when idle, nor send a
 * heartbeat before the middlebox forgets them.
 */
import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import type { Fix, TextEdit } from '../types.ts';
import { addProperties, appendArgument, enclosingStatement, formatMs, semi } from '../ts/edit.ts';
import { fold, optionsOf, type Options, type OptionValue } from '../ts/fold.ts';
import { isSafe, effectiveProbeSeconds, LIBUV_PRE_OPEN_KEEPALIVE_S, osKeepaliveText, verdictText, type Liveness, type LivenessLimits } from './liveness.ts';
import {
  clientCalls,
  closedInCreatingScope,
  heartbeatIntervals,
  idleCap,
  insertAfterStoring,
  isKept,
  isLoopbackHost,
  keptText,
  methodName,
  targetText,
  track,
  type Creation,
  type Tracked,
} from './socket-keepalive-support.ts';
import { creationRange, refersTo } from './track.ts';
import { formatSemver, mayBeBelow, type VersionFact } from './versions.ts';

type MessageId = 'unsafe' | 'setKeepAliveDelay' | 'optionsIgnored';

const SOCKET_CLOSE_METHODS = ['end', 'destroy', 'destroySoon', 'resetAndDestroy'];

interface Target {
  readonly node: Creation;
  readonly module: 'net' | 'tls';
  readonly kind: 'connect' | 'createConnection' | 'Socket';
  readonly label: string;
}

function targetAt(context: CodeRuleContext, node: Creation): Target | undefined {
  const ref = context.imports.resolve(node.expression);
  if (!ref || ref.path.length !== 1) return undefined;
  const name = ref.path[0]!;
  if (ref.module === 'net') {
    if (name === 'Socket' || name === 'Stream') return { node, module: 'net', kind: 'Socket', label: `node:net ${name}` };
    if (ts.isCallExpression(node) && (name === 'connect' || name === 'createConnection')) return { node, module: 'net', kind: name, label: `node:net ${name}()` };
  }
  if (ref.module === 'tls' && ts.isCallExpression(node) && name === 'connect') return { node, module: 'tls', kind: 'connect', label: 'node:tls connect()' };
  return undefined;
}

function isFunctionLike(expression: ts.Expression | undefined): boolean {
  if (!expression) return false;
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

type Where = 'local' | 'remote' | 'unknown';

function hostWhere(value: OptionValue | ReturnType<typeof fold>): Where {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'local'; // Node's default host is 'localhost'
  if (value.kind === 'string') return isLoopbackHost(value.value) ? 'local' : 'remote';
  return 'remote'; // a host from the environment or configuration: another machine
}

/** Where options connect to: a Unix socket (`path`) or loopback host is 'local'. */
function optionsWhere(options: Options): Where {
  if (options.has('path')) return 'local';
  if (options.open && !options.has('host')) return 'unknown'; // a spread may set path or host
  return hostWhere(options.get('host'));
}

interface Endpoint {
  /** The options object literal, when the call has one. */
  readonly options: Options | undefined;
  readonly where: Where;
}

/** `host`, `opts.hostname`, `process.env.BROKER_HOST`: an expression whose name says it is a host. */
function namesHost(expression: ts.Expression): boolean {
  const name = ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
  return name !== undefined && /host/i.test(name);
}

/** Reads the arguments of `net.connect` / `socket.connect` / `tls.connect` (all their overloads). 'unknown' when they cannot be told apart. */
function endpointOf(args: readonly ts.Expression[], context: CodeRuleContext, isTls: boolean): Endpoint | 'unknown' {
  const first = args[0];
  if (!first) return 'unknown';
  const f0 = fold(first, context.consts);
  if (f0.kind === 'object') return { options: f0.options, where: optionsWhere(f0.options) };
  const isPort = f0.kind === 'number' || (f0.kind === 'string' && /^\s*\d+\s*$/.test(f0.value));
  if (f0.kind === 'string' && !isPort) return { options: undefined, where: 'local' }; // a path: Unix socket or named pipe
  const second = args[1];
  if (!isPort) {
    // Not foldable: a port (then a host follows) or a path/options (then a callback or nothing follows).
    if (!second || isFunctionLike(second)) return 'unknown';
  }
  if (!second || isFunctionLike(second)) return { options: undefined, where: 'local' }; // port only: localhost
  const f1 = fold(second, context.consts);
  if (isTls && f1.kind === 'object') {
    // tls.connect(port, options)
    const where = optionsWhere(f1.options);
    return { options: f1.options, where };
  }
  let options: Options | undefined;
  if (isTls && args[2] && !isFunctionLike(args[2])) {
    const f2 = fold(args[2], context.consts);
    if (f2.kind !== 'object') return 'unknown';
    options = f2.options;
  } else if (isTls && f1.kind !== 'string' && !args[2] && !namesHost(second)) {
    return 'unknown'; // tls.connect(port, x): x may be a host or options
  }
  return { options, where: hostWhere(f1) };
}

function bool(value: OptionValue): boolean | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'boolean' ? value.value : 'unknown';
}

function ms(value: OptionValue): number | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'number' ? value.value : 'unknown';
}

/** `keepAlive`/`keepAliveInitialDelay` construction options: accepted by net since Node 16.15 / 17.7, by tls since 24.15. */
function optionsSupported(target: Target, node: VersionFact | undefined): boolean {
  if (target.module === 'tls') return !mayBeBelow(node, 24, 15);
  if (!node) return true;
  const { major, minor } = node.version;
  return major >= 18 || (major === 17 && minor >= 7) || (major === 16 && minor >= 15);
}

function nodeText(node: VersionFact | undefined): string {
  return node ? `Node ${formatSemver(node.version)} (from ${node.source})` : 'an unknown Node version (none in engines.node, .nvmrc, .node-version or a Dockerfile; set nodeVersion to tell)';
}

interface KeepaliveCall {
  readonly call: ts.CallExpression;
  readonly delayMs: number;
}

/** Whether code under `node` (not in nested functions) may give up the thread: `await`, `yield`, `for await`. */
function yields(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || ts.isYieldExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, yields) ?? false;
}

/**
 * Whether an enabling setKeepAlive call runs while the socket is connecting but has no file
 * descriptor yet: chained on `net.connect(…)`/`tls.connect(…)` (after `.connect(…)` for a new Socket),
 * or a statement later in the block that creates and connects it, with no await or yield in between.
 * libuv then keeps only the flag and opens the socket with its own 60 s delay; a delay under 1 s
 * passed later changes nothing. (Before `connect()` a new Socket has no handle: Node applies the call
 * after connecting, so the pod's sysctl applies.)
 */
function runsBeforeOpen(target: Target, tracked: Tracked, call: ts.CallExpression): boolean {
  const connectsInChain = (chain: readonly ts.CallExpression[]) => chain.some((c) => methodName(c) === 'connect');
  const inChain = tracked.chained.indexOf(call);
  if (inChain >= 0) return target.kind !== 'Socket' || connectsInChain(tracked.chained.slice(0, inChain));
  const statement = call.parent;
  const creating = enclosingStatement(tracked.outer);
  if (!statement || !ts.isExpressionStatement(statement) || !creating || creating.parent !== statement.parent) return false;
  const block = statement.parent;
  if (!ts.isBlock(block) && !ts.isSourceFile(block) && !ts.isModuleBlock(block)) return false;
  const from = block.statements.indexOf(creating);
  const to = block.statements.indexOf(statement);
  if (from < 0 || to <= from) return false;
  const between = block.statements.slice(from + 1, to);
  if (between.some(yields)) return false;
  if (target.kind !== 'Socket') return true;
  // A new Socket connects at its `.connect(…)`: chained on the creation, or a statement in between.
  return (
    connectsInChain(tracked.chained) ||
    between.some((st) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && methodName(st.expression) === 'connect' && ts.isPropertyAccessExpression(st.expression.expression) && refersTo(st.expression.expression.expression, tracked.storage))
  );
}

interface Analysis {
  readonly liveness: Liveness;
  /** The options literal whose keepAlive settings the fix may write, when they take effect. */
  readonly options: Options | undefined;
  /** keepAlive options that this Node version ignores. */
  readonly ignoredOptions: boolean;
  /** The enabling setKeepAlive calls, in source order. */
  readonly calls: readonly KeepaliveCall[];
}

function safeDelay(delayMs: number, beforeOpen: boolean, limits: LivenessLimits): boolean {
  return effectiveProbeSeconds(delayMs, beforeOpen ? LIBUV_PRE_OPEN_KEEPALIVE_S : limits.osKeepaliveSeconds) < limits.timeout.seconds;
}

function analyse(context: CodeRuleContext, target: Target, tracked: Tracked): Analysis | undefined {
  const { sourceFile } = context.file;
  const node = target.node;
  let options: Options | undefined;
  let where: Where;
  if (target.kind === 'Socket') {
    const constructed = optionsOf(node.arguments?.[0], context.consts);
    if (constructed === 'unknown') return undefined;
    options = constructed === 'absent' ? undefined : constructed;
    if (options && (options.has('fd') || options.has('handle') || options.open)) return undefined; // wraps an existing handle, or cannot know
    // The host comes from `socket.connect(…)`; none visible: it connects somewhere else, assume remote.
    where = 'remote';
    for (const call of clientCalls(sourceFile, tracked, ['connect'])) {
      const endpoint = endpointOf(call.arguments, context, false);
      if (endpoint === 'unknown') return undefined;
      if (endpoint.where !== 'remote') return undefined;
    }
  } else {
    const endpoint = endpointOf(node.arguments ?? [], context, target.module === 'tls');
    if (endpoint === 'unknown') return undefined;
    options = endpoint.options;
    where = endpoint.where;
  }
  if (where !== 'remote') return undefined; // Unix socket, loopback, or cannot know
  if (options && target.module === 'tls' && options.has('socket')) return undefined; // TLS over a socket made elsewhere

  // (a) construction options
  const delays: number[] = [];
  let ignoredOptions = false;
  const supported = optionsSupported(target, context.versions.node);
  if (options) {
    const keepAlive = bool(options.get('keepAlive'));
    const initial = ms(options.get('keepAliveInitialDelay'));
    if (supported) {
      if (keepAlive === 'unknown') return undefined;
      if (keepAlive === true) {
        if (initial === 'unknown') return undefined;
        delays.push(initial === 'absent' ? 0 : initial);
      }
    } else if (keepAlive !== 'absent' && keepAlive !== false) {
      ignoredOptions = true;
    }
  }
  // (a) setKeepAlive calls
  const calls: KeepaliveCall[] = [];
  for (const call of clientCalls(sourceFile, tracked, ['setKeepAlive'])) {
    const enable = call.arguments[0] ? fold(call.arguments[0], context.consts) : ({ kind: 'boolean', value: false } as const);
    if (enable.kind !== 'boolean') return undefined;
    if (!enable.value) continue;
    const delay = call.arguments[1] ? fold(call.arguments[1], context.consts) : ({ kind: 'number', value: 0 } as const);
    if (delay.kind !== 'number') return undefined;
    calls.push({ call, delayMs: delay.value });
  }
  // Keepalive enabled before the socket opened starts at libuv's 60 s, which a delay under 1 s keeps.
  const beforeOpen = calls.some((c) => runsBeforeOpen(target, tracked, c.call));
  const all = [...delays, ...calls.map((c) => c.delayMs)];
  const keepaliveDelayMs = all.find((d) => safeDelay(d, beforeOpen, context)) ?? (calls.length > 0 ? calls[calls.length - 1]!.delayMs : all[0]);

  // (b) an idle timeout that ends the socket
  const optionTimeout = target.kind !== 'Socket' ? options?.expression('timeout') : undefined;
  if (options && target.kind !== 'Socket' && options.open && !options.has('timeout')) return undefined;
  const cap = idleCap(sourceFile, tracked, SOCKET_CLOSE_METHODS, context.consts, optionTimeout);
  if (cap === 'unknown') return undefined;

  // (c) application heartbeat: `setInterval(() => socket.write(…), ms)`
  const beats = heartbeatIntervals(sourceFile, tracked, ['write'], context.consts);
  if (beats === 'unknown') return undefined;
  const heartbeatMs = beats.length > 0 ? Math.min(...beats) : undefined;

  const liveness: Liveness = {
    ...(keepaliveDelayMs !== undefined ? { keepaliveDelayMs, ...(beforeOpen ? { keepaliveBeforeOpen: true } : {}) } : {}),
    ...(cap !== undefined ? { idleCapMs: cap } : {}),
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
  };
  return { liveness, options: supported ? options : undefined, ignoredOptions, calls };
}

function preferred(title: string, edits: readonly (TextEdit | undefined)[]): Fix[] {
  return edits.length > 0 && edits.every((e) => e !== undefined) ? [{ title, edits: edits as TextEdit[], preferred: true }] : [];
}

/** Sets keepAlive: true and keepAliveInitialDelay in an options literal, in one fix. */
function optionEdits(sourceFile: ts.SourceFile, options: Options, delay: string): (TextEdit | undefined)[] {
  const keepAlive = options.expression('keepAlive');
  const initial = options.expression('keepAliveInitialDelay');
  if (!keepAlive && !initial) return [addProperties(sourceFile, options.node, [['keepAlive', 'true'], ['keepAliveInitialDelay', delay]])];
  const edits: (TextEdit | undefined)[] = [];
  const on = options.get('keepAlive');
  if (keepAlive && !(on.kind === 'boolean' && on.value)) edits.push({ start: keepAlive.getStart(sourceFile), end: keepAlive.getEnd(), newText: 'true' });
  else if (!keepAlive) edits.push(addProperties(sourceFile, options.node, [['keepAlive', 'true']]));
  if (initial) edits.push({ start: initial.getStart(sourceFile), end: initial.getEnd(), newText: delay });
  else edits.push(addProperties(sourceFile, options.node, [['keepAliveInitialDelay', delay]]));
  return edits;
}

function delayProblem(delayMs: number, osKeepaliveSeconds: number, beforeOpen: boolean): string {
  const fallback = beforeOpen ? `libuv's ${LIBUV_PRE_OPEN_KEEPALIVE_S}s for keepalive enabled before the socket opened` : osKeepaliveText(osKeepaliveSeconds);
  if (delayMs <= 0) return `has no initial delay, so only ${fallback} applies`;
  if (delayMs < 1000) return `has a delay of ${delayMs}ms, under libuv's 1 s floor, so ${fallback} applies`;
  return `probes only after ${Math.floor(delayMs / 1000)}s`;
}

export default createRule({
  id: 'node/socket-keepalive',
  description: 'A long-lived net/tls socket with no TCP keepalive, idle timeout or heartbeat below the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation:
    'Enable TCP keepalive with a delay below the idle timeout (keepAlive + keepAliveInitialDelay options for net, socket.setKeepAlive(true, ms) for tls on Node < 24.15), or end the socket after an idle timeout below it.',
  messages: {
    unsafe:
      '{{library}} opens a socket that is kept beyond one exchange ({{kept}}) and can sit idle past the middlebox timeout: {{verdict}}. The first write after such a gap fails with ECONNRESET. Enable TCP keepalive with a delay below {{seconds}}s ({{suggestion}}), or end the socket from socket.setTimeout(ms) below it.',
    setKeepAliveDelay:
      '{{call}} on this {{library}} socket {{problem}}{{note}}: {{verdict}}. The first write after an idle gap fails with ECONNRESET. Pass a delay of at least 1000 ms and below {{seconds}}s, e.g. {{delay}}.',
    optionsIgnored:
      '{{library}} ignores the keepAlive/keepAliveInitialDelay options before {{since}}, and this code may run on {{node}}: the socket ({{kept}}) gets no keepalive: {{verdict}}. Call {{suggestion}} on the returned socket instead; that works on every Node version.',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny(['net', 'tls'])) return;
    const delay = formatMs(context.fixDelayMs);
    const reports: Report<MessageId>[] = [];
    for (const node of context.nodes.creations) {
      const target = targetAt(context, node);
      if (target) {
        const report = check(context, target, delay);
        if (report) reports.push(report);
      }
    }
    yield* reports;
  },
});

function check(context: CodeRuleContext, target: Target, delay: string): Report<MessageId> | undefined {
  const { sourceFile } = context.file;
  const tracked = track(target.node);
  if (!isKept(tracked) || closedInCreatingScope(sourceFile, tracked, SOCKET_CLOSE_METHODS)) return undefined;
  const analysis = analyse(context, target, tracked);
  if (!analysis || isSafe(analysis.liveness, context)) return undefined;
  const { liveness, calls } = analysis;
  const verdict = verdictText(liveness, context);
  const seconds = context.timeout.seconds;
  const insertCall = () => insertAfterStoring(sourceFile, tracked, (t) => `${t}.setKeepAlive(true, ${delay})${semi(sourceFile)}`);

  // An enabling setKeepAlive whose delay is the problem: report there, fix its delay.
  const last = calls[calls.length - 1];
  if (last) {
    const delayArg = last.call.arguments[1];
    const edit: TextEdit | undefined = delayArg ? { start: delayArg.getStart(sourceFile), end: delayArg.getEnd(), newText: delay } : appendArgument(sourceFile, last.call, delay);
    return {
      messageId: 'setKeepAliveDelay',
      data: {
        call: last.call.getText(sourceFile).replace(/\s+/g, ' '),
        library: target.label,
        problem: delayProblem(last.delayMs, context.osKeepaliveSeconds, liveness.keepaliveBeforeOpen === true),
        note: analysis.ignoredOptions ? ` (its keepAlive options are ignored before ${target.module === 'tls' ? 'Node 24.15' : 'Node 16.15'}, and this code may run on ${nodeText(context.versions.node)})` : '',
        verdict,
        seconds,
        delay,
      },
      range: creationRange(sourceFile, last.call),
      fixes: preferred(`Probe after ${delay} ms`, [edit]),
    };
  }
  const range = creationRange(sourceFile, target.node);
  const kept = keptText(tracked);
  if (analysis.ignoredOptions) {
    return {
      messageId: 'optionsIgnored',
      data: {
        library: target.label,
        since: target.module === 'tls' ? 'Node 24.15' : 'Node 16.15 (17.7 on Node 17)',
        node: nodeText(context.versions.node),
        kept,
        verdict,
        suggestion: `setKeepAlive(true, ${delay})`,
      },
      range,
      fixes: preferred(`Call setKeepAlive(true, ${delay}) after creating the socket`, [insertCall()]),
    };
  }
  const options = analysis.options;
  const useOptions = options !== undefined;
  return {
    messageId: 'unsafe',
    data: {
      library: target.label,
      kept,
      verdict,
      seconds,
      suggestion: useOptions ? `keepAlive: true, keepAliveInitialDelay: ${delay}` : `${targetText(sourceFile, tracked) ?? 'socket'}.setKeepAlive(true, ${delay})`,
    },
    range,
    fixes: useOptions
      ? preferred(`Enable keepalive (keepAlive: true, keepAliveInitialDelay: ${delay})`, optionEdits(sourceFile, options, delay))
      : preferred(`Call setKeepAlive(true, ${delay}) after creating the socket`, [insertCall()]),
  };
}
