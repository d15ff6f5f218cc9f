/**
 * node/db-client-keepalive: database and cache clients (pg, mysql2, ioredis, node-redis, mongodb)
 * whose idle connections neither probe nor close before the middlebox idle timeout T. Each
 * recogniser maps a constructor call and its options onto the liveness model with that library's
 * defaults for the version in use; anything it cannot see keeps it silent.
 */
import ts from 'typescript';
import { createRule, type CodeRuleContext, type Report } from '../rule.ts';
import { appendArgument, formatMs } from '../ts/edit.ts';
import type { Options, OptionValue } from '../ts/fold.ts';
import type { Fix, TextEdit } from '../types.ts';
import {
  atLeast,
  classify,
  getter,
  isLocalHost,
  isLocalUrl,
  isShortLived,
  libraryVersion,
  nodeLabel,
  optionBoolean,
  optionNumber,
  optionString,
  parseConnectionUrl,
  setOptions,
  type LibraryVersion,
  type StringArg,
} from './db-client-support.ts';
import { isSafe, verdictText, type Liveness } from './liveness.ts';
import type { Creation } from '../ts/nodes.ts';
import { creationRange } from './track.ts';
import { mayBeBelow } from './versions.ts';

type MessageId = 'unsafe' | 'tlsIgnored';

interface Client {
  readonly node: ts.NewExpression | ts.CallExpression;
  /** `pg Client (pg 8.11.3, read from package-lock.json)`. */
  readonly client: string;
  readonly liveness: Liveness;
  readonly advice: string;
  readonly fixes: readonly Fix[];
  /** Set when TLS on a Node below 24.15 is what drops the keepalive: the TLS evidence. */
  readonly tls?: string;
}

function fix(title: string, edits: readonly (TextEdit | undefined)[]): Fix[] {
  return edits.length > 0 && edits.every((e) => e !== undefined) ? [{ title, edits: edits as TextEdit[], preferred: true }] : [];
}

function seconds(context: CodeRuleContext): string {
  return `${context.timeout.seconds}s`;
}

/** A keepalive delay in ms, `false` when keepalive is off, or unknown. */
type Delay = number | false | 'unknown';

// ---------------------------------------------------------------------------------------------- pg

/** pg: `Client` has keepalive off by default; `Pool` closes idle clients after idleTimeoutMillis (10 s). */
function pg(context: CodeRuleContext, node: ts.NewExpression, kind: 'Client' | 'Pool'): Client | undefined {
  const { sourceFile } = context.file;
  const lib = libraryVersion(context, 'pg', '8.x');
  const arg = classify(node.arguments?.[0], context);
  if (arg.kind === 'unknown' || arg.kind === 'number') return undefined;
  if (isShortLived(sourceFile, node)) return undefined;
  const delay = formatMs(context.fixDelayMs);
  const client = `pg ${kind} (${lib.label})`;
  if (arg.kind === 'string') {
    if (kind === 'Pool' || (arg.literal !== undefined && isLocalUrl(arg.literal))) return undefined;
    // pg reads keepAlive only from a config object: a connection string leaves it off.
    return {
      node,
      client,
      liveness: {},
      fixes: [],
      advice: `A connection string cannot turn keepalive on: pass a config object instead, { connectionString, keepAlive: true, keepAliveInitialDelayMillis: ${delay} }.`,
    };
  }
  const options = arg.kind === 'options' ? arg.options : undefined;
  const get = getter(options);
  const host = optionString(get('host'));
  if (typeof host === 'string' && isLocalHost(host)) return undefined;
  const connectionString = optionString(get('connectionString'));
  if (typeof connectionString === 'string' && isLocalUrl(connectionString)) return undefined;
  const keepAlive = optionBoolean(get('keepAlive'));
  const initial = optionNumber(get('keepAliveInitialDelayMillis'));
  if (keepAlive === 'unknown' || initial === 'unknown') return undefined;
  let liveness: Liveness = keepAlive === true ? { keepaliveDelayMs: initial === 'absent' ? 0 : initial } : {};
  if (kind === 'Pool') {
    const idle = optionNumber(get('idleTimeoutMillis'));
    if (idle === 'unknown') return undefined;
    liveness = { ...liveness, idleCapMs: idle === 'absent' ? 10_000 : idle };
  }
  const edits = options
    ? setOptions(sourceFile, options, [
        ['keepAlive', 'true'],
        ['keepAliveInitialDelayMillis', delay],
      ])
    : [appendArgument(sourceFile, node, `{ keepAlive: true, keepAliveInitialDelayMillis: ${delay} }`)];
  return {
    node,
    client,
    liveness,
    fixes: fix(`Enable TCP keepalive (keepAlive: true, keepAliveInitialDelayMillis: ${delay})`, edits),
    advice:
      kind === 'Client'
        ? `Set keepAlive: true with keepAliveInitialDelayMillis below ${seconds(context)} (${delay} ms), or use a pg.Pool, which closes idle clients after idleTimeoutMillis (10 s by default).`
        : `Set keepAlive: true with keepAliveInitialDelayMillis below ${seconds(context)} (${delay} ms), or idleTimeoutMillis below ${seconds(context)} (0 disables it).`,
  };
}

