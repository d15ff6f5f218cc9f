/**
 * The fuzzer of test/core/fuzz.test.ts (and `npm run fuzz`): seeded mutations of real manifests and
 * sources, and the analysis each mutated file goes through (the CLI's: analyse, index, lint, apply
 * the preferred fixes once and lint again).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../../bench/generate.mjs';
import { resolveConfig, type ResolvedConfig, type UserConfig } from '../../rules/config.ts';
import { applyFixes } from '../../rules/fix.ts';
import { analyseCode, analyseYaml, buildIndex, lintCode, lintYaml } from '../../rules/lint.ts';
import { UNKNOWN_VERSIONS } from '../../rules/node/versions.ts';
import type { Fix } from '../../rules/types.ts';
import { DEPLOYMENT_ONLY, ERRORS, FLAGGED, SERVICE_ONLY, SYSCTLS_SET } from '../cli/helpers.ts';

const REPO = join(import.meta.dirname, '..', '..');

export interface FuzzCase {
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

type Rng = ReturnType<typeof prng>;

/** Every client kind the code rules know, in one file. */
const CLIENTS = `import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import http2 from 'node:http2';
import * as grpc from '@grpc/grpc-js';
import WebSocket from 'ws';
import { Pool, Client } from 'pg';
import mysql from 'mysql2';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { MongoClient } from 'mongodb';
import { Agent } from 'undici';

const MINUTE = 60 * 1000;
export const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60 * MINUTE });
export const tlsAgent = new https.Agent({ keepAlive: true });
export const socket = net.connect({ host: 'redis', port: 6379 });
socket.setKeepAlive(true);
export const secure = tls.connect({ host: 'db', port: 5432, keepAlive: true });
export const session = http2.connect('http://api:8080');
export const channel = new grpc.Client('orders:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 3_600_000 });
export const ws = new WebSocket('ws://feed:8080');
ws.on('open', () => setInterval(() => ws.ping(), 30_000));
export const pool = new Pool({ host: 'pg', idleTimeoutMillis: 0 });
export const client = new Client({ host: 'pg', keepAlive: true });
export const my = mysql.createPool({ host: 'mysql', enableKeepAlive: true, keepAliveInitialDelay: 0 });
export const cache = new Redis({ host: 'redis', keepAlive: 0 });
export const nodeRedis = createClient({ url: 'redis://redis:6379' });
export const mongo = new MongoClient('mongodb://mongo:27017', { maxIdleTimeMS: 0 });
export const dispatcher = new Agent({ keepAliveTimeout: 4_000 });
`;

