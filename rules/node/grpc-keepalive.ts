/**
 * node/grpc-keepalive: `@grpc/grpc-js` clients and channels whose HTTP/2 connection can idle past T.
 *
 * grpc-js sends no keepalive pings unless `grpc.keepalive_time_ms` is set, and — read from its
 * transport (`canSendPing`) — sends them only while a call is active unless
 * `grpc.keepalive_permit_without_calls` is exactly `1`. An idle channel is therefore kept alive by
 * pings only with both options; otherwise only `grpc.client_idle_timeout_ms` below T (default 30 min
 * since 1.9, none before) keeps it from outliving the middlebox.
 */
import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import type { Fix, TextEdit } from '../types.ts';
import { optionsOf, type OptionValue, type Options } from '../ts/fold.ts';
import type { ModuleRef } from '../ts/imports.ts';
import { addProperties, appendArgument, codeStyle, formatMs } from '../ts/edit.ts';
import { isSafe, verdictText, type Liveness } from './liveness.ts';
import { callsOn, creationRange, functionScope, storageOf } from './track.ts';
import { formatSemver, mayBeBelow } from './versions.ts';

type MessageId = 'unsafe';

const MODULE = '@grpc/grpc-js';
const KEEPALIVE_TIME = 'grpc.keepalive_time_ms';
const PERMIT_WITHOUT_CALLS = 'grpc.keepalive_permit_without_calls';
const IDLE_TIMEOUT = 'grpc.client_idle_timeout_ms';
/** grpc-js `DEFAULT_IDLE_TIMEOUT_MS` since 1.9. */
const DEFAULT_IDLE_MS = 30 * 60 * 1000;
/**
 * grpc-js pings only while calls are active unless `grpc.keepalive_permit_without_calls === 1`
 * (transport.ts `canSendPing`), so on an idle channel `keepalive_time_ms` alone is no heartbeat.
 */
const PINGS_NEED_PERMIT_WITHOUT_CALLS = true;

/** Channel-credential factories: `credentials.createInsecure()`, `ChannelCredentials.createSsl()`. */
const CREDENTIAL_FACTORIES: Readonly<Record<string, readonly string[]>> = {
  credentials: ['createInsecure', 'createSsl', 'createFromSecureContext', 'combineChannelCredentials'],
  ChannelCredentials: ['createInsecure', 'createSsl', 'createFromSecureContext'],
};

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isNonNullExpression(current) || ts.isTypeAssertionExpression(current) || ts.isAwaitExpression(current)) {
    current = current.expression;
  }
  return current;
}

/** The export path below grpc-js (a default import is the CommonJS namespace), or undefined. */
function grpcPath(ref: ModuleRef | undefined): readonly string[] | undefined {
  if (!ref || ref.module !== MODULE) return undefined;
  return ref.path[0] === 'default' ? ref.path.slice(1) : ref.path;
}

function pathIs(path: readonly string[] | undefined, ...names: string[]): boolean {
  return path !== undefined && path.length === names.length && names.every((name, i) => path[i] === name);
}

class Recogniser {
  /** extendsClient's answers by class name: every `new X(…)` of a class not from grpc-js asks. */
  private readonly extending = new Map<string, boolean>();

  constructor(private readonly context: CodeRuleContext) {}

  private path(expression: ts.Expression): readonly string[] | undefined {
    return grpcPath(this.context.imports.resolve(expression));
  }

  /** `grpc.credentials.createInsecure()`, a `const` holding one, or `creds.compose(callCreds)`. */
  isCredentials(expression: ts.Expression | undefined, depth = 0): boolean {
    if (!expression || depth > 5) return false;
    const node = unwrap(expression);
    if (ts.isIdentifier(node)) return this.isCredentials(this.context.consts.initializer(node.text), depth + 1);
    if (!ts.isCallExpression(node)) return false;
    const path = this.path(node.expression);
    if (path && path.length === 2 && CREDENTIAL_FACTORIES[path[0]!]?.includes(path[1]!)) return true;
    const callee = node.expression;
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'compose' && this.isCredentials(callee.expression, depth + 1);
  }

  /** A `const` bound to a call of a grpc-js export: `makeGenericClientConstructor(…)`, `loadPackageDefinition(…)`. */
  private constCallOf(name: string, exports: readonly string[]): boolean {
    const initializer = this.context.consts.initializer(name);
    if (!initializer) return false;
    const node = unwrap(initializer);
    if (!ts.isCallExpression(node)) return false;
    const path = this.path(node.expression);
    return path !== undefined && path.length === 1 && exports.includes(path[0]!);
  }

