// The synthetic monorepo of the benchmark: deterministic (seeded PRNG), written to a folder.
//
//   node bench/generate.mjs DIR [--seed N] [--scale F]
//
// DIR/tree      the whole monorepo: ~4,000 Kubernetes YAML files (multi-document Deployments,
//               Services, ConfigMaps; 50–300 lines; a fifth with Service evidence), ~400 other YAML
//               files (CI workflows, compose files, Helm-style values: no Kubernetes kind), ~16,000
//               TS/JS files (50–800 lines of ordinary code; ~3 % create clients), the real corpus
//               (test/corpus/k8s) and very large JS files (copies of node_modules/typescript/lib/*.js).
// DIR/relevant  the "every file relevant" subset (hard links into tree/): the manifests, the corpus and
//               the code that names a client module in an import or require.
// DIR/manifest.json  the file lists of both, by kind.
import { copyFileSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** mulberry32: small, fast, and the same numbers on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  /** Log-uniform: most files short, a long tail of big ones, as in real repositories. */
  const logInt = (lo, hi) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))));
  return { next, int, pick, logInt, chance: (p) => next() < p };
}

const WORDS = ['order', 'user', 'cart', 'price', 'stock', 'invoice', 'ledger', 'session', 'token', 'report', 'catalog', 'payment', 'shipment', 'review', 'search', 'audit', 'metric', 'tenant', 'profile', 'coupon', 'refund', 'basket', 'vendor', 'region', 'quota'];
const VERBS = ['load', 'save', 'build', 'parse', 'render', 'update', 'merge', 'check', 'format', 'resolve', 'collect', 'apply', 'compute', 'sync', 'filter'];
const LIBS = ['lodash', 'zod', 'date-fns', 'express', 'react', 'uuid', 'chalk', 'commander', 'rxjs', 'immer'];
/** Strings that name a client module but are data, as ordinary code has them (protocols, dialects). */
const DATA_STRINGS = ["'http'", "'https'", "'ws'", "'redis'", "'pg'", "'net'", "'tls'"];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

function name(r) {
  return `${r.pick(VERBS)}${cap(r.pick(WORDS))}${r.int(0, 99)}`;
}