// -------------------------------------------------------------------------------------------- mysql2

const MYSQL2_LIVENESS_KEYS = ['enableKeepAlive', 'keepAliveInitialDelay', 'maxIdle', 'idleTimeout', 'connectionLimit'];

/** mysql2 copies a URL's query parameters into the options: a static one that sets ours hides the answer. */
function urlSets(url: StringArg, keys: readonly string[]): boolean {
  if (url.literal !== undefined) {
    const parsed = parseConnectionUrl(url.literal);
    return parsed !== undefined && keys.some((key) => parsed.query.has(key));
  }
  return keys.some((key) => url.known.includes(`${key}=`));
}

/**
 * mysql2 ≥ 3.4: enableKeepAlive defaults to true with keepAliveInitialDelay 0 (→ 7200 s); a pool's
 * idleTimeout (60 s) is enforced only when maxIdle < connectionLimit, and maxIdle defaults to it.
 */
function mysql2(context: CodeRuleContext, node: ts.CallExpression, kind: 'createPool' | 'createConnection'): Client | undefined {
  const { sourceFile } = context.file;
  const lib = libraryVersion(context, 'mysql2', '3.x');
  const modern = atLeast(lib.version, 3, 4);
  const arg = classify(node.arguments[0], context);
  if (arg.kind !== 'options' && arg.kind !== 'string') return undefined;
  if (isShortLived(sourceFile, node)) return undefined;
  const options = arg.kind === 'options' ? arg.options : undefined;
  let url: StringArg | undefined = arg.kind === 'string' ? arg : undefined;
  const uriExpression = options?.expression('uri');
  if (uriExpression) {
    const uri = classify(uriExpression, context);
    url = uri.kind === 'string' ? uri : { kind: 'string', literal: undefined, head: '', known: '' };
  }
  if (url && ((url.literal !== undefined && isLocalUrl(url.literal)) || urlSets(url, MYSQL2_LIVENESS_KEYS))) return undefined;
  const get = getter(options);
  if (options?.has('socketPath')) return undefined; // a Unix socket: no middlebox
  const host = optionString(get('host'));
  if (typeof host === 'string' && isLocalHost(host)) return undefined;
  if (!url && host === 'absent') return undefined; // mysql2 defaults to localhost

  const enable = optionBoolean(get('enableKeepAlive'));
  const initial = optionNumber(get('keepAliveInitialDelay'));
  if (enable === 'unknown' || initial === 'unknown') return undefined;
  const on = enable === true || (enable === 'absent' && modern);
  let liveness: Liveness = on ? { keepaliveDelayMs: initial === 'absent' ? 0 : initial } : {};
  if (kind === 'createPool' && modern) {
    const limit = optionNumber(get('connectionLimit'));
    const maxIdle = optionNumber(get('maxIdle'));
    const idleTimeout = optionNumber(get('idleTimeout'));
    if (limit === 'unknown' || maxIdle === 'unknown' || idleTimeout === 'unknown') return undefined;
    const connectionLimit = limit === 'absent' ? 10 : limit;
    const idle = maxIdle === 'absent' ? connectionLimit : maxIdle;
    // The reaper runs every second once armed and closes free connections above maxIdle at once.
    if (idle < connectionLimit) liveness = { ...liveness, idleCapMs: idle === 0 ? 1000 : idleTimeout === 'absent' ? 60_000 : idleTimeout };
  }
  const delay = formatMs(context.fixDelayMs);
  const edits = options
    ? setOptions(sourceFile, options, [
        ['enableKeepAlive', 'true'],
        ['keepAliveInitialDelay', delay],
      ])
    : [];
  const poolAdvice = kind === 'createPool' ? `, or set maxIdle below connectionLimit with idleTimeout below ${seconds(context)}` : '';
  return {
    node,
    client: `mysql2 ${kind} (${lib.label})`,
    liveness,
    fixes: fix(`Enable TCP keepalive (enableKeepAlive: true, keepAliveInitialDelay: ${delay})`, edits),
    advice: `Set enableKeepAlive: true with keepAliveInitialDelay below ${seconds(context)} (${delay} ms)${poolAdvice}.${options ? '' : ' A connection string cannot be given options here: pass a config object with uri.'}`,
  };
}