  /**
   * `class X extends grpc.Client {}` in this file: a class of that name that extends it, and that is
   * not inside another class of the same name (whose inner classes are not looked at).
   */
  private extendsClient(name: string): boolean {
    let known = this.extending.get(name);
    if (known === undefined) {
      const named = this.context.nodes.classes.filter((node) => node.name?.text === name);
      const outermost = named.filter((node) => !named.some((other) => other !== node && other.pos <= node.pos && node.end <= other.end));
      known = outermost.some((node) =>
        (node.heritageClauses ?? []).some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword && clause.types.some((type) => pathIs(this.path(type.expression), 'Client'))),
      );
      this.extending.set(name, known);
    }
    return known;
  }

  /** Why `new X(…)` is a grpc-js client or channel, or undefined when it is not (visibly) one. */
  kind(node: ts.NewExpression): 'Client' | 'Channel' | 'generated' | undefined {
    const path = this.path(node.expression);
    if (pathIs(path, 'Client')) return 'Client';
    if (pathIs(path, 'Channel')) return 'Channel';
    if (path !== undefined) return undefined; // another grpc-js export: Server, Metadata, …
    const callee = unwrap(node.expression);
    if (ts.isIdentifier(callee) && (this.constCallOf(callee.text, ['makeGenericClientConstructor', 'makeClientConstructor']) || this.extendsClient(callee.text))) return 'generated';
    let root: ts.Expression = callee;
    while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root)) root = unwrap(root.expression);
    if (root !== callee && ts.isIdentifier(root) && this.constCallOf(root.text, ['loadPackageDefinition'])) return 'generated';
    // A generated service client from elsewhere: recognised by its grpc-js credentials argument.
    return this.isCredentials(node.arguments?.[1]) ? 'generated' : undefined;
  }
}

/** A number, absent, or not knowable. */
function ms(value: OptionValue): number | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'number' ? value.value : 'unknown';
}

/** Whether `grpc.keepalive_permit_without_calls` is exactly 1, as grpc-js requires (`true` is not 1). */
function permit(value: OptionValue): { readonly on: boolean; readonly found: string } | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return { on: false, found: 'not set' };
  if (value.kind === 'number') return { on: value.value === 1, found: String(value.value) };
  if (value.kind === 'boolean') return { on: false, found: `${value.value} (grpc-js only accepts the number 1)` };
  return 'unknown';
}

interface Client {
  readonly node: ts.NewExpression;
  readonly liveness: Liveness;
  readonly found: string;
  readonly fixes: readonly Fix[];
}

/** Sets options in a literal: replaces the values of keys present, adds the others together. */
function setOptions(sourceFile: ts.SourceFile, options: Options, entries: readonly (readonly [string, string])[]): TextEdit[] {
  const quote = codeStyle(sourceFile).quote;
  const edits: TextEdit[] = [];
  const missing: [string, string][] = [];
  for (const [name, value] of entries) {
    const existing = options.expression(name);
    if (existing) edits.push({ start: existing.getStart(sourceFile), end: existing.getEnd(), newText: value });
    else missing.push([`${quote}${name}${quote}`, value]);
  }
  if (missing.length > 0) edits.push(addProperties(sourceFile, options.node, missing));
  return edits;
}

/** Edits that give the client these options: in its options literal, or as a new options argument. */
function optionEdits(sourceFile: ts.SourceFile, node: ts.NewExpression, options: Options | 'absent', entries: readonly (readonly [string, string])[]): TextEdit[] | undefined {
  if (options !== 'absent') return setOptions(sourceFile, options, entries);
  const quote = codeStyle(sourceFile).quote;
  const literal = `{ ${entries.map(([name, value]) => `${quote}${name}${quote}: ${value}`).join(', ')} }`;
  const args = node.arguments ?? [];
  if (args.length === 2) {
    const edit = appendArgument(sourceFile, node, literal);
    return edit ? [edit] : undefined;
  }
  const third = args[2];
  if (args.length === 3 && third) return [{ start: third.getStart(sourceFile), end: third.getEnd(), newText: literal }]; // `undefined` / `null`
  return undefined;
}