/** One chunk of ordinary code (TypeScript when `ts`), roughly 8–25 lines. */
function codeChunk(r, ts, jsx) {
  const w = r.pick(WORDS);
  const W = cap(w);
  const fn = name(r);
  const t = (s) => (ts ? s : '');
  switch (r.int(0, 8)) {
    case 0:
      return ts
        ? `export interface ${W}${r.int(0, 999)} {\n  id: string;\n  ${w}Count: number;\n  createdAt: Date;\n  tags: readonly string[];\n  owner?: { name: string; email: string };\n}\n`
        : `/** @typedef {{ id: string, ${w}Count: number }} ${W}${r.int(0, 999)} */\n`;
    case 1:
      return `export function ${fn}(items${t(': readonly { id: string; value: number }[]')}, limit${t(': number')} = ${r.int(5, 500)})${t(': number')} {\n  let total = 0;\n  for (const item of items) {\n    if (item.value > limit) continue;\n    total += item.value * ${r.int(2, 9)};\n    if (total > ${r.int(1000, 99999)}) {\n      break;\n    }\n  }\n  return Math.round(total / Math.max(1, items.length));\n}\n`;
    case 2:
      return `export class ${W}Store${r.int(0, 999)} {\n  ${t('private readonly ')}${ts ? 'items' : '#items'}${t(' : Map<string, number>')} = new Map();\n\n  get(key${t(': string')})${t(': number | undefined')} {\n    return this.${ts ? 'items' : '#items'}.get(key);\n  }\n\n  set(key${t(': string')}, value${t(': number')})${t(': void')} {\n    if (value < 0) throw new RangeError(\`negative ${w}: \${value}\`);\n    this.${ts ? 'items' : '#items'}.set(key, value);\n  }\n\n  get size()${t(': number')} {\n    return this.${ts ? 'items' : '#items'}.size;\n  }\n}\n`;
    case 3:
      return `export const ${fn} = async (id${t(': string')})${t(': Promise<string>')} => {\n  const started = Date.now();\n  const parts = id.split('-').map((p) => p.trim()).filter(Boolean);\n  await new Promise((resolve) => setTimeout(resolve, ${r.int(1, 50)}));\n  return \`\${parts.join('/')}@\${Date.now() - started}ms\`;\n};\n`;
    case 4:
      return `export function ${fn}(kind${t(': string')})${t(': number')} {\n  switch (kind) {\n    case '${w}':\n      return ${r.int(1, 9)};\n    case '${r.pick(WORDS)}':\n      return ${r.int(10, 99)};\n    case '${r.pick(WORDS)}':\n      return ${r.int(100, 999)};\n    default:\n      return -1;\n  }\n}\n`;
    case 5:
      return `const ${w}Defaults${r.int(0, 999)} = {\n  retries: ${r.int(0, 9)},\n  timeoutMs: ${r.int(100, 30000)},\n  region: '${r.pick(['eu-west-1', 'us-east-1', 'ap-south-1'])}',\n  labels: ['${r.pick(WORDS)}', '${r.pick(WORDS)}', '${r.pick(WORDS)}'],\n  nested: { enabled: ${r.chance(0.5)}, ratio: ${r.next().toFixed(3)} },\n}${t(' as const')};\n`;
    case 6:
      return `// ${cap(r.pick(VERBS))} the ${w} before it is ${r.pick(VERBS)}d: callers rely on the order of\n// the entries, so sort them first and keep duplicates (the last one wins downstream).\nexport function ${fn}(entries${t(': [string, number][]')})${t(': Record<string, number>')} {\n  const out${t(': Record<string, number>')} = {};\n  for (const [key, value] of [...entries].sort((a, b) => a[0].localeCompare(b[0]))) out[key] = value;\n  return out;\n}\n`;
    case 7:
      return jsx
        ? `export function ${W}View${r.int(0, 999)}(props${t(': { title: string; rows: string[] }')}) {\n  return (\n    <section className="${w}">\n      <h2>{props.title}</h2>\n      <ul>\n        {props.rows.map((row) => (\n          <li key={row}>{row}</li>\n        ))}\n      </ul>\n    </section>\n  );\n}\n`
        : `export function ${fn}(text${t(': string')})${t(': string[]')} {\n  return text\n    .split(/\\r?\\n/)\n    .map((line) => line.replace(/\\s+$/, ''))\n    .filter((line) => line.length > 0 && !line.startsWith('#'));\n}\n`;
    default:
      return `export ${r.chance(0.5) ? 'async ' : ''}function ${fn}(input${t(': unknown')}) {\n  try {\n    if (typeof input !== 'object' || input === null) return undefined;\n    const record = input${t(' as Record<string, unknown>')};\n    return Object.keys(record).length > ${r.int(0, 20)} ? record : undefined;\n  } catch (error) {\n    console.error('${w} failed', error);\n    throw error;\n  }\n}\n`;
  }
}

/** A client that keepalive-lint has something to say about (or knows to be safe). */
function clientChunk(r, ts, esm) {
  const host = `${r.pick(WORDS)}-${r.int(0, 399)}`;
  const t = (s) => (ts ? s : '');
  const imp = (binding, module) => (esm ? `import ${binding} from '${module}';\n` : `const ${binding.replace(/ as /g, ': ')} = require('${module}');\n`);
  switch (r.int(0, 6)) {
    case 0:
      return [imp('http', 'node:http'), `export const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: ${r.pick([1000, 60_000, 3_600_000])}, maxSockets: 50 });\n`];
    case 1:
      return [imp('net', 'node:net'), `export const conn = net.connect({ host: '${host}', port: 6379 });\nconn.on('data', (chunk${t(': Buffer')}) => console.log(chunk.length));\n`];
    case 2:
      return [imp('{ Pool }', 'pg'), `export const pool = new Pool({ host: '${host}', max: ${r.int(2, 20)}, idleTimeoutMillis: ${r.pick([0, 10_000, 3_600_000])} });\n`];
    case 3:
      return [imp('Redis', 'ioredis'), `export const cache = new Redis({ host: '${host}', port: 6379 });\n`];
    case 4:
      return [imp('WebSocket', 'ws'), `export const socket = new WebSocket('ws://${host}:8080/feed');\nsocket.on('message', (data) => console.log(String(data)));\n`];
    case 5:
      return [imp('http2', 'node:http2'), `export const session = http2.connect('http://${host}:8080');\n`];
    default:
      return [imp('{ Agent }', 'undici'), `export const dispatcher = new Agent({ keepAliveTimeout: 4_000 });\n`];
  }
}

