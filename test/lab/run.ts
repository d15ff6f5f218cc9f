/**
 * `npm run test:lab [-- --write]`: the NAT lab. Builds the network of lab.ts, starts the servers in
 * the server namespace, runs every case of test/lab/cases/ in its pod (all at once: each waits past
 * the idle timeout), lints each case's own source with T set to the lab's timeout, and asserts, one
 * node:test test per row: flagged ⇔ the connection failed. Prints the truth table; `--write`
 * regenerates docs/truth-table.md. Not part of `npm test` (not a *.test.ts file): it needs root.
 *
 * Bounded: each case reports within its own limits (harness.ts) and is killed after CASE_LIMIT_MS;
 * the whole run stops after RUN_LIMIT_MS. The namespaces and everything in them are removed on
 * success, failure, SIGINT/SIGTERM/SIGHUP and exit.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { release, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run as keepaliveLint } from '../../cli/run.ts';
import type { CaseResult, Outcome } from './harness.ts';
import { createNetwork, IDLE_TIMEOUT_S, LabUnavailable, POD_KEEPALIVE_TIME_S, teardown, VIRTUAL_IP, type LabNetwork, type Pod } from './lab.ts';

const LAB_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(LAB_DIR, '..', '..');
const CASES_DIR = join(LAB_DIR, 'cases');
const DOC = join(ROOT, 'docs', 'truth-table.md');

/** How long each case idles between its two exchanges: T plus a margin for the conntrack timer. */
const IDLE_MS = (IDLE_TIMEOUT_S + 10) * 1000;
const CASE_LIMIT_MS = IDLE_MS + 60_000;
const RUN_LIMIT_MS = 280_000;
const SERVER_START_MS = 30_000;

interface LabCase {
  readonly file: string;
  readonly pod: Pod;
  readonly title: string;
}

/** The cases of issue 5, in its order. Two programs run twice: once per pod. */
const CASES: readonly LabCase[] = [
  { file: 'net-no-keepalive.ts', pod: 'default', title: 'net socket, no keepalive' },
  { file: 'net-keepalive-no-delay.ts', pod: 'default', title: 'net socket, setKeepAlive(true) with no delay, once connected' },
  { file: 'net-keepalive-no-delay.ts', pod: 'sysctl', title: `net socket, setKeepAlive(true) with no delay, once connected, pod tcp_keepalive_time=${POD_KEEPALIVE_TIME_S}` },
  { file: 'net-no-keepalive.ts', pod: 'sysctl', title: `net socket, no SO_KEEPALIVE, pod tcp_keepalive_time=${POD_KEEPALIVE_TIME_S}` },
  { file: 'net-keepalive-no-delay-before-connect.ts', pod: 'default', title: 'net socket, setKeepAlive(true) with no delay, right after net.connect()' },
  { file: 'net-keepalive-1000.ts', pod: 'default', title: 'net socket, setKeepAlive(true, 1000)' },
  { file: 'http-agent-no-keepalive.ts', pod: 'default', title: 'http.Agent keepAlive: false' },
  { file: 'http-agent-keepalive.ts', pod: 'default', title: 'http.Agent keepAlive: true (defaults)' },
  { file: 'http-agent-keepalive-msecs-long.ts', pod: 'default', title: 'http.Agent keepAlive: true, keepAliveMsecs above T' },
  { file: 'undici-defaults.ts', pod: 'default', title: 'undici Client, defaults' },
  { file: 'undici-no-tcp-keepalive.ts', pod: 'default', title: 'undici Client, connect: { keepAlive: false }, long keepAliveTimeout' },
  { file: 'http2-no-ping.ts', pod: 'default', title: 'http2.connect, no ping' },
  { file: 'http2-ping.ts', pod: 'default', title: 'http2.connect, session.ping() every 30 s' },
  { file: 'grpc-no-keepalive.ts', pod: 'default', title: '@grpc/grpc-js client, no keepalive options' },
  { file: 'grpc-keepalive.ts', pod: 'default', title: '@grpc/grpc-js client, keepalive_time_ms 30 s + permit_without_calls' },
  { file: 'ws-no-ping.ts', pod: 'default', title: 'ws client, no ping loop' },
  { file: 'ws-ping.ts', pod: 'default', title: 'ws client, ping every 30 s' },
  { file: 'tls-keepalive-options.ts', pod: 'default', title: `tls.connect keepAlive options, Node ${process.versions.node}` },
];