// ---------------------------------------------------------------------- ioredis and node-redis ≤ 3

interface Scan {
  /** The options objects among the arguments, in order (the first that sets a key wins). */
  readonly options: Options[];
  readonly target: 'local' | 'remote' | 'default';
}

/**
 * Reads `(port, host, options)` / `(url, options)` / `(options)` arguments. A URL from the
 * environment is taken to name a server, not to tune keepalive; a static one that sets `urlKeys`
 * hides the answer (undefined), like an argument of unknown kind.
 */
function scanArgs(context: CodeRuleContext, args: readonly ts.Expression[], urlKeys: readonly string[]): Scan | undefined {
  const options: Options[] = [];
  let target: Scan['target'] = 'default';
  const remote = () => {
    if (target === 'default') target = 'remote';
  };
  for (const argument of args) {
    const arg = classify(argument, context);
    if (arg.kind === 'none' || arg.kind === 'number') continue;
    if (arg.kind === 'unknown') return undefined;
    if (arg.kind === 'string') {
      if (arg.literal === undefined) remote();
      else if (arg.literal.includes('://')) {
        if (isLocalUrl(arg.literal)) target = 'local';
        else if (urlSets(arg, urlKeys)) return undefined;
        else remote();
      } else if (isLocalHost(arg.literal)) target = 'local';
      else remote();
      continue;
    }
    const o = arg.options;
    options.push(o);
    if (o.has('path')) target = 'local';
    const host = optionString(o.get('host'));
    if (typeof host === 'string' && isLocalHost(host)) target = 'local';
    else if (host !== 'absent') remote();
    const url = optionString(o.get('url'));
    if (typeof url === 'string' && isLocalUrl(url)) target = 'local';
    else if (url !== 'absent') remote();
    if (o.has('sentinels') || o.open) remote();
  }
  return { options, target };
}

function firstSet(options: readonly Options[], name: string): OptionValue {
  for (const o of options) {
    const value = o.get(name);
    if (value.kind !== 'absent' && value.kind !== 'undefined') return value;
  }
  return { kind: 'absent' };
}