function codeFile(r, ext, lines, withClient) {
  const ts = /^\.[cm]?tsx?$/.test(ext);
  const jsx = ext === '.tsx' || ext === '.jsx';
  const esm = ext !== '.cjs' && (ts || ext === '.mjs' || r.chance(0.6));
  let head = '';
  const importCount = r.int(1, 6);
  for (let i = 0; i < importCount; i++) {
    const module = r.chance(0.5) ? r.pick(LIBS) : `./${r.pick(WORDS)}-${r.pick(VERBS)}`;
    const binding = `${r.pick(WORDS)}${i}`;
    head += esm ? `import * as ${binding} from '${module}';\n` : `const ${binding} = require('${module}');\n`;
  }
  if (r.chance(0.5)) head += esm ? `import { readFile } from 'node:fs/promises';\n` : `const { readFile } = require('node:fs/promises');\n`;
  let body = '';
  if (withClient) {
    const [imports, code] = clientChunk(r, ts, esm);
    head += imports;
    body += code;
  } else if (r.chance(0.12)) {
    // Ordinary code names protocols and dialects: strings that look like a client module but are data.
    body += `export const scheme${r.int(0, 99)} = (secure${ts ? ': boolean' : ''}) => (secure ? ${r.pick(DATA_STRINGS)} : ${r.pick(DATA_STRINGS)});\n`;
  }
  let text = `${head}\n${body}`;
  let count = text.split('\n').length;
  while (count < lines) {
    const chunk = codeChunk(r, ts, jsx);
    text += `\n${chunk}`;
    count += chunk.split('\n').length;
  }
  // CommonJS has no export statements (espree rejects them in .cjs): export through module.exports.
  if (!esm) text = text.replace(/^export (async function|function|const|class) /gm, '$1 ') + 'module.exports = {};\n';
  return text;
}

function labels(r, app, indent) {
  const pad = ' '.repeat(indent);
  let out = `${pad}app: ${app}\n${pad}app.kubernetes.io/name: ${app}\n${pad}app.kubernetes.io/part-of: ${r.pick(WORDS)}-platform\n`;
  if (r.chance(0.5)) out += `${pad}tier: ${r.pick(['frontend', 'backend', 'batch'])}\n`;
  return out;
}

/** One manifest file: Deployment + Service + ConfigMap, padded with realistic fields up to `lines`. */
function manifestFile(r, ns, app, lines, evidenceTarget) {
  const port = r.pick([80, 8080, 9090, 3000]);
  const envCount = Math.max(2, Math.floor((lines - 90) / 4));
  let env = '';
  for (let i = 0; i < envCount; i++) {
    if (i === 1 && evidenceTarget) env += `            - name: UPSTREAM_URL\n              value: http://${evidenceTarget}:8080/api\n`;
    else if (i % 5 === 4) env += `            - name: ${r.pick(WORDS).toUpperCase()}_SECRET_${i}\n              valueFrom:\n                secretKeyRef:\n                  name: ${app}-secrets\n                  key: k${i}\n`;
    else env += `            - name: ${r.pick(WORDS).toUpperCase()}_${r.pick(VERBS).toUpperCase()}_${i}\n              value: "${r.pick(['true', 'false', String(r.int(1, 9999)), `https://api.${r.pick(WORDS)}.example.com/v${r.int(1, 3)}`, `${r.pick(WORDS)}-${r.int(0, 9)}`])}"\n`;
  }
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
${labels(r, app, 4)}  annotations:
    owner: team-${r.pick(WORDS)}
spec:
  replicas: ${r.int(1, 6)}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app: ${app}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
${labels(r, app, 8)}      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "${port}"
    spec:
      serviceAccountName: ${app}
      terminationGracePeriodSeconds: 30
      containers:
        - name: ${app}
          image: registry.example.com/${ns}/${app}:${r.int(1, 9)}.${r.int(0, 30)}.${r.int(0, 99)}
          imagePullPolicy: IfNotPresent
          args: ["--port=${port}", "--log-level=${r.pick(['info', 'debug', 'warn'])}"]
          ports:
            - name: http
              containerPort: ${port}
              protocol: TCP
          env:
${env}          envFrom:
            - configMapRef:
                name: ${app}-config
          resources:
            requests:
              cpu: ${r.int(50, 500)}m
              memory: ${r.int(64, 512)}Mi
            limits:
              cpu: "${r.int(1, 4)}"
              memory: ${r.int(512, 2048)}Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /livez
              port: http
            initialDelaySeconds: 15
          volumeMounts:
            - name: config
              mountPath: /etc/${app}
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: ${app}-config
`;
  const service = `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
${labels(r, app, 4)}spec:
  type: ClusterIP
  selector:
    app: ${app}
  ports:
    - name: http
      port: ${port === 80 ? 80 : 8080}
      targetPort: http
`;
  const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
data:
  LOG_FORMAT: json
  FEATURE_${r.pick(WORDS).toUpperCase()}: "${r.chance(0.5)}"
  settings.yaml: |
    cache:
      ttlSeconds: ${r.int(10, 3600)}
      size: ${r.int(100, 10000)}
    upstreams:
      - https://partner-${r.int(0, 50)}.example.net
`;
  return `# ${app}: generated for the keepalive-lint benchmark\n${deployment}---\n${service}---\n${configMap}`;
}

