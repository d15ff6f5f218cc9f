import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import type { Fix, TextEdit } from '../types.ts';
import { humanMs, optionsOf, type OptionValue, type Options } from '../ts/fold.ts';
import { addProperties, appendArgument, formatMs } from '../ts/edit.ts';
import { isSafe, verdictText, type Liveness } from './liveness.ts';
import type { Creation } from '../ts/nodes.ts';
import { creationRange } from './track.ts';
import { formatSemver, mayBeBelow } from './versions.ts';

type MessageId = 'unsafe';

/** The modules whose clients clientAt knows. */
const MODULES = ['http', 'https', 'agentkeepalive', 'undici', 'got'];

/** A number of ms, `'30s'`-style strings for agentkeepalive, or unknown. */
function ms(value: OptionValue, human = false): number | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  const folded = human ? humanMs(value) : value.kind === 'number' ? value.value : undefined;
  return folded === undefined ? 'unknown' : folded;
}

function bool(value: OptionValue): boolean | 'absent' | 'unknown' {
  if (value.kind === 'absent' || value.kind === 'undefined') return 'absent';
  return value.kind === 'boolean' ? value.value : 'unknown';
}

interface Client {
  readonly node: ts.NewExpression | ts.CallExpression;
  readonly library: string;
  readonly liveness: Liveness;
  readonly fixes: readonly Fix[];
}

function fix(title: string, edits: readonly (TextEdit | undefined)[]): Fix[] {
  return edits.every((e) => e !== undefined) && edits.length > 0 ? [{ title, edits: edits as TextEdit[], preferred: true }] : [];
}

/** Sets `name` in an options literal: replaces its value when present, adds it otherwise. */
function setOption(sourceFile: ts.SourceFile, options: Options, name: string, value: string): TextEdit | undefined {
  const existing = options.expression(name);
  if (existing) return { start: existing.getStart(sourceFile), end: existing.getEnd(), newText: value };
  return addProperties(sourceFile, options.node, [[name, value]]);
}

function libraryLabel(context: CodeRuleContext, name: string, fallback: string): string {
  const version = context.versions.libraries.get(name);
  return version ? `${fallback} ${formatSemver(version.version)}` : fallback;
}

/** `new http.Agent(…)` / `new https.Agent(…)`: pooled only with keepAlive: true. */
function nodeAgent(context: CodeRuleContext, node: ts.NewExpression, module: string): Client | undefined {
  const options = optionsOf(node.arguments?.[0], context.consts);
  if (options === 'absent' || options === 'unknown') return undefined; // no pooling, or not knowable
  const keepAlive = bool(options.get('keepAlive'));
  if (keepAlive !== true) return undefined; // false/absent: Connection: close, nothing idles
  const msecs = ms(options.get('keepAliveMsecs'));
  const timeout = ms(options.get('timeout'));
  if (msecs === 'unknown' || timeout === 'unknown' || options.has('keepSocketAlive')) return undefined;
  const liveness: Liveness = { keepaliveDelayMs: msecs === 'absent' ? 1000 : msecs, ...(timeout !== 'absent' ? { idleCapMs: timeout } : {}) };
  const { sourceFile } = context.file;
  return {
    node,
    library: `node:${module} Agent`,
    liveness,
    fixes: fix(`Set keepAliveMsecs: ${formatMs(context.fixDelayMs)}`, [setOption(sourceFile, options, 'keepAliveMsecs', formatMs(context.fixDelayMs))]),
  };
}

/** agentkeepalive: keep-alive by default (1 s probes), free sockets closed after freeSocketTimeout (4 s in 4.x). */
function agentkeepalive(context: CodeRuleContext, node: ts.NewExpression): Client | undefined {
  const options = optionsOf(node.arguments?.[0], context.consts);
  if (options === 'unknown') return undefined;
  const get = (name: string) => (options === 'absent' ? ({ kind: 'absent' } as const) : options.get(name));
  const keepAlive = bool(get('keepAlive'));
  if (keepAlive === 'unknown' || keepAlive === false) return undefined;
  const msecs = ms(get('keepAliveMsecs'), true);
  const version = context.versions.libraries.get('agentkeepalive');
  const legacy = version !== undefined && version.version.major < 4;
  const freeName = legacy ? 'freeSocketKeepAliveTimeout' : 'freeSocketTimeout';
  const free = ms(get(freeName), true);
  if (msecs === 'unknown' || free === 'unknown') return undefined;
  const liveness: Liveness = {
    keepaliveDelayMs: msecs === 'absent' ? 1000 : msecs,
    idleCapMs: free === 'absent' ? (legacy ? 15_000 : 4000) : free,
  };
  const { sourceFile } = context.file;
  const delay = formatMs(context.fixDelayMs);
  const edit = options === 'absent' ? appendArgument(sourceFile, node, `{ keepAliveMsecs: ${delay} }`) : setOption(sourceFile, options, 'keepAliveMsecs', delay);
  return { node, library: libraryLabel(context, 'agentkeepalive', 'agentkeepalive'), liveness, fixes: fix(`Set keepAliveMsecs: ${delay}`, [edit]) };
}

