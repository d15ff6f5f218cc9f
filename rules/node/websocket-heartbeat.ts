/**
 * node/websocket-heartbeat: `ws` clients with no ping on an interval below T in the same module.
 * `ws` sends no pings by itself and sets no TCP keepalive, so an idle client connection outlives
 * the middlebox unless the application pings (or sends) more often than T.
 */
import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import type { Fix } from '../types.ts';
import { fold, optionsOf } from '../ts/fold.ts';
import type { ModuleRef } from '../ts/imports.ts';
import type { FileNodes } from '../ts/nodes.ts';
import { codeStyle, formatMs, insertAfterStatement, semi } from '../ts/edit.ts';
import { isSafe, verdictText, type Liveness } from './liveness.ts';
import { callsNamed, callsOn, creationRange, functionScope, refersTo, storageOf, type Storage } from './track.ts';
import { formatSemver } from './versions.ts';

type MessageId = 'unsafe';

const MODULE = 'ws';

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** `ws`'s client class: the module itself, its default export, or `WebSocket` (also `WebSocket.WebSocket`). */
function isClientClass(ref: ModuleRef | undefined): boolean {
  if (!ref || ref.module !== MODULE) return false;
  const path = ref.path.filter((part) => part !== 'default');
  return path.length <= 2 && path.every((part) => part === 'WebSocket');
}