function ciWorkflow(r, i) {
  return `name: ci-${i}
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [18, 20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test -- --shard=${r.int(1, 4)}/4
      - name: upload
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: report-${i}
          path: test-results/
`;
}

function composeFile(r, i) {
  let out = `version: "3.9"\nservices:\n`;
  for (let s = 0; s < r.int(3, 8); s++) {
    out += `  ${r.pick(WORDS)}-${s}:\n    image: ${r.pick(['postgres:16', 'redis:7', 'nginx:1.27', 'node:20'])}\n    ports:\n      - "${r.int(3000, 9000)}:${r.int(80, 9000)}"\n    environment:\n      - APP_ENV=dev-${i}\n      - RETRIES=${r.int(1, 5)}\n`;
  }
  return out;
}

function valuesFile(r, i) {
  let out = `# Helm-style values for chart ${i}\nreplicaCount: ${r.int(1, 5)}\nimage:\n  repository: registry.example.com/${r.pick(WORDS)}\n  tag: "${r.int(1, 9)}.${r.int(0, 9)}"\nservice:\n  type: ClusterIP\n  port: 8080\nresources:\n  limits:\n    cpu: 500m\n    memory: 512Mi\n`;
  for (let k = 0; k < r.int(5, 40); k++) out += `${r.pick(WORDS)}${k}:\n  enabled: ${r.chance(0.5)}\n  value: ${r.int(0, 999)}\n`;
  return out;
}

const CODE_EXTS = [
  ['.ts', 0.55],
  ['.tsx', 0.1],
  ['.js', 0.2],
  ['.mjs', 0.05],
  ['.cjs', 0.05],
  ['.jsx', 0.05],
];

function codeExt(r) {
  let x = r.next();
  for (const [ext, p] of CODE_EXTS) {
    if ((x -= p) < 0) return ext;
  }
  return '.ts';
}

/** The big vendored JS files: copies of the typescript package's own lib/*.js. */
export const BIG_JS = ['typescript.js', '_tsc.js', '_tsserver.js', '_typingsInstaller.js'];