function analyse(context: CodeRuleContext, node: ts.NewExpression): Client | undefined {
  const options = optionsOf(node.arguments?.[2], context.consts);
  if (options === 'unknown') return undefined; // a spread, parameter, import or call: cannot know
  const get = (name: string): OptionValue => (options === 'absent' ? { kind: 'absent' } : options.get(name));
  const time = ms(get(KEEPALIVE_TIME));
  const idle = ms(get(IDLE_TIMEOUT));
  const permitted = permit(get(PERMIT_WITHOUT_CALLS));
  if (time === 'unknown' || idle === 'unknown' || permitted === 'unknown') return undefined;

  const version = context.versions.libraries.get(MODULE);
  const before19 = version !== undefined && mayBeBelow(version, 1, 9);
  const idleCapMs = idle === 'absent' ? (before19 ? undefined : DEFAULT_IDLE_MS) : idle;
  const pings = time !== 'absent' && time > 0 && (permitted.on || !PINGS_NEED_PERMIT_WITHOUT_CALLS);
  const liveness: Liveness = { ...(idleCapMs !== undefined ? { idleCapMs } : {}), ...(pings ? { heartbeatMs: time } : {}) };
  if (isSafe(liveness, context)) return { node, liveness, found: '', fixes: [] };

  const parts: string[] = [];
  if (time === 'absent') parts.push(`'${KEEPALIVE_TIME}' is not set, so no keepalive pings are sent`);
  else if (time <= 0) parts.push(`'${KEEPALIVE_TIME}' is ${time}, which disables keepalive pings`);
  else if (!pings) parts.push(`'${KEEPALIVE_TIME}' is ${formatMs(time)}, but with '${PERMIT_WITHOUT_CALLS}' ${permitted.found} pings are only sent while a call is active`);
  else parts.push(`'${KEEPALIVE_TIME}' is ${formatMs(time)}`);
  if (idle !== 'absent') parts.push(`'${IDLE_TIMEOUT}' is ${formatMs(idle)}`);
  else if (before19) parts.push(`'${IDLE_TIMEOUT}' is not set (grpc-js before 1.9 has no idle timeout)`);
  else parts.push(`'${IDLE_TIMEOUT}' is not set (default 30 min since grpc-js 1.9${version ? '' : '; version not found, newest defaults assumed'})`);

  const { sourceFile } = context.file;
  const limitMs = context.timeout.seconds * 1000;
  const delay = formatMs(context.fixDelayMs);
  const fixes: Fix[] = [];
  const pingEntries: [string, string][] = [];
  if (time === 'absent' || time <= 0 || time >= limitMs) pingEntries.push([KEEPALIVE_TIME, delay]);
  if (!permitted.on) pingEntries.push([PERMIT_WITHOUT_CALLS, '1']);
  const pingEdits = optionEdits(sourceFile, node, options, pingEntries);
  if (pingEdits && pingEdits.length > 0) {
    const title = pingEntries.map(([name, value]) => `'${name}': ${value}`).join(', ');
    fixes.push({ title: `Send keepalive pings below the idle timeout, also between calls (${title})`, edits: pingEdits, preferred: true });
  }
  const idleValue = formatMs(Math.max(1000, Math.floor(limitMs / 2 / 1000) * 1000));
  const idleEdits = optionEdits(sourceFile, node, options, [[IDLE_TIMEOUT, idleValue]]);
  if (idleEdits && idleEdits.length > 0) fixes.push({ title: `Close the channel's connections after ${idleValue} ms without calls ('${IDLE_TIMEOUT}': ${idleValue})`, edits: idleEdits, preferred: false });
  return { node, liveness, found: `${parts.join('; ')}.`, fixes };
}

/** Created and closed in the same function: short-lived, nothing idles. */
function shortLived(sourceFile: ts.SourceFile, node: ts.NewExpression): boolean {
  const storage = storageOf(node);
  if (storage.kind !== 'variable' || ts.isSourceFile(storage.scope)) return false;
  return callsOn(sourceFile, storage, ['close']).some((call) => functionScope(call) === storage.scope);
}

function describeClient(sourceFile: ts.SourceFile, node: ts.NewExpression, kind: 'Client' | 'Channel' | 'generated'): string {
  const callee = node.expression.getText(sourceFile).replace(/\s+/g, ' ');
  const what = kind === 'Channel' ? 'channel' : kind === 'Client' ? 'client' : 'service client';
  return `The gRPC ${what} \`new ${callee}(…)\``;
}

export default createRule({
  id: 'node/grpc-keepalive',
  description: 'A @grpc/grpc-js client or channel that neither pings nor closes its idle connection before the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation:
    "Set 'grpc.keepalive_time_ms' below the idle timeout together with 'grpc.keepalive_permit_without_calls': 1 in the channel options (and make sure the server permits pings that often), or set 'grpc.client_idle_timeout_ms' below the idle timeout.",
  messages: {
    unsafe:
      '{{client}} ({{library}}) keeps an HTTP/2 connection that can sit idle past the middlebox timeout: {{verdict}}. {{found}} The first call after such a gap fails with ECONNRESET (UNAVAILABLE). {{advice}}',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny([MODULE])) return;
    const recogniser = new Recogniser(context);
    const version = context.versions.libraries.get(MODULE);
    const library = version ? `${MODULE} ${formatSemver(version.version)}` : MODULE;
    const reports: Report<MessageId>[] = [];
    for (const node of context.nodes.creations) {
      if (ts.isNewExpression(node)) {
        const kind = recogniser.kind(node);
        const client = kind && !shortLived(sourceFile, node) ? analyse(context, node) : undefined;
        if (kind && client && !isSafe(client.liveness, context)) {
          const seconds = context.timeout.seconds;
          reports.push({
            messageId: 'unsafe',
            data: {
              client: describeClient(sourceFile, node, kind),
              library,
              verdict: verdictText(client.liveness, context),
              found: client.found,
              advice: `Set '${KEEPALIVE_TIME}' below ${seconds}s (the fix writes ${formatMs(context.fixDelayMs)}) with '${PERMIT_WITHOUT_CALLS}': 1, or '${IDLE_TIMEOUT}' below ${seconds}s; servers may answer pings they find too frequent with GOAWAY too_many_pings, so check the server's keepalive policy.`,
            },
            range: creationRange(sourceFile, node),
            fixes: client.fixes,
          });
        }
      }
    }
    yield* reports;
  },
});