/** `new Cluster([{ host: '127.0.0.1', port: 7000 }, …])` with every node local. */
function localNodes(context: CodeRuleContext, expression: ts.Expression | undefined): boolean {
  if (!expression || !ts.isArrayLiteralExpression(expression) || expression.elements.length === 0) return false;
  return expression.elements.every((element) => {
    const arg = classify(element, context);
    if (arg.kind === 'number') return true;
    if (arg.kind === 'string') return arg.literal !== undefined && (arg.literal.includes('://') ? isLocalUrl(arg.literal) : isLocalHost(arg.literal.replace(/:\d+$/, '')));
    if (arg.kind === 'options') {
      const host = optionString(arg.options.get('host'));
      return !arg.options.open && (host === 'absent' || (typeof host === 'string' && isLocalHost(host)));
    }
    return false;
  });
}

/** ioredis calls setKeepAlive(true, keepAlive) only for a number: 0 (≤ 5's default) → 7200 s; 6 defaults to 30000. */
function ioredisDelay(value: OptionValue, fallback: number): Delay {
  if (value.kind === 'absent' || value.kind === 'undefined') return fallback;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'boolean') return false;
  return 'unknown';
}

function ioredis(context: CodeRuleContext, node: ts.NewExpression, cluster: boolean): Client | undefined {
  const { sourceFile } = context.file;
  const lib = libraryVersion(context, 'ioredis', '6.x');
  const fallback = atLeast(lib.version, 6) ? 30_000 : 0;
  const args = node.arguments ?? [];
  const delay = formatMs(context.fixDelayMs);
  let value: OptionValue;
  let edits: (TextEdit | undefined)[];
  if (cluster) {
    if (localNodes(context, args[0])) return undefined;
    const arg = classify(args[1], context);
    if (arg.kind !== 'none' && arg.kind !== 'options') return undefined;
    const options = arg.kind === 'options' ? arg.options : undefined;
    const redisOptions = options ? options.nested('redisOptions') : 'absent';
    if (redisOptions === 'unknown') return undefined;
    value = redisOptions === 'absent' ? (options?.open ? { kind: 'unknown' } : { kind: 'absent' }) : redisOptions.get('keepAlive');
    if (redisOptions !== 'absent') edits = setOptions(sourceFile, redisOptions, [['keepAlive', delay]]);
    else if (options) edits = setOptions(sourceFile, options, [['redisOptions', `{ keepAlive: ${delay} }`]]);
    else edits = args.length > 0 ? [appendArgument(sourceFile, node, `{ redisOptions: { keepAlive: ${delay} } }`)] : [];
  } else {
    const scan = scanArgs(context, args, ['keepAlive']);
    if (!scan || scan.target !== 'remote') return undefined; // unknown, loopback/Unix socket, or the localhost default
    value = firstSet(scan.options, 'keepAlive');
    const first = scan.options[0];
    edits = first ? setOptions(sourceFile, first, [['keepAlive', delay]]) : [appendArgument(sourceFile, node, `{ keepAlive: ${delay} }`)];
  }
  const keepalive = ioredisDelay(value, fallback);
  if (keepalive === 'unknown') return undefined;
  if (isShortLived(sourceFile, node)) return undefined;
  return {
    node,
    client: `ioredis ${cluster ? 'Cluster' : 'Redis'} (${lib.label})`,
    liveness: keepalive === false ? {} : { keepaliveDelayMs: keepalive },
    fixes: fix(`Set keepAlive: ${delay}`, edits),
    advice: `Set keepAlive to a delay in ms below ${seconds(context)} (${delay}); ioredis 6 defaults to 30000.`,
  };
}

// ------------------------------------------------------------------------------------- node-redis

type RedisFamily = 'legacy' | 'v4' | 'modern';

function redisVersion(context: CodeRuleContext, module: 'redis' | '@redis/client'): { lib: LibraryVersion; family: RedisFamily; major: number } {
  let lib = libraryVersion(context, module, '5.x');
  let viaClient = module === '@redis/client';
  if (!lib.version && module === 'redis' && context.versions.libraries.has('@redis/client')) {
    lib = libraryVersion(context, '@redis/client', '5.x');
    viaClient = true;
  }
  const major = lib.version?.major ?? 5;
  // `redis` 4.x ships `@redis/client` 1.x; both jumped to 5 together.
  const family: RedisFamily = viaClient ? (major < 5 ? 'v4' : 'modern') : major < 4 ? 'legacy' : major === 4 ? 'v4' : 'modern';
  return { lib, family, major: viaClient && major < 5 ? 4 : major };
}