interface Verdict {
  readonly rules: readonly string[];
  readonly messages: readonly string[];
}

interface Row {
  readonly lab: LabCase;
  readonly kernel: CaseResult;
  readonly verdict: Verdict;
}

// ------------------------------------------------------------------------------------ lifecycle

const children = new Set<ChildProcess>();
let tempDir: string | undefined;
let cleaned = false;

function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  teardown();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(signal, () => {
    process.stderr.write(`test:lab: ${signal}: removing the lab\n`);
    cleanup();
    process.exit(code);
  });
}
process.on('exit', cleanup);
setTimeout(() => {
  process.stderr.write(`test:lab: the lab did not finish within ${RUN_LIMIT_MS / 1000} s; removing it\n`);
  cleanup();
  process.exit(1);
}, RUN_LIMIT_MS).unref();

function makeCertificate(dir: string): void {
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=keepalive-lint-lab',
      '-addext', `subjectAltName=IP:${VIRTUAL_IP}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) throw new LabUnavailable(`no openssl to make the TLS case's certificate (${result.error.message})`);
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
}

let network: LabNetwork;
try {
  network = createNetwork();
  tempDir = mkdtempSync(join(tmpdir(), 'keepalive-lint-lab-'));
  makeCertificate(tempDir);
} catch (error) {
  if (!(error instanceof LabUnavailable)) {
    cleanup();
    throw error;
  }
  cleanup();
  console.log(`test:lab: skipped: the NAT lab needs root, network namespaces and iptables (and openssl); here: ${error.message}`);
  process.exit(0);
}

// ------------------------------------------------------------------------------------ processes

function inNamespace(ns: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('close', () => children.delete(child));
  return child;
}

function labEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LAB_CERT_DIR: tempDir, LAB_CA: join(tempDir!, 'cert.pem'), LAB_IDLE_MS: String(IDLE_MS), NO_COLOR: '1' };
}

function startServers(): Promise<ChildProcess> {
  const child = inNamespace(network.namespaces.server, join(LAB_DIR, 'servers.ts'), labEnv());
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`servers not ready within ${SERVER_START_MS / 1000} s: ${err}`)), SERVER_START_MS);
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"ready":true')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`servers exited (${code}): ${err}`));
    });
  });
}

function runCase(lab: LabCase): Promise<CaseResult> {
  const child = inNamespace(network.namespaces.pods[lab.pod], join(CASES_DIR, lab.file), labEnv());
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, CASE_LIMIT_MS);
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as CaseResult);
      } catch {
        const why = killed ? `killed after ${CASE_LIMIT_MS / 1000} s` : `exited with ${signal ?? code} and no result`;
        resolve({ outcome: 'broken', detail: `${why}: ${err.trim().split('\n').slice(-3).join(' ')}`, idleMs: 0 });
      }
    });
  });
}

// ------------------------------------------------------------------------------------ the linter