/** A URL that never crosses a middlebox: a Unix socket (`ws+unix:`) or loopback. */
function isLocal(url: string): boolean {
  if (/^wss?\+unix:/i.test(url)) return true;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** A protocols argument (string or array), as opposed to options. */
function isProtocols(expression: ts.Expression, context: CodeRuleContext, depth = 0): boolean {
  const node = unwrap(expression);
  if (ts.isArrayLiteralExpression(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isIdentifier(node) && depth < 5) {
    const initializer = context.consts.initializer(node.text);
    if (initializer) return isProtocols(initializer, context, depth + 1);
  }
  return fold(node, context.consts).kind === 'string';
}

/** Whether the constructor's options are visible and leave the socket to ws (no custom agent or connection). */
function plainOptions(context: CodeRuleContext, node: ts.NewExpression): boolean {
  const args = node.arguments ?? [];
  let optionsArg: ts.Expression | undefined;
  if (args.length >= 3) optionsArg = args[2];
  else if (args.length === 2) {
    const second = args[1]!;
    const value = fold(second, context.consts);
    if (value.kind === 'undefined') return true;
    if (value.kind === 'object') optionsArg = second;
    else if (!isProtocols(second, context)) return false; // options or protocols: cannot tell
  }
  const options = optionsOf(optionsArg, context.consts);
  if (options === 'absent') return true;
  if (options === 'unknown' || options.open) return false;
  return !options.has('agent') && !options.has('createConnection');
}

interface Found {
  readonly node: ts.NewExpression;
  readonly storage: Storage;
}

interface Timer {
  readonly call: ts.CallExpression;
  readonly delay: ts.Expression | undefined;
  readonly ms: number | 'unknown';
}

/** Heartbeats and ping listeners of one client, searched in the module. */
class HeartbeatSearch {
  private readonly functions = new Map<string, ts.Node | null>();

  constructor(
    private readonly context: CodeRuleContext,
    private readonly clients: readonly Found[],
  ) {
    // A name declared twice may be shadowed: do not follow it (which declaration comes first does not matter).
    const declare = (name: string, body: ts.Node): void => void this.functions.set(name, this.functions.has(name) ? null : body);
    const { nodes } = context;
    for (const node of nodes.functions) if (node.name && node.body) declare(node.name.text, node.body);
    for (const node of nodes.variables) {
      if (ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) declare(node.name.text, node.initializer.body);
    }
    for (const node of nodes.methods) if (node.body && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name))) declare(`this.${node.name.text}`, node.body);
    for (const node of nodes.properties) {
      if (node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer)) && ts.isIdentifier(node.name)) declare(`this.${node.name.text}`, node.initializer.body);
    }
  }

  /** Whether `receiver` may be this client: named as it is stored, or not named as another client is. */
  private mayBe(receiver: ts.Expression, client: Found): boolean {
    if (refersTo(receiver, client.storage)) return true;
    return !this.clients.some((other) => other !== client && refersTo(receiver, other.storage));
  }

  /** The body of a function a callee names in this file: `beat`, `this.beat`. */
  private functionOf(callee: ts.Expression): ts.Node | undefined | 'unresolved' {
    const node = unwrap(callee);
    const key = ts.isIdentifier(node) ? node.text : ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword ? `this.${node.name.text}` : undefined;
    if (key === undefined) return 'unresolved';
    const body = this.functions.get(key);
    return body ?? 'unresolved';
  }

  /**
   * Whether code reached from `root` pings (or sends on) the client: true, false, or 'unknown' when it
   * hands the client to a function this file does not show.
   */
  private beats(root: ts.Node, client: Found, depth = 0, seen = new Set<ts.Node>()): boolean | 'unknown' {
    if (depth > 3 || seen.has(root)) return false;
    seen.add(root);
    let result: boolean | 'unknown' = false;
    const visit = (node: ts.Node): void => {
      if (result === true) return;
      if (ts.isPropertyAccessExpression(node)) {
        const method = node.name.text;
        if (((method === 'ping' || method === 'pong') && this.mayBe(node.expression, client)) || (method === 'send' && refersTo(node.expression, client.storage))) {
          result = true;
          return;
        }
      }
      if (ts.isCallExpression(node) && !(ts.isPropertyAccessExpression(node.expression) && refersTo(node.expression.expression, client.storage))) {
        const body = this.functionOf(node.expression);
        if (body === 'unresolved') {
          if (node.arguments.some((argument) => refersTo(argument, client.storage))) result = 'unknown';
        } else if (body) {
          const inner = this.beats(body, client, depth + 1, seen);
          if (inner === true || (inner === 'unknown' && result === false)) result = inner;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
    return result;
  }

  /** The timers whose callbacks ping the client, with their intervals ('unknown' when not static). */
  timers(client: Found): Timer[] {
    const found: Timer[] = [];
    const { sourceFile } = this.context.file;
    for (const timer of callsNamed(sourceFile, ['setInterval', 'setTimeout'])) {
      const [callback, delay, ...extra] = timer.arguments;
      if (!callback) continue;
      const node = unwrap(callback);
      let beats: boolean | 'unknown';
      if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) beats = this.beats(node.body, client);
      else if (ts.isIdentifier(node) || (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword)) {
        const body = this.functionOf(node);
        beats = body === 'unresolved' || body === undefined ? (extra.some((argument) => refersTo(argument, client.storage)) ? 'unknown' : false) : this.beats(body, client);
      } else beats = this.beats(node, client); // `ws.ping.bind(ws)`
      if (beats === false) continue;
      // Without a delay Node runs the timer after 1 ms.
      const value = delay === undefined ? { kind: 'number' as const, value: 1 } : fold(delay, this.context.consts);
      found.push({ call: timer, delay, ms: beats === 'unknown' || value.kind !== 'number' ? 'unknown' : Math.max(1, value.value) });
    }
    return found;
  }

  /** `client.on('ping' | 'pong', …)`: the peer pings, or the application pings somewhere: not knowable. */
  listensForPings(client: Found): boolean {
    const { sourceFile } = this.context.file;
    return callsNamed(sourceFile, ['on', 'once', 'addListener', 'prependListener', 'addEventListener']).some((call) => {
      const event = call.arguments[0];
      if (!event || !(ts.isStringLiteral(event) || ts.isNoSubstitutionTemplateLiteral(event)) || (event.text !== 'ping' && event.text !== 'pong')) return false;
      return ts.isPropertyAccessExpression(call.expression) && this.mayBe(call.expression.expression, client);
    });
  }
}

/** The statement a client is stored by, when lines can go right after it (not inside a closure or an `if`). */
function storingStatement(node: ts.NewExpression): ts.Statement | undefined {
  let current: ts.Node = node;
  while (!(ts.isExpressionStatement(current) || ts.isVariableStatement(current))) {
    const parent: ts.Node | undefined = current.parent;
    if (!parent || ts.isFunctionLike(current) || ts.isClassLike(current) || ts.isBlock(current) || ts.isSourceFile(current)) return undefined;
    current = parent;
  }
  const container = current.parent;
  if (!container || !(ts.isSourceFile(container) || ts.isBlock(container) || ts.isModuleBlock(container) || ts.isCaseClause(container) || ts.isDefaultClause(container))) return undefined;
  return current;
}

function uniqueName(nodes: FileNodes, base: string): string {
  if (!nodes.hasName(base)) return base;
  for (let i = 2; ; i++) if (!nodes.hasName(`${base}${i}`)) return `${base}${i}`;
}

/** A delay written as a literal (`900_000`, `15 * 60 * 1000`): safe to rewrite in place. */
function isLiteralDelay(expression: ts.Expression): boolean {
  const node = unwrap(expression);
  if (ts.isNumericLiteral(node)) return true;
  if (ts.isBinaryExpression(node)) return isLiteralDelay(node.left) && isLiteralDelay(node.right);
  return false;
}

/**
 * The fix: a too-slow ping timer gets the fix delay; without one, a ping interval goes right after the
 * statement that stores the client, cleared when it closes.
 */
function heartbeatFix(context: CodeRuleContext, client: Found, timers: readonly Timer[]): Fix[] {
  const { sourceFile } = context.file;
  const delay = formatMs(context.fixDelayMs);
  if (timers.length > 0) {
    const [only] = timers;
    if (timers.length !== 1 || !only?.delay || !isLiteralDelay(only.delay)) return [];
    return [{ title: `Ping every ${delay} ms`, edits: [{ start: only.delay.getStart(sourceFile), end: only.delay.getEnd(), newText: delay }], preferred: true }];
  }
  const { storage, node } = client;
  if (storage.kind !== 'variable' && storage.kind !== 'field') return [];
  const statement = storingStatement(node);
  if (!statement) return [];
  let target: string;
  if (storage.kind === 'variable') target = storage.name;
  else {
    const parent = node.parent;
    if (!parent || !ts.isBinaryExpression(parent) || parent.right !== node) return [];
    target = parent.left.getText(sourceFile);
  }
  const name = uniqueName(context.nodes, `${storage.name.replace(/^#/, '')}Heartbeat`);
  const quote = codeStyle(sourceFile).quote;
  const end = semi(sourceFile);
  const edit = insertAfterStatement(sourceFile, statement, [
    // ping() throws while the socket is still connecting: ping only once it is open.
    `const ${name} = setInterval(() => ${target}.readyState === ${target}.OPEN && ${target}.ping(), ${delay})${end}`,
    `${target}.on(${quote}close${quote}, () => clearInterval(${name}))${end}`,
  ]);
  return [{ title: `Ping every ${delay} ms and stop on close`, edits: [edit], preferred: true }];
}

/** Created and closed or terminated in the same function: short-lived, nothing idles. */
function shortLived(sourceFile: ts.SourceFile, storage: Storage): boolean {
  if (storage.kind !== 'variable' || ts.isSourceFile(storage.scope)) return false;
  return callsOn(sourceFile, storage, ['close', 'terminate']).some((call) => functionScope(call) === storage.scope);
}

export default createRule({
  id: 'node/websocket-heartbeat',
  description: 'A `ws` WebSocket client with no ping on an interval below the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation: 'Ping the socket on an interval below the idle timeout (setInterval(() => ws.ping(), 30_000)) and clear the interval when the socket closes.',
  messages: {
    unsafe:
      '{{client}} ({{library}}) can sit idle past the middlebox timeout: {{verdict}}. {{found}} ws sends no pings by itself, so the first message after such a gap fails with ECONNRESET. Ping on an interval below {{seconds}}s (the fix writes {{delay}} ms) and clear it when the socket closes.',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny([MODULE])) return;
    const clients: Found[] = [];
    for (const node of context.nodes.creations) {
      if (ts.isNewExpression(node) && isClientClass(context.imports.resolve(node.expression))) clients.push({ node, storage: storageOf(node) });
    }
    if (clients.length === 0) return;
    // TCP keepalive set by hand somewhere in the module: which socket it reaches is not knowable.
    if (callsNamed(sourceFile, ['setKeepAlive']).length > 0) return;
    const search = new HeartbeatSearch(context, clients);
    const version = context.versions.libraries.get(MODULE);
    const library = version ? `${MODULE} ${formatSemver(version.version)}` : MODULE;
    const reports: Report<MessageId>[] = [];
    for (const client of clients) {
      const { node } = client;
      const url = fold(node.arguments?.[0], context.consts);
      if (url.kind === 'string' && isLocal(url.value)) continue;
      if (!plainOptions(context, node) || shortLived(sourceFile, client.storage) || search.listensForPings(client)) continue;
      const timers = search.timers(client);
      if (timers.some((timer) => timer.ms === 'unknown')) continue;
      const interval = timers.length > 0 ? Math.min(...timers.map((timer) => timer.ms as number)) : undefined;
      const liveness: Liveness = interval === undefined ? {} : { heartbeatMs: interval };
      if (isSafe(liveness, context)) continue;
      reports.push({
        messageId: 'unsafe',
        data: {
          client: `The WebSocket client \`new ${node.expression.getText(sourceFile).replace(/\s+/g, ' ')}(…)\``,
          library,
          verdict: verdictText(liveness, context),
          found: interval === undefined ? 'No timer in this module pings it.' : `The fastest timer that pings it runs every ${formatMs(interval)} ms.`,
          seconds: context.timeout.seconds,
          delay: formatMs(context.fixDelayMs),
        },
        range: creationRange(sourceFile, node),
        fixes: heartbeatFix(context, client, timers),
      });
    }
    yield* reports;
  },
});