/** node-redis 2/3: setKeepAlive(socket_keepalive, socket_initial_delay); 2.x passes no delay; both default to 7200 s. */
function redisLegacy(context: CodeRuleContext, node: ts.CallExpression, lib: LibraryVersion, major: number): Client | undefined {
  const { sourceFile } = context.file;
  const scan = scanArgs(context, node.arguments, ['socket_keepalive', 'socket_initial_delay']);
  if (!scan || scan.target !== 'remote') return undefined;
  const enabled = optionBoolean(firstSet(scan.options, 'socket_keepalive'));
  const initial = major >= 3 ? optionNumber(firstSet(scan.options, 'socket_initial_delay')) : 'absent';
  if (enabled === 'unknown' || initial === 'unknown') return undefined;
  if (isShortLived(sourceFile, node)) return undefined;
  const delay = formatMs(context.fixDelayMs);
  const first = scan.options[0];
  let edits: (TextEdit | undefined)[] = [];
  if (major >= 3) {
    const pairs: [string, string][] = enabled === false ? [['socket_keepalive', 'true'], ['socket_initial_delay', delay]] : [['socket_initial_delay', delay]];
    edits = first ? setOptions(sourceFile, first, pairs) : [appendArgument(sourceFile, node, `{ socket_initial_delay: ${delay} }`)];
  }
  return {
    node,
    client: `node-redis createClient (${lib.label})`,
    liveness: enabled === false ? {} : { keepaliveDelayMs: initial === 'absent' ? 0 : initial },
    fixes: fix(`Set socket_initial_delay: ${delay}`, edits),
    advice:
      major >= 3
        ? `Set socket_initial_delay below ${seconds(context)} (${delay} ms), or upgrade to redis 4 or newer (5 s keepalive by default).`
        : 'redis 2.x has no keepalive delay option: upgrade to redis 3 (socket_initial_delay) or 4 and newer (5 s keepalive by default).',
  };
}

/**
 * node-redis 4 (`@redis/client` 1.x): setKeepAlive(true, 5000) after connecting, TLS included — safe.
 * 5 and newer pass keepalive to net/tls.connect, and tls.connect ignores it before Node 24.15.
 */