/** The files the mutations start from: the examples, the type-checked fixtures, the CLI fixtures and a few real manifests. */
export function seedCases(): FuzzCase[] {
  const seeds: FuzzCase[] = [
    { name: 'flagged', path: 'flagged.yaml', text: FLAGGED },
    { name: 'errors', path: 'errors.yaml', text: ERRORS },
    { name: 'sysctls', path: 'sysctls.yaml', text: SYSCTLS_SET },
    { name: 'deployment', path: 'deployment.yaml', text: DEPLOYMENT_ONLY },
    { name: 'service', path: 'service.yaml', text: SERVICE_ONLY },
    { name: 'clients.ts', path: 'clients.ts', text: CLIENTS },
    { name: 'clients.js', path: 'clients.js', text: CLIENTS.replace(/^import (\S+|\{[^}]+\}|\* as \w+) from ('[^']+');$/gm, (_m, b: string, m: string) => `const ${b.replace(/^\* as /, '')} = require(${m});`) },
  ];
  const add = (dir: string, filter: (name: string) => boolean) => {
    for (const name of readdirSync(join(REPO, dir)).sort()) {
      if (filter(name)) seeds.push({ name: `${dir}/${name}`, path: name, text: readFileSync(join(REPO, dir, name), 'utf8') });
    }
  };
  add('examples/shop', (name) => name.endsWith('.yaml'));
  add('examples/shop/checkout-service/src', (name) => name.endsWith('.ts'));
  add('test/fixtures/typecheck', (name) => name.endsWith('.ts'));
  add('test/corpus/k8s/kubernetes__website', (name) => name.endsWith('.yaml'));
  add('test/corpus/k8s/BuoyantIO__emojivoto', (name) => name.endsWith('.yml'));
  return seeds;
}

const isYaml = (path: string) => /\.ya?ml$/.test(path);

/** One of the generators: the given one (exhaustive cases), or a random one. */
function choose(r: Rng, variant: number | undefined, generators: (() => string)[]): string {
  return (variant === undefined ? r.pick(generators) : generators[variant % generators.length]!)();
}

/** How many forms each of the expensive mutations has, per language: every one gets its own case. */
const VARIANTS = { deepNesting: { yaml: 4, code: 8 }, hugeScalar: { yaml: 5, code: 7 }, aliasBomb: { yaml: 4, code: 0 } } as const;

/** 10,000 levels of nesting, in a form the language at `path` parses (or at least tries to). */
function deepNesting(r: Rng, path: string, variant?: number): string {
  const n = 10_000;
  if (isYaml(path)) {
    return choose(r, variant, [
      () => `deep: ${'['.repeat(n)}${']'.repeat(n)}\n`,
      () => `deep: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
      () => `deep:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(Math.min(i, 2000) + 1)}- `).join('\n')}x\n`,
      () => `deep: ${'['.repeat(n)}\n`,
    ]);
  }
  return choose(r, variant, [
    () => `export const p = ${'('.repeat(n)}1${')'.repeat(n)};\n`,
    () => `export const a = ${'['.repeat(n)}${']'.repeat(n)};\n`,
    () => `export const o = ${'{ a: '.repeat(n)}1${' }'.repeat(n)};\n`,
    () => `export function f() {${'if (x) {'.repeat(n)}${'}'.repeat(n)}}\n`,
    () => `export const s = ${Array.from({ length: n * 5 }, (_, i) => `'${i}'`).join(' + ')};\n`,
    () => `export const c = ${'x ? 1 : '.repeat(n)}0;\n`,
    () => `export const t = ${'`${'.repeat(n)}1${'}`'.repeat(n)};\n`,
    () => `new http.Agent(${'{ keepAlive: '.repeat(n)}true${' }'.repeat(n)});\n`,
  ]);
}

/** A scalar of megabytes: plain, quoted, a block, a host-like token (the evidence scanner's worst case). */
function hugeScalar(r: Rng, path: string, variant?: number): string {
  const size = r.int(1, 3) * 1_000_000;
  if (isYaml(path)) {
    return choose(r, variant, [
      () => `huge: ${'x'.repeat(size)}\n`,
      () => `huge: "${'a\\\\'.repeat(size / 3)}"\n`,
      () => `huge: |\n${`  ${'y'.repeat(100)}\n`.repeat(size / 103)}`,
      () => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: c\n    image: c\n    env:\n    - name: URL\n      value: http://${'a.'.repeat(size / 2)}svc:80/${'p/'.repeat(1000)}\n    args: ["${'--x='.repeat(size / 4)}"]\n`,
      () => `# keepalive-lint-disable-next-line${' '.repeat(size)}x\nkind: Pod\n`,
    ]);
  }
  return choose(r, variant, [
    () => `export const s = '${'x'.repeat(size)}';\n`,
    // Dense syntax rather than one long token: 25,000-75,000 template spans.
    () => `export const t = \`${'${a}'.repeat(size / 40)}\`;\n`,
    () => `/* ${'*'.repeat(size)} */\n`,
    () => `// keepalive-lint-disable-next-line${' '.repeat(size)}\n`,
    () => `export const r = /${'a'.repeat(size)}/;\n`,
    () => `import x from ${' '.repeat(size)}'http';\n`,
    // Many lines that look like client modules to the first regex of the pre-check: 40,000-130,000 of them.
    () => `${"'http'\n".repeat(size / 23)}`,
  ]);
}

/** Billion laughs: each level aliases the previous one nine times. */
function aliasBomb(r: Rng, variant?: number): string {
  const levels = [`a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 12; i++) levels.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return choose(r, variant, [
    () => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${levels.join('\n  ')}\n`,
    () => `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bomb\nx:\n  ${levels.join('\n  ')}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: c\n        args: *a11\n        env: *a11\n        envFrom: *a11\n`,
    () => `---\nkind: List\nitems: &items [${Array(9).fill('{kind: Pod, spec: {containers: [{name: c, env: [{name: A, value: "http://api:80"}]}]}}').join(', ')}]\nmore: [${Array(50).fill('*items').join(', ')}]\n`,
    () => `---\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n  config.conf: |\n    kind: KubeProxyConfiguration\n    mode: ipvs\n    ${levels.join('\n    ')}\n    ipvs: {tcpTimeout: *a11}\n`,
  ]);
}

