/**
 * Helpers shared by node/socket-keepalive and node/http2-keepalive: method chains on a new client,
 * the calls made on it (also through `this` in its listeners), whether a handler closes it, whether
 * it is closed in the function that created it (short-lived), loopback hosts, and the
 * "insert a call on the line after the statement that stores the client" fix.
 */
import ts from 'typescript';
import type { ConstTable } from '../ts/fold.ts';
import { fileNodes, type Creation } from '../ts/nodes.ts';
import { fold } from '../ts/fold.ts';
import { enclosingStatement, insertAfterStatement } from '../ts/edit.ts';
import type { TextEdit } from '../types.ts';
import { callsOn, refersTo, storageOf, type Storage } from './track.ts';

export type { Creation };

const LISTEN_METHODS = ['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'];

/** Methods of net.Socket / Http2Session that return the object they are called on. */
const CHAINABLE = new Set([...LISTEN_METHODS, 'setKeepAlive', 'setNoDelay', 'setTimeout', 'setEncoding', 'ref', 'unref', 'pause', 'resume', 'connect']);

export interface Tracked {
  readonly creation: Creation;
  /** `net.connect(…).on(…).setKeepAlive(…)`: the outermost call of the chain (or the creation), or the conditional holding it. */
  readonly outer: ts.Expression;
  /** Calls made through the chain, innermost first. */
  readonly chained: readonly ts.CallExpression[];
  readonly storage: Storage;
}

export function methodName(call: ts.CallExpression): string | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : undefined;
}

/** Follows `creation.on(…).setTimeout(…)` chains, then asks where the result is stored. */
export function track(creation: Creation): Tracked {
  const chained: ts.CallExpression[] = [];
  let current: ts.Expression = creation;
  for (;;) {
    let holder: ts.Node = current;
    while (holder.parent && ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
    const access = holder.parent;
    const call = access?.parent;
    if (!access || !call || !ts.isPropertyAccessExpression(access) || access.expression !== holder || !CHAINABLE.has(access.name.text)) break;
    if (!ts.isCallExpression(call) || call.expression !== access) break;
    chained.push(call);
    current = call;
  }
  // `const s = tcp ? net.connect(port, host) : net.connect(path)`: each branch is stored where the whole is.
  let stored: ts.Expression = current;
  for (;;) {
    const parent = stored.parent;
    if (parent && ts.isParenthesizedExpression(parent)) stored = parent;
    else if (parent && ts.isConditionalExpression(parent) && parent.condition !== stored) stored = parent;
    else break;
  }
  return { creation, outer: stored, chained, storage: storageOf(stored) };
}

function isThisCall(node: ts.Node, methods: readonly string[]): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.expression.kind === ts.SyntaxKind.ThisKeyword &&
    methods.includes(node.expression.name.text)
  );
}

/** Calls `<this>.method(…)` in a `function` listener, where `this` is the client (not in nested non-arrow functions). */
function thisCalls(listener: ts.FunctionExpression, methods: readonly string[]): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (isThisCall(node, methods)) found.push(node);
    if ((ts.isFunctionLike(node) && !ts.isArrowFunction(node)) || ts.isClassLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(listener.body, visit);
  return found;
}

/** Listener functions whose `this` is the client: the creation's callbacks and `client.on(event, function …)`. */
function clientListeners(sourceFile: ts.SourceFile, tracked: Tracked): ts.FunctionExpression[] {
  const listeners: ts.FunctionExpression[] = [];
  for (const argument of tracked.creation.arguments ?? []) if (ts.isFunctionExpression(argument)) listeners.push(argument);
  const registrations = [...callsOn(sourceFile, tracked.storage, LISTEN_METHODS), ...tracked.chained.filter((call) => LISTEN_METHODS.includes(methodName(call) ?? ''))];
  for (const call of registrations) for (const argument of call.arguments.slice(1)) if (ts.isFunctionExpression(argument)) listeners.push(argument);
  return listeners;
}

/** Every visible call `<client>.<method>(…)`: through its variable or field, through the chain, or `this` in its listeners. */
export function clientCalls(sourceFile: ts.SourceFile, tracked: Tracked, methods: readonly string[]): ts.CallExpression[] {
  const found = new Set<ts.CallExpression>([...callsOn(sourceFile, tracked.storage, methods), ...tracked.chained.filter((call) => methods.includes(methodName(call) ?? ''))]);
  for (const listener of clientListeners(sourceFile, tracked)) for (const call of thisCalls(listener, methods)) found.add(call);
  return [...found].sort((a, b) => a.getStart(sourceFile) - b.getStart(sourceFile));
}

/** Whether `expression` is the client: its variable/field, or `this`. */
function isClient(expression: ts.Expression, storage: Storage): boolean {
  let node = expression;
  while (ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node)) node = node.expression;
  return node.kind === ts.SyntaxKind.ThisKeyword || refersTo(node, storage);
}