/** undici Agent/Pool/Client: idle sockets closed after keepAliveTimeout (4 s); connect keepalive 60 s since 5.18. */
function undici(context: CodeRuleContext, node: ts.NewExpression, kind: string): Client | undefined {
  const optionsArg = kind === 'Agent' ? node.arguments?.[0] : node.arguments?.[1];
  const options = optionsOf(optionsArg, context.consts);
  if (options === 'unknown') return undefined;
  const get = (name: string) => (options === 'absent' ? ({ kind: 'absent' } as const) : options.get(name));
  const idle = ms(get('keepAliveTimeout'));
  if (idle === 'unknown') return undefined;
  const version = context.versions.libraries.get('undici');
  const connectKeepAliveDefault = !version || !mayBeBelow(version, 5, 18);
  let delay: number | undefined = connectKeepAliveDefault ? 60_000 : undefined;
  let connectOptions: Options | undefined;
  let customConnector = false;
  if (options !== 'absent' && options.has('connect')) {
    const connect = options.nested('connect');
    if (connect === 'unknown') {
      // A custom connector function: does it enable keepalive? If it never mentions it, it does not.
      const expression = options.expression('connect');
      const body = expression && (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) ? expression.getText(context.file.sourceFile) : undefined;
      if (body === undefined || /keepAlive|setKeepAlive/.test(body)) return undefined;
      delay = undefined;
      customConnector = true;
    } else if (connect !== 'absent') {
      connectOptions = connect;
      const keepAlive = bool(connect.get('keepAlive'));
      const initial = ms(connect.get('keepAliveInitialDelay'));
      if (keepAlive === 'unknown' || initial === 'unknown') return undefined;
      if (keepAlive === false) delay = undefined;
      else if (keepAlive === true || connectKeepAliveDefault) delay = initial === 'absent' ? 60_000 : initial;
    }
  }
  const liveness: Liveness = { ...(delay !== undefined ? { keepaliveDelayMs: delay } : {}), idleCapMs: idle === 'absent' ? 4000 : idle };
  const { sourceFile } = context.file;
  const delayText = formatMs(context.fixDelayMs);
  let edits: (TextEdit | undefined)[] = [];
  if (connectOptions) {
    edits = [setOption(sourceFile, connectOptions, 'keepAlive', 'true'), setOption(sourceFile, connectOptions, 'keepAliveInitialDelay', delayText)];
    // Two edits into one literal must not both append: add them together instead.
    if (!connectOptions.has('keepAlive') && !connectOptions.has('keepAliveInitialDelay')) {
      edits = [addProperties(sourceFile, connectOptions.node, [['keepAlive', 'true'], ['keepAliveInitialDelay', delayText]])];
    }
  } else if (options !== 'absent' && !customConnector) {
    edits = [setOption(sourceFile, options, 'connect', `{ keepAlive: true, keepAliveInitialDelay: ${delayText} }`)];
  }
  return {
    node,
    library: libraryLabel(context, 'undici', `undici ${kind}`),
    liveness,
    fixes: fix(`Enable TCP keepalive on undici's sockets (connect: { keepAlive: true, keepAliveInitialDelay: ${delayText} })`, edits),
  };
}

/** got with `http2: true`: http2-wrapper sessions neither probe nor close when idle. */
function gotHttp2(context: CodeRuleContext, node: ts.CallExpression): Client | undefined {
  for (const argument of node.arguments) {
    const options = optionsOf(argument, context.consts);
    if (options === 'absent' || options === 'unknown') continue;
    if (bool(options.get('http2')) === true) return { node, library: libraryLabel(context, 'got', 'got (http2: true)'), liveness: {}, fixes: [] };
  }
  return undefined;
}

function clientAt(context: CodeRuleContext, node: Creation): Client | undefined {
  const { imports } = context;
  if (ts.isNewExpression(node)) {
    const ref = imports.resolve(node.expression);
    if (!ref) return undefined;
    const last = ref.path[ref.path.length - 1];
    if ((ref.module === 'http' || ref.module === 'https') && ref.path.length === 1 && last === 'Agent') return nodeAgent(context, node, ref.module);
    if (ref.module === 'agentkeepalive' && (ref.path.length <= 1 || ref.path.join('.') === 'default.HttpsAgent') && (last === undefined || ['default', 'HttpsAgent', 'Agent'].includes(last))) {
      return agentkeepalive(context, node);
    }
    if (ref.module === 'undici' && ref.path.length === 1 && (last === 'Agent' || last === 'Pool' || last === 'Client')) return undici(context, node, last);
    return undefined;
  }
  if (ts.isCallExpression(node)) {
    const ref = imports.resolve(node.expression);
    if (ref?.module !== 'got') return undefined;
    const path = ref.path.join('.');
    if (['default', 'got', 'default.extend', 'got.extend', 'extend', 'default.get', 'default.post', 'default.stream', 'got.get', 'got.post'].includes(path) || path === '') {
      return gotHttp2(context, node);
    }
  }
  return undefined;
}

export default createRule({
  id: 'node/http-agent-keepalive',
  description: 'An HTTP connection pool whose idle sockets neither probe nor close before the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation:
    'Give pooled sockets a keepalive delay below the idle timeout (keepAliveMsecs on Node agents, connect.keepAliveInitialDelay on undici) or close idle sockets sooner (timeout / freeSocketTimeout / keepAliveTimeout).',
  messages: {
    unsafe:
      '{{library}} pools connections that can sit idle past the middlebox timeout: {{verdict}}. The next request on such a socket fails with ECONNRESET. {{advice}}',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny(MODULES)) return;
    const reports: Report<MessageId>[] = [];
    for (const node of context.nodes.creations) {
      const client = clientAt(context, node);
      if (client && !isSafe(client.liveness, context)) {
        reports.push({
          messageId: 'unsafe',
          data: {
            library: client.library,
            verdict: verdictText(client.liveness, context),
            advice:
              client.fixes.length > 0
                ? `Set a keepalive delay below ${context.timeout.seconds}s (the fix writes ${context.fixDelayMs / 1000}s) or close idle sockets sooner.`
                : 'Use HTTP/1.1 pooling (an agent with keepAlive), or close idle HTTP/2 sessions before the timeout.',
          },
          range: creationRange(sourceFile, client.node),
          fixes: client.fixes,
        });
      }
    }
    yield* reports;
  },
});