type Mutation = (r: Rng, text: string, path: string) => string;

const at = (r: Rng, text: string) => r.int(0, text.length);

export const MUTATIONS: Record<string, Mutation> = {
  byteFlips(r, text) {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0, n = r.int(1, 8); i < n && bytes.length > 0; i++) bytes[r.int(0, bytes.length - 1)]! ^= 1 << r.int(0, 7);
    return new TextDecoder('utf-8').decode(bytes); // invalid sequences become U+FFFD, as an editor would show them
  },
  truncate: (r, text) => text.slice(0, at(r, text)),
  indentShuffle(r, text) {
    const lines = text.split('\n');
    for (let i = 0, n = r.int(1, 10); i < n; i++) {
      const j = r.int(0, lines.length - 1);
      const line = lines[j]!;
      const indent = /^[ \t]*/.exec(line)![0].length;
      lines[j] = r.pick([' ', '\t', '', '  ', '      ']).repeat(r.int(0, indent + 3)) + line.slice(indent);
    }
    return lines.join('\n');
  },
  crlf: (r, text) => (r.chance(0.5) ? text.replace(/\n/g, '\r\n') : text.replace(/\n/g, () => r.pick(['\n', '\r\n', '\r']))),
  bom: (_r, text) => `\ufeff${text}`,
  nulBytes(r, text) {
    let out = text;
    for (let i = 0, n = r.int(1, 5); i < n; i++) {
      const p = at(r, out);
      out = `${out.slice(0, p)}\u0000${out.slice(p)}`;
    }
    return out;
  },
  invalidUtf8(r, text) {
    // What a decoder never produces but an editor buffer can hold: lone surrogates, replacement characters.
    const p = at(r, text);
    return `${text.slice(0, p)}${r.pick(['\ud800', '\udfff', '\ufffd\ufffd', '\ud83d'])}${text.slice(p)}`;
  },
  deepNesting: (r, text, path) => `${text}\n${deepNesting(r, path)}`,
  hugeScalar: (r, text, path) => `${text}\n${hugeScalar(r, path)}`,
  aliasBomb: (r, text, path) => (isYaml(path) ? `${text}\n${aliasBomb(r)}` : text),
  duplicateLines(r, text) {
    const lines = text.split('\n');
    const from = r.int(0, lines.length - 1);
    const to = Math.min(lines.length, from + r.int(1, 20));
    lines.splice(r.int(0, lines.length), 0, ...lines.slice(from, to));
    return lines.join('\n');
  },
  deleteLines(r, text) {
    const lines = text.split('\n');
    lines.splice(r.int(0, lines.length - 1), r.int(1, 5));
    return lines.join('\n');
  },
  insertTokens(r, text, path) {
    const tokens = isYaml(path)
      ? [': ', '- ', '---\n', '&a ', '*a', '!!binary ', '? ', '{', '}', '[', ']', '"', "'", '|', '>', '#', '{{ .Values.x }}', '<<: *a\n', '%YAML 1.2\n', '...\n']
      : ['(', ')', '{', '}', '`', '${', '/*', '*/', '//', "'", '"', '=>', '<div>', '</div>', 'new ', 'import(', "require('net')", '?.', '\\u0061', '#!'];
    let out = text;
    for (let i = 0, n = r.int(1, 6); i < n; i++) {
      const p = at(r, out);
      out = `${out.slice(0, p)}${r.pick(tokens)}${out.slice(p)}`;
    }
    return out;
  },
};

const NAMES = Object.keys(MUTATIONS);