function writeConfig(pod: Pod): string {
  const config = {
    idleTimeoutSeconds: IDLE_TIMEOUT_S,
    keepalive: { time: POD_KEEPALIVE_TIME_S }, // what the YAML fixes would write: below T
    nodeVersion: process.versions.node, // judge tls.connect for the Node that runs the cases
    ...(pod === 'sysctl' ? { osKeepaliveTimeSeconds: POD_KEEPALIVE_TIME_S } : {}),
  };
  const path = join(tempDir!, `keepalive-lint-${pod}.json`);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

/** Runs the keepalive-lint CLI (in-process) on one case's source, as a user would. */
async function lint(lab: LabCase, config: string): Promise<Verdict> {
  let stdout = '';
  let stderr = '';
  const code = await keepaliveLint(['lint', '--format', 'json', '--config', config, join(CASES_DIR, lab.file)], {
    cwd: ROOT,
    env: {},
    stdoutIsTTY: false,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(''),
  });
  if (code === 2 || stderr.trim() !== '') throw new Error(`keepalive-lint failed on ${lab.file} (exit ${code}): ${stderr}`);
  const files = JSON.parse(stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  const messages = files.flatMap((file) => file.messages);
  return { rules: [...new Set(messages.map((m) => m.ruleId ?? 'fatal'))], messages: messages.map((m) => m.message) };
}

// ------------------------------------------------------------------------------------ the table

const failed = (outcome: Outcome): boolean => outcome !== 'survived';
const flagged = (verdict: Verdict): boolean => verdict.rules.length > 0;
const agrees = (row: Row): boolean => row.kernel.outcome !== 'broken' && failed(row.kernel.outcome) === flagged(row.verdict);

function kernelText(result: CaseResult): string {
  if (result.outcome !== 'reset') return result.outcome;
  const code = /ECONNRESET|EPIPE/.exec(result.detail)?.[0];
  return `reset (${code})`;
}

const verdictText = (verdict: Verdict): string => (flagged(verdict) ? `flagged: ${verdict.rules.join(', ')}` : 'not flagged');
const podText = (pod: Pod): string => (pod === 'sysctl' ? `tcp_keepalive_time=${POD_KEEPALIVE_TIME_S}` : 'default (7200)');

function printTable(rows: readonly Row[]): void {
  const detail = (result: CaseResult) => (result.detail.length > 70 ? `${result.detail.slice(0, 67)}...` : result.detail);
  const cells = rows.map((row) => [row.lab.title, kernelText(row.kernel), verdictText(row.verdict), agrees(row) ? 'yes' : 'NO', detail(row.kernel)]);
  const header = ['case', 'kernel', 'keepalive-lint', 'agree', 'second exchange'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(`\nNAT lab truth table (T=${IDLE_TIMEOUT_S}s, idle ${IDLE_MS / 1000}s, iptables: ${network.iptables}):`);
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'));
  for (const row of rows.filter((r) => !agrees(r))) {
    console.log(`\n${row.lab.title}: kernel ${row.kernel.outcome} (${row.kernel.detail}); keepalive-lint ${verdictText(row.verdict)}${row.verdict.messages.map((m) => `\n  ${m}`).join('')}`);
  }
}

function version(name: string): string {
  const require = createRequire(join(ROOT, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/** nodejs/node#62003: tls.connect reads keepAlive/keepAliveInitialDelay from 24.15.0. */
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const tlsOptionsIgnored = nodeMajor < 24 || (nodeMajor === 24 && nodeMinor < 15);

function markdown(rows: readonly Row[]): string {
  const all = rows.every(agrees);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return `# Truth table: keepalive-lint against a real kernel

<!-- Generated by \`npm run test:lab -- --write\` (as root). Do not edit by hand. -->

Each row is a small program in [\`test/lab/cases/\`](../test/lab/cases/) that uses the real library. It
runs in a client network namespace (the pod), connects to a virtual IP on a router namespace that
DNATs it to a server namespace, does one exchange, idles ${IDLE_MS / 1000} s, and does a second exchange. The
router's conntrack forgets an idle connection after **T = ${IDLE_TIMEOUT_S} s**
(\`nf_conntrack_tcp_timeout_established\`) and picks up no mid-stream packets
(\`nf_conntrack_tcp_loose=0\`), so the next packet of a forgotten connection reaches the router's own
stack, which holds the virtual IP and answers with RST: kube-proxy's IPVS after 900 s, scaled down.
The servers never close or probe an idle connection themselves.

**Kernel** is what the second exchange got: \`survived\`, \`reset\` (ECONNRESET), or \`hung\` (no
answer within its bound). **keepalive-lint** is the linter's verdict on the same source file with
\`idleTimeoutSeconds: ${IDLE_TIMEOUT_S}\`, \`nodeVersion\` the running Node and, for the tuned pod,
\`osKeepaliveTimeSeconds: ${POD_KEEPALIVE_TIME_S}\`. A row agrees when the linter flags exactly the connections that
failed.

Why ${IDLE_TIMEOUT_S} s: every default a row depends on falls on the same side of it as of 900 s in production.
Below it: the Node agent's 1 s \`keepAliveMsecs\`, undici's 4 s \`keepAliveTimeout\` and 60 s connect
keepalive, libuv's 60 s for keepalive enabled before a socket opens, and the 30 s pings of the cases.
Far above it: the namespace default \`tcp_keepalive_time\` of 7200 s and grpc-js's 30 min
\`grpc.client_idle_timeout_ms\`; http2, ws and grpc-js send no pings of their own. (An 8 s lab would put
both 60 s defaults on the wrong side.) The tuned pod sets its namespace's
\`net.ipv4.tcp_keepalive_time=${POD_KEEPALIVE_TIME_S}\` (what the YAML fixes write), as
\`spec.securityContext.sysctls\` would. Long values in the cases are 20 min, above 900 s too.

Run: Linux ${release()}, Node ${process.versions.node}, undici ${version('undici')}, @grpc/grpc-js ${version('@grpc/grpc-js')}, ws ${version('ws')}, ${network.iptables}.

| Case | Program | Pod | Kernel | keepalive-lint | Agree |
| --- | --- | --- | --- | --- | --- |
${rows
  .map((row) => `| ${escape(row.lab.title)} | [${row.lab.file}](../test/lab/cases/${row.lab.file}) | ${podText(row.lab.pod)} | ${kernelText(row.kernel)} | ${escape(verdictText(row.verdict))} | ${agrees(row) ? 'yes' : '**no**'} |`)
  .join('\n')}

${all ? `All ${rows.length} rows agree.` : `${rows.filter((r) => !agrees(r)).length} of ${rows.length} rows disagree.`} Reproduce with \`sudo npm run test:lab\`; \`-- --write\` regenerates this file.

What the rows show beyond the rule tables:

- The pod sysctl only helps a socket that enables SO_KEEPALIVE: the same program without it is reset
  in the tuned pod.
- \`setKeepAlive(true)\` without a delay behaves in two ways. Called once the socket is connected, it
  sets no TCP_KEEPIDLE and the pod's \`tcp_keepalive_time\` applies. Called right after
  \`net.connect()\`, before the socket has a file descriptor, libuv only notes the flag and opens the
  socket with its own 60 s delay (\`uv__stream_open\`), which Node's delay-0 re-apply after connect
  does not change: that socket survives in the default pod. node/socket-keepalive models both.
- \`ws\` emits no \`'error'\` for the reset: it closes with 1006. The ws cases read the RST from the
  upgrade response's socket.
- ${tlsOptionsIgnored ? `\`tls.connect\` ignores \`keepAlive\`/\`keepAliveInitialDelay\` on Node ${process.versions.node} (before 24.15): no probe is sent.` : `\`tls.connect\` honours \`keepAlive\`/\`keepAliveInitialDelay\` on Node ${process.versions.node} (24.15 and later).`}
`;
}

// ------------------------------------------------------------------------------------ the tests

const started = Date.now();
const rows = new Map<LabCase, Row>();

describe(`NAT lab (T=${IDLE_TIMEOUT_S}s): keepalive-lint flags exactly the connections the kernel resets`, () => {
  before(async () => {
    await startServers();
    const configs = { default: writeConfig('default'), sysctl: writeConfig('sysctl') } as const;
    const kernel = Promise.all(CASES.map((lab) => runCase(lab)));
    const verdicts: Verdict[] = [];
    for (const lab of CASES) verdicts.push(await lint(lab, configs[lab.pod]));
    const results = await kernel;
    CASES.forEach((lab, i) => rows.set(lab, { lab, kernel: results[i]!, verdict: verdicts[i]! }));
  });

  after(() => {
    const all = CASES.flatMap((lab) => rows.get(lab) ?? []);
    if (all.length === CASES.length) {
      printTable(all);
      if (process.argv.includes('--write')) {
        writeFileSync(DOC, markdown(all));
        console.log(`\nwrote ${relative(process.cwd(), DOC)}`);
      }
    }
    console.log(`\nNAT lab: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    cleanup();
  });

  for (const lab of CASES) {
    it(`${lab.title} [${lab.file}, ${lab.pod} pod]`, () => {
      const row = rows.get(lab);
      assert.ok(row, 'the case did not run');
      assert.notEqual(row.kernel.outcome, 'broken', `the lab is broken for this case: ${row.kernel.detail}`);
      assert.equal(
        flagged(row.verdict),
        failed(row.kernel.outcome),
        `kernel: ${row.kernel.outcome} (${row.kernel.detail}); keepalive-lint: ${verdictText(row.verdict)}\n${row.verdict.messages.join('\n')}`,
      );
    });
  }
});