export function generate(outDir, { seed = 42, scale = 1, bigJs = BIG_JS } = {}) {
  const r = prng(seed);
  const tree = join(outDir, 'tree');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  const manifest = { seed, scale, yaml: [], otherYaml: [], code: [], clientCode: [], corpus: [], bigJs: [], editor: [] };
  const write = (rel, text, list) => {
    const path = join(tree, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    list?.push(rel);
  };
  const packages = Math.max(2, Math.round(400 * scale));
  const yamlPerPackage = 10;
  const codePerPackage = 40;
  const apps = [];
  for (let p = 0; p < packages; p++) apps.push({ ns: `team-${p % 40}`, pkg: `svc-${String(p).padStart(4, '0')}` });
  for (let p = 0; p < packages; p++) {
    const { ns, pkg } = apps[p];
    const base = `services/${pkg}`;
    const deps = { express: '^4.19.2', lodash: '^4.17.21', pg: '^8.11.0', ioredis: '^5.4.1', ws: '^8.17.0', undici: '^6.19.0' };
    write(`${base}/package.json`, `${JSON.stringify({ name: `@acme/${pkg}`, version: '1.0.0', private: true, engines: { node: '>=20' }, dependencies: deps }, null, 2)}\n`);
    for (let y = 0; y < yamlPerPackage; y++) {
      const app = `${pkg}-${WORDS[y % WORDS.length]}`;
      // A fifth of the manifests call another Service of the same namespace by name (evidence).
      let target;
      if (r.chance(0.2)) {
        const peers = apps.filter((a, i) => a.ns === ns && i !== p);
        const peer = peers.length > 0 ? r.pick(peers) : apps[p];
        target = `${peer.pkg}-${WORDS[r.int(0, yamlPerPackage - 1) % WORDS.length]}`;
      }
      write(`${base}/deploy/${app}.yaml`, manifestFile(r, ns, app, r.int(50, 300), target), manifest.yaml);
    }
    for (let c = 0; c < codePerPackage; c++) {
      const ext = codeExt(r);
      const withClient = r.chance(0.03);
      const dir = r.pick(['src', 'src/lib', 'src/routes', 'src/model', 'test']);
      const rel = `${base}/${dir}/${r.pick(WORDS)}-${r.pick(VERBS)}-${c}${ext}`;
      write(rel, codeFile(r, ext, r.logInt(50, 800), withClient), withClient ? manifest.clientCode : manifest.code);
    }
    if (p % 4 === 0) write(`${base}/.github/workflows/ci.yml`, ciWorkflow(r, p), manifest.otherYaml);
    if (p % 4 === 1) write(`${base}/docker-compose.yml`, composeFile(r, p), manifest.otherYaml);
    if (p % 4 === 2) write(`${base}/chart-values.yaml`, valuesFile(r, p), manifest.otherYaml);
  }
  // The editor benchmark's files: a 3,000-line TS module and a 2,000-line multi-document manifest,
  // each with a marker line where the edits happen (between top-level blocks, so edits stay valid).
  {
    const unsafe = "import http from 'node:http';\nexport const ordersAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n";
    const lines = `${unsafe}${codeFile(r, '.ts', 2990, true)}`.split('\n');
    const middle = lines.indexOf('', 1500);
    lines.splice(middle + 1, 0, '// bench: edit here', '');
    write('editor/big-module.ts', lines.join('\n'), manifest.editor);
    const docs = [];
    let count = 0;
    for (let i = 0; count < 2000; i++) {
      const { ns, pkg } = apps[i % apps.length];
      const doc = manifestFile(r, ns, `${pkg}-editor-${i}`, 150, i % 3 === 0 ? `${pkg}-${WORDS[0]}` : undefined);
      docs.push(doc);
      count += doc.split('\n').length;
    }
    docs.splice(Math.floor(docs.length / 2), 0, '# bench: edit here\n');
    write('editor/big-manifests.yaml', docs.join('---\n'), manifest.editor);
  }
  // The real corpus, as it is.
  const corpusRoot = join(REPO, 'test', 'corpus', 'k8s');
  for (const project of readdirSync(corpusRoot).sort()) {
    const dir = join(corpusRoot, project);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!/\.ya?ml$/.test(file)) continue;
      write(`corpus/${project}/${file}`, readFileSync(join(dir, file)), manifest.corpus);
    }
  }
  // Very large JS files, vendored outside node_modules (as some repositories do).
  for (const file of bigJs) {
    const rel = `vendor/typescript/lib/${file}`;
    mkdirSync(dirname(join(tree, rel)), { recursive: true });
    copyFileSync(join(REPO, 'node_modules', 'typescript', 'lib', file), join(tree, rel));
    manifest.bigJs.push(rel);
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
  return manifest;
}

/** The relevant subset as hard links (package.json files come along: versions are read from them). */
export function linkRelevant(outDir, relevantFiles) {
  const tree = join(outDir, 'tree');
  const target = join(outDir, 'relevant');
  rmSync(target, { recursive: true, force: true });
  const packageJsons = new Set();
  for (const rel of relevantFiles) {
    const to = join(target, rel);
    mkdirSync(dirname(to), { recursive: true });
    linkSync(join(tree, rel), to);
    const match = /^(services\/[^/]+)\//.exec(rel);
    if (match) packageJsons.add(`${match[1]}/package.json`);
  }
  for (const rel of packageJsons) linkSync(join(tree, rel), join(target, rel));
  return target;
}

export function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: node bench/generate.mjs DIR [--seed N] [--scale F]');
    process.exit(2);
  }
  const opt = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const started = Date.now();
  const m = generate(dir, { seed: opt('--seed', 42), scale: opt('--scale', 1) });
  console.log(`generated in ${Date.now() - started} ms: ${m.yaml.length} manifests, ${m.otherYaml.length} other YAML, ${m.code.length + m.clientCode.length} code (${m.clientCode.length} with clients), ${m.corpus.length} corpus, ${m.bigJs.length} big JS`);
}