/** `count` mutated cases: each seed file in turn, one to three mutations each; every mutation kind at least once per language. */
export function fuzzCases(seed: number, count: number): FuzzCase[] {
  const r = prng(seed);
  const seeds = seedCases();
  const cases: FuzzCase[] = [];
  const yamlSeeds = seeds.filter((s) => isYaml(s.path));
  const codeSeeds = seeds.filter((s) => !isYaml(s.path));
  // Every mutation once on YAML and once on code, alone; every form of the expensive ones.
  for (const name of NAMES) {
    for (const base of [r.pick(yamlSeeds), r.pick(codeSeeds)]) {
      cases.push({ name: `${name}(${base.name})`, path: base.path, text: MUTATIONS[name]!(r, base.text, base.path) });
    }
  }
  const special = { deepNesting, hugeScalar, aliasBomb: (rr: Rng, _path: string, variant?: number) => aliasBomb(rr, variant) };
  for (const [name, counts] of Object.entries(VARIANTS)) {
    for (const [language, seedsOf] of [['yaml', yamlSeeds], ['code', codeSeeds]] as const) {
      for (let variant = 0; variant < counts[language]; variant++) {
        const base = r.pick(seedsOf);
        cases.push({ name: `${name}#${variant}(${base.name})`, path: base.path, text: `${base.text}\n${special[name as keyof typeof special](r, base.path, variant)}` });
      }
    }
  }
  while (cases.length < count) {
    const base = seeds[cases.length % seeds.length]!;
    let text = base.text;
    const applied: string[] = [];
    for (let i = 0, n = r.int(1, 3); i < n; i++) {
      // The expensive kinds are rarer in random combinations; each has its own cases above.
      let name = r.pick(NAMES);
      if ((name === 'deepNesting' || name === 'hugeScalar' || name === 'aliasBomb') && r.chance(0.7)) name = 'byteFlips';
      text = MUTATIONS[name]!(r, text, base.path);
      applied.push(name);
    }
    cases.push({ name: `${applied.join('+')}(${base.name})`, path: base.path, text });
  }
  return cases;
}

const users: UserConfig[] = [{}, { serviceEvidence: 'always' }, { idleTimeoutSeconds: 350, kubernetesVersion: '1.28' }];
const configs: ResolvedConfig[] = users.map((user) => {
  const resolved = resolveConfig(user);
  if (!resolved.ok) throw new Error(resolved.errors.join('\n'));
  return resolved.config;
});

/** What the CLI does with one file, reduced to JSON: analyse, lint under three configs, apply the preferred fixes once, lint again. */
export function analyseCase(fuzz: FuzzCase): string {
  const out: unknown[] = [];
  const preferred = (fixes: readonly Fix[]) => fixes.filter((fix) => fix.preferred);
  if (isYaml(fuzz.path)) {
    const companion = analyseYaml({ path: 'companion.yaml', text: SERVICE_ONLY });
    const analysed = analyseYaml(fuzz);
    for (const config of configs) {
      const result = lintYaml(analysed, buildIndex([analysed, companion]), config);
      out.push({ templated: analysed.templated, problem: result.problem, findings: result.findings, failures: result.ruleFailures.map((f) => f.ruleId) });
      const fixed = applyFixes(fuzz.text, result.findings.flatMap((f) => preferred(f.fixes)));
      if (fixed.applied > 0) {
        const again = analyseYaml({ path: fuzz.path, text: fixed.text });
        const relint = lintYaml(again, buildIndex([again, companion]), config);
        out.push({ fixed: fixed.text.length, problem: relint.problem, findings: relint.findings.map((f) => [f.ruleId, f.range]), failures: relint.ruleFailures.map((f) => f.ruleId) });
      }
    }
  } else {
    const index = buildIndex([]);
    const analysed = analyseCode(fuzz);
    for (const config of configs) {
      const result = lintCode(analysed, index, config, UNKNOWN_VERSIONS);
      out.push({ problem: result.problem, findings: result.findings, failures: result.ruleFailures.map((f) => f.ruleId) });
      const fixed = applyFixes(fuzz.text, result.findings.flatMap((f) => preferred(f.fixes)));
      if (fixed.applied > 0) {
        const relint = lintCode(analyseCode({ path: fuzz.path, text: fixed.text }), index, config, UNKNOWN_VERSIONS);
        out.push({ fixed: fixed.text.length, problem: relint.problem, findings: relint.findings.map((f) => [f.ruleId, f.range]), failures: relint.ruleFailures.map((f) => f.ruleId) });
      }
    }
  }
  return JSON.stringify(out);
}