/** A function declared once in the file under `name` (a declaration or a `const` bound to a function). */
export function functionNamed(sourceFile: ts.SourceFile, name: string, consts: ConstTable): ts.FunctionLikeDeclaration | undefined {
  const initializer = consts.initializer(name);
  if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) return initializer;
  const found = fileNodes(sourceFile).functions.filter((node) => node.name?.text === name && node.body);
  return found.length === 1 ? found[0] : undefined;
}

/** The function an argument denotes: inline, or a function of the file named by an identifier. */
export function functionOf(expression: ts.Expression | undefined, sourceFile: ts.SourceFile, consts: ConstTable): ts.FunctionLikeDeclaration | undefined {
  if (!expression) return undefined;
  let node = expression;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return node;
  if (ts.isIdentifier(node)) return functionNamed(sourceFile, node.text, consts);
  return undefined;
}

/**
 * Whether a handler closes the client: it calls `<client>.end()` / `.destroy()` (the `methods`), or is
 * `client.destroy.bind(client)`. 'unknown' when it is not visible or calls something that might.
 */
export function handlerCloses(handler: ts.Expression | undefined, tracked: Tracked, methods: readonly string[], sourceFile: ts.SourceFile, consts: ConstTable): boolean | 'unknown' {
  if (!handler) return false;
  let node = handler;
  while (ts.isParenthesizedExpression(node)) node = node.expression;
  // `socket.destroy.bind(socket)` / `socket.end`
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'bind') node = node.expression.expression;
  if (ts.isPropertyAccessExpression(node)) return methods.includes(node.name.text) && isClient(node.expression, tracked.storage) ? true : 'unknown';
  const fn = functionOf(node, sourceFile, consts);
  if (!fn?.body) return 'unknown';
  let closes = false;
  let unknown = false;
  const visit = (child: ts.Node): void => {
    if (ts.isCallExpression(child)) {
      const callee = child.expression;
      if (ts.isPropertyAccessExpression(callee) && methods.includes(callee.name.text) && isClient(callee.expression, tracked.storage)) closes = true;
      // A local function or a method of the owner may close it: cannot know.
      else if (ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword)) unknown = true;
    }
    ts.forEachChild(child, visit);
  };
  visit(fn.body);
  return closes ? true : unknown ? 'unknown' : false;
}

/** Events whose handlers run on errors, shutdown or the peer's close: closing there is not "one exchange". */
const CLIENT_TEARDOWN_EVENTS = new Set(['timeout', 'error', 'close', 'end', 'goaway', 'frameError']);

function stringValue(expression: ts.Expression | undefined): string | undefined {
  return expression && (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) ? expression.text : undefined;
}

/**
 * Whether a function on the path from a close call up to the creating scope still belongs to the
 * creating function's one exchange: inline callbacks (connect listeners, `data`/`response` handlers,
 * promise executors, `.then`) do; declarations, methods, stored functions, intervals, idle-timeout
 * and teardown handlers, and `process` hooks do not.
 */
function isTransparentCallback(fn: ts.Node, tracked: Tracked): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  let holder: ts.Node = fn;
  while (holder.parent && ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const call = holder.parent;
  if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call)) || !call.arguments?.includes(holder as ts.Expression)) return false;
  const callee = call.expression;
  if (ts.isIdentifier(callee) && callee.text === 'setInterval') return false;
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    const onClient = isClient(callee.expression, tracked.storage) || tracked.chained.includes(call) || callee.expression === tracked.creation;
    if (method === 'setTimeout' && onClient) return false;
    if (method === 'setInterval') return false;
    if (LISTEN_METHODS.includes(method)) {
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'process') return false;
      const event = stringValue(call.arguments[0]);
      if (event === undefined) return false;
      if (onClient ? CLIENT_TEARDOWN_EVENTS.has(event) : event === 'error') return false;
    }
  }
  return true;
}

/** A client held in a local variable and closed within the function that created it: one exchange. */
export function closedInCreatingScope(sourceFile: ts.SourceFile, tracked: Tracked, methods: readonly string[]): boolean {
  const storage = tracked.storage;
  if (storage.kind !== 'variable') return false;
  const closes = clientCalls(sourceFile, tracked, methods);
  return closes.some((call) => {
    let current: ts.Node | undefined = call.parent;
    while (current && current !== storage.scope) {
      if (ts.isFunctionLike(current) && !isTransparentCallback(current, tracked)) return false;
      current = current.parent;
    }
    return current === storage.scope;
  });
}

/** 'localhost', '127.x.x.x', '::1': no NAT on the way. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** Where the client is kept, for messages: `stored in socket`, `stored in this.socket`, `returned`. */
export function keptText(tracked: Tracked): string {
  const storage = tracked.storage;
  if (storage.kind === 'variable') return `stored in \`${storage.name}\`${ts.isSourceFile(storage.scope) ? ' at module scope' : ''}`;
  if (storage.kind === 'field') return `stored in the field \`${storage.name}\``;
  return 'returned to the caller';
}