function redisModern(context: CodeRuleContext, node: ts.CallExpression, lib: LibraryVersion, family: RedisFamily, major: number): Client | undefined {
  const { sourceFile } = context.file;
  const arg = classify(node.arguments[0], context);
  if (arg.kind !== 'options') return undefined; // none: localhost; anything else: unknown
  const options = arg.options;
  const socket = options.nested('socket');
  if (socket === 'unknown') return undefined;
  const urlExpression = options.expression('url');
  let url: StringArg | undefined;
  if (urlExpression) {
    const u = classify(urlExpression, context);
    url = u.kind === 'string' ? u : { kind: 'string', literal: undefined, head: '', known: '' };
  }
  if (url?.literal !== undefined && isLocalUrl(url.literal)) return undefined;
  if (socket !== 'absent' && socket.has('path')) return undefined;
  const host = socket === 'absent' ? 'absent' : optionString(socket.get('host'));
  if (typeof host === 'string' && isLocalHost(host)) return undefined;
  const hostUnseen = options.open || (socket !== 'absent' && socket.open);
  if (!url && host === 'absent' && !hostUnseen) return undefined; // node-redis defaults to localhost

  const ping = optionNumber(options.get('pingInterval'));
  if (ping === 'unknown') return undefined;
  const heartbeat: Liveness = typeof ping === 'number' && ping > 0 ? { heartbeatMs: ping } : {};
  const fallback = major >= 6 ? 30_000 : 5000;
  let keepalive: Delay = fallback;
  if (socket !== 'absent') {
    const keepAlive = socket.get('keepAlive');
    if (keepAlive.kind === 'number') keepalive = keepAlive.value;
    else if (keepAlive.kind === 'boolean' && !keepAlive.value) keepalive = false;
    else if (keepAlive.kind === 'boolean' || keepAlive.kind === 'absent' || keepAlive.kind === 'undefined') {
      const initial = optionNumber(socket.get('keepAliveInitialDelay'));
      keepalive = initial === 'unknown' ? 'unknown' : initial === 'absent' ? fallback : initial;
    } else keepalive = 'unknown';
  } else if (options.open) keepalive = 'unknown';
  if (keepalive === 'unknown') return undefined;
  if (isShortLived(sourceFile, node)) return undefined;

  const client = `node-redis createClient (${lib.label})`;
  if (family === 'modern' && mayBeBelow(context.versions.node, 24, 15)) {
    const tlsOption = socket === 'absent' ? 'absent' : optionBoolean(socket.get('tls'));
    let tls: string | undefined;
    if (tlsOption === true) tls = 'socket.tls: true';
    else if (url && /^rediss:\/\//i.test(url.head)) tls = 'a rediss:// url';
    const schemeUnseen = url !== undefined && !/^rediss?:\/\//i.test(url.head);
    if (!tls && (tlsOption === 'unknown' || schemeUnseen || (options.open && !url))) return undefined; // TLS or not: cannot know
    if (tls) {
      return {
        node,
        client,
        tls,
        liveness: heartbeat,
        fixes: [],
        advice: `Run it on Node 24.15 or newer (and declare that in engines.node or .nvmrc), or set pingInterval below ${seconds(context)} so a PING keeps the connection busy.`,
      };
    }
  }
  const liveness: Liveness = { ...(keepalive === false ? {} : { keepaliveDelayMs: keepalive }), ...heartbeat };
  const delay = formatMs(context.fixDelayMs);
  let edits: (TextEdit | undefined)[] = [];
  if (family === 'v4') {
    edits = socket === 'absent' ? setOptions(sourceFile, options, [['socket', `{ keepAlive: ${delay} }`]]) : setOptions(sourceFile, socket, [['keepAlive', delay]]);
  } else if (socket !== 'absent') {
    // The option shapes of 5+ are those the code already uses: a numeric keepAlive, or keepAliveInitialDelay.
    const keepAlive = socket.get('keepAlive');
    if (keepAlive.kind === 'number') edits = setOptions(sourceFile, socket, [['keepAlive', delay]]);
    else if (socket.has('keepAliveInitialDelay')) {
      edits = setOptions(sourceFile, socket, keepAlive.kind === 'boolean' ? [['keepAlive', 'true'], ['keepAliveInitialDelay', delay]] : [['keepAliveInitialDelay', delay]]);
    }
  }
  return {
    node,
    client,
    liveness,
    fixes: fix(`Set the socket keepalive delay to ${delay}`, edits),
    advice: `Keep socket keepalive on with a delay below ${seconds(context)} (${delay} ms), or set pingInterval below ${seconds(context)}.`,
  };
}

function nodeRedis(context: CodeRuleContext, node: ts.CallExpression, module: 'redis' | '@redis/client'): Client | undefined {
  const { lib, family, major } = redisVersion(context, module);
  return family === 'legacy' ? redisLegacy(context, node, lib, major) : redisModern(context, node, lib, family, major);
}

// ---------------------------------------------------------------------------------------- mongodb

/** mongodb: 3–5 120 s (keepAlive/keepAliveInitialDelay options); 6.0–6.16 300 s; 6.17–7.1 connect options (lost over TLS before Node 24.15); ≥ 7.2 120 s. */
function mongodb(context: CodeRuleContext, node: ts.NewExpression | ts.CallExpression): Client | undefined {
  const { sourceFile } = context.file;
  const lib = libraryVersion(context, 'mongodb', '7.2+');
  const version = lib.version;
  if (version && version.major < 3) return undefined;
  const args = node.arguments ?? [];
  const first = classify(args[0], context);
  if (first.kind !== 'string' && first.kind !== 'unknown') return undefined;
  // The first argument is always a connection string: one we cannot read is a URL of unknown text.
  const urlArg: StringArg = first.kind === 'string' ? first : { kind: 'string', literal: undefined, head: '', known: '' };
  const optionsArg = classify(args[1], context);
  if (optionsArg.kind !== 'none' && optionsArg.kind !== 'options') return undefined;
  const options = optionsArg.kind === 'options' ? optionsArg.options : undefined;
  const get = getter(options);
  const parsed = urlArg.literal !== undefined ? parseConnectionUrl(urlArg.literal) : undefined;
  if (urlArg.literal !== undefined && isLocalUrl(urlArg.literal)) return undefined;
  if (parsed && ['keepAlive', 'keepAliveInitialDelay'].some((key) => parsed.query.has(key))) return undefined;

  // (b) maxIdleTimeMS closes idle pooled connections: from the options, else the static URL.
  let maxIdle = optionNumber(get('maxIdleTimeMS'));
  if (maxIdle === 'absent' && parsed?.query.has('maxIdleTimeMS')) maxIdle = Number(parsed.query.get('maxIdleTimeMS'));
  else if (maxIdle === 'absent' && urlArg.literal === undefined && urlArg.known.includes('maxIdleTimeMS=')) maxIdle = 'unknown';
  if (maxIdle === 'unknown' || Number.isNaN(maxIdle)) return undefined;
  const idle: Liveness = typeof maxIdle === 'number' && maxIdle > 0 ? { idleCapMs: maxIdle } : {};

  const major = version?.major ?? 7;
  const minor = version?.minor ?? 2;
  const passedToConnect = (major === 6 && minor >= 17) || (major === 7 && minor < 2);
  let keepalive: Delay;
  if (major <= 5) {
    const keepAlive = optionBoolean(get('keepAlive'));
    const initial = optionNumber(get('keepAliveInitialDelay'));
    if (keepAlive === 'unknown' || initial === 'unknown') return undefined;
    keepalive = keepAlive === false ? false : initial === 'absent' ? 120_000 : initial;
  } else if (major === 6 && minor < 17) {
    keepalive = 300_000;
  } else {
    const initial = optionNumber(get('keepAliveInitialDelay'));
    if (initial === 'unknown') return undefined;
    keepalive = initial === 'absent' ? 120_000 : initial;
  }
  if (isShortLived(sourceFile, node)) return undefined;
  const client = `mongodb MongoClient (${lib.label})`;

  if (passedToConnect && mayBeBelow(context.versions.node, 24, 15)) {
    const tlsOption = optionBoolean(get('tls'));
    const sslOption = optionBoolean(get('ssl'));
    if (tlsOption === 'unknown' || sslOption === 'unknown') return undefined;
    let tls: string | undefined;
    let plain = false;
    if (tlsOption === true) tls = 'tls: true';
    else if (sslOption === true) tls = 'ssl: true';
    else if (tlsOption === false || sslOption === false) plain = true;
    else {
      const text = urlArg.literal ?? urlArg.known;
      const queryTls = /[?&](?:tls|ssl)=(true|false)/i.exec(text)?.[1]?.toLowerCase();
      if (queryTls === 'false') plain = true;
      else if (/^mongodb\+srv:\/\//i.test(urlArg.head)) tls = 'a mongodb+srv:// url, which implies TLS';
      else if (queryTls === 'true') tls = 'tls=true in the url';
      else if (urlArg.literal !== undefined && /^mongodb:\/\//i.test(urlArg.literal)) plain = true;
    }
    if (!tls && !plain) return undefined; // TLS or not: cannot know
    if (tls) {
      return {
        node,
        client,
        tls,
        liveness: idle,
        fixes: [],
        advice: `Upgrade mongodb to 7.2 or newer (keepalive set on the connected socket), run on Node 24.15 or newer, or set maxIdleTimeMS below ${seconds(context)}.`,
      };
    }
  }
  return {
    node,
    client,
    liveness: { ...(keepalive === false ? {} : { keepaliveDelayMs: keepalive }), ...idle },
    fixes: [],
    advice:
      major <= 5
        ? `Leave keepAlive on with keepAliveInitialDelay below ${seconds(context)}, or set maxIdleTimeMS below ${seconds(context)}.`
        : `Set maxIdleTimeMS below ${seconds(context)}, or upgrade mongodb to 7.2 or newer (120 s keepalive) if that is below ${seconds(context)}.`,
  };
}

// -------------------------------------------------------------------------------------- dispatch

/** The modules whose clients clientAt knows. */
const MODULES = ['pg', 'mysql2', 'mysql2/promise', 'ioredis', 'redis', '@redis/client', 'mongodb'];

function clientAt(context: CodeRuleContext, node: Creation): Client | undefined {
  const ref = context.imports.resolve(node.expression);
  if (!ref) return undefined;
  const name = (ref.path[0] === 'default' ? ref.path.slice(1) : ref.path).join('.');
  const isNew = ts.isNewExpression(node);
  switch (ref.module) {
    case 'pg':
      return isNew && (name === 'Client' || name === 'Pool') ? pg(context, node, name) : undefined;
    case 'mysql2':
    case 'mysql2/promise':
      return !isNew && (name === 'createPool' || name === 'createConnection') ? mysql2(context, node, name) : undefined;
    case 'ioredis':
      if (!isNew) return undefined;
      if (name === '' || name === 'Redis') return ioredis(context, node, false);
      return name === 'Cluster' || name === 'Redis.Cluster' ? ioredis(context, node, true) : undefined;
    case 'redis':
    case '@redis/client':
      return !isNew && name === 'createClient' ? nodeRedis(context, node, ref.module) : undefined;
    case 'mongodb':
      return (isNew && name === 'MongoClient') || (!isNew && name === 'MongoClient.connect') ? mongodb(context, node) : undefined;
    default:
      return undefined;
  }
}

export default createRule({
  id: 'node/db-client-keepalive',
  description: 'A database or cache client (pg, mysql2, ioredis, node-redis, mongodb) whose idle connections neither probe nor close before the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'ts',
  remediation:
    'Give the client a TCP keepalive delay below the idle timeout (pg keepAlive + keepAliveInitialDelayMillis, mysql2 keepAliveInitialDelay, ioredis keepAlive, node-redis 3 socket_initial_delay), close idle connections sooner, or upgrade where the library drops keepalive over TLS.',
  messages: {
    unsafe: '{{client}} can keep a connection idle past the middlebox timeout: {{verdict}}. The first command after such a gap fails with ECONNRESET. {{advice}}',
    tlsIgnored:
      '{{client}} connects over TLS ({{tls}}) and hands its keepalive settings to tls.connect, which ignores them before Node 24.15 ({{node}}): {{verdict}}. The first command after an idle gap fails with ECONNRESET. {{advice}}',
  },
  *check(context) {
    const { sourceFile } = context.file;
    if (!context.imports.importsAny(MODULES)) return;
    const reports: Report<MessageId>[] = [];
    for (const node of context.nodes.creations) {
      const client = clientAt(context, node);
      if (client && !isSafe(client.liveness, context)) {
        const verdict = verdictText(client.liveness, context);
        reports.push({
          messageId: client.tls ? 'tlsIgnored' : 'unsafe',
          data: client.tls
            ? { client: client.client, tls: client.tls, node: nodeLabel(context), verdict, advice: client.advice }
            : { client: client.client, verdict, advice: client.advice },
          range: creationRange(sourceFile, client.node),
          fixes: client.fixes,
        });
      }
    }
    yield* reports;
  },
});