/** True for the storages that keep a client beyond one exchange. */
export function isKept(tracked: Tracked): boolean {
  return tracked.storage.kind === 'variable' || tracked.storage.kind === 'field' || tracked.storage.kind === 'returned';
}

/** The expression that names the stored client in a statement after the one that stores it. */
export function targetText(sourceFile: ts.SourceFile, tracked: Tracked): string | undefined {
  const storage = tracked.storage;
  if (storage.kind === 'variable') return storage.name;
  if (storage.kind !== 'field') return undefined;
  let node: ts.Node = tracked.outer;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  return parent && ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left) ? parent.left.getText(sourceFile) : undefined;
}

/**
 * Inserts `line(target)` on the line after the statement that stores the client, when that statement
 * sits directly in a block or the file (so the new line runs exactly when the client was created).
 */
export function insertAfterStoring(sourceFile: ts.SourceFile, tracked: Tracked, line: (target: string) => string): TextEdit | undefined {
  const target = targetText(sourceFile, tracked);
  if (!target) return undefined;
  const statement = enclosingStatement(tracked.outer);
  if (!statement || ts.isReturnStatement(statement)) return undefined;
  const parent = statement.parent;
  if (!(ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))) return undefined;
  return insertAfterStatement(sourceFile, statement, [line(target)]);
}

/**
 * Intervals (`setInterval(fn, ms)` in the client's scope) whose callback calls `<client>.<method>(…)`:
 * their periods in ms, or 'unknown' when one's period cannot be folded.
 */
export function heartbeatIntervals(sourceFile: ts.SourceFile, tracked: Tracked, methods: readonly string[], consts: ConstTable): number[] | 'unknown' {
  const storage = tracked.storage;
  if (storage.kind !== 'variable' && storage.kind !== 'field') return [];
  const root = storage.kind === 'variable' ? storage.scope : sourceFile;
  const periods: number[] = [];
  let unknown = false;
  for (const node of fileNodes(sourceFile).callsIn(root)) {
    if (!isSetInterval(node.expression)) continue;
    const fn = functionOf(node.arguments[0], sourceFile, consts);
    if (fn?.body && callsClient(fn.body, storage, methods)) {
      const period = fold(node.arguments[1], consts);
      if (period.kind === 'number') periods.push(period.value);
      else unknown = true;
    }
  }
  return unknown ? 'unknown' : periods;
}

function isSetInterval(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return callee.text === 'setInterval';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'setInterval' && ts.isIdentifier(callee.expression) && ['globalThis', 'timers', 'global', 'window'].includes(callee.expression.text);
}

function callsClient(body: ts.Node, storage: Storage, methods: readonly string[]): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && methods.includes(node.expression.name.text) && refersTo(node.expression.expression, storage)) found = true;
    if (!found) ts.forEachChild(node, visit);
  };
  visit(body);
  return found;
}

/**
 * The idle cap of `<client>.setTimeout(ms[, handler])` calls whose handler (or a `'timeout'` listener)
 * closes the client: the smallest such ms, undefined when there is none, 'unknown' when a value or a
 * handler cannot be known.
 */
export function idleCap(
  sourceFile: ts.SourceFile,
  tracked: Tracked,
  closeMethods: readonly string[],
  consts: ConstTable,
  optionTimeout?: ts.Expression,
): number | undefined | 'unknown' {
  const timeoutListeners = clientCalls(sourceFile, tracked, LISTEN_METHODS).filter((call) => stringValue(call.arguments[0]) === 'timeout');
  let listenersClose: boolean | 'unknown' = false;
  for (const call of timeoutListeners) {
    const closes = handlerCloses(call.arguments[1], tracked, closeMethods, sourceFile, consts);
    if (closes === true) listenersClose = true;
    else if (closes === 'unknown' && listenersClose === false) listenersClose = 'unknown';
  }
  const settings: { ms: ts.Expression | undefined; handler: ts.Expression | undefined }[] = clientCalls(sourceFile, tracked, ['setTimeout']).map((call) => ({
    ms: call.arguments[0],
    handler: call.arguments[1],
  }));
  if (optionTimeout) settings.push({ ms: optionTimeout, handler: undefined });
  let cap: number | undefined;
  for (const setting of settings) {
    const ms = fold(setting.ms, consts);
    if (ms.kind !== 'number') return 'unknown';
    if (ms.value <= 0) continue;
    const own = handlerCloses(setting.handler, tracked, closeMethods, sourceFile, consts);
    const closes = own === true || listenersClose === true ? true : own === 'unknown' || listenersClose === 'unknown' ? 'unknown' : false;
    if (closes === 'unknown') return 'unknown';
    if (closes && (cap === undefined || ms.value < cap)) cap = ms.value;
  }
  return cap;
}
