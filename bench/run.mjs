// The benchmark (`npm run bench`; `npm run bench -- --write` also writes bench/RESULTS.md).
//
// Generates the synthetic monorepo (bench/generate.mjs) and measures, side by side and interleaved
// (so load from other processes spreads over every contender), each as a whole process, wall clock:
//   - keepalive-lint lint --format json over the whole tree and over the "every file relevant"
//     subset, with its default (worker threads for large runs) and with --threads 1;
//   - the parse floor (bench/floor.mjs): read and parse the same files with the same parsers;
//   - ESLint (bench/eslint.config.mjs) and keepalive-lint over the same TS/JS files;
//   - the language server (dist/server.js): indexing time and RSS for the whole workspace, the time to
//     update the index for one changed file, and didChange → publishDiagnostics p50/p95 on a
//     3,000-line TS file and a 2,000-line multi-document YAML, with yaml-language-server as anchor.
// Medians of --runs runs (default 5). Peak RSS from /usr/bin/time (GNU time) when it is there.
//
// Options: --write, --runs N, --eslint-runs N (default: --runs), --eslint-single-runs N (default 1),
// --scale F (default 1), --dir DIR, --skip-eslint, --skip-editor, --quick (--runs 1, --scale 0.1).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate, linkRelevant } from './generate.mjs';
import { editLatency, LspClient, rssOf } from './lsp.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = flag('--quick');
const RUNS = Number(option('--runs', quick ? 1 : 5));
const ESLINT_RUNS = Number(option('--eslint-runs', RUNS));
const ESLINT_SINGLE_RUNS = Number(option('--eslint-single-runs', 1));
const SCALE = Number(option('--scale', quick ? 0.1 : 1));
const DIR = option('--dir', join(tmpdir(), 'keepalive-lint-bench'));
const CLI = join(REPO, 'dist', 'cli.js');
const SERVER = join(REPO, 'dist', 'server.js');
const ESLINT = join(REPO, 'node_modules', 'eslint', 'bin', 'eslint.js');
const YAML_LS = join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0 ? '/usr/bin/time' : undefined;

const log = (line) => process.stderr.write(`${line}\n`);
const version = (name) => JSON.parse(readFileSync(join(REPO, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

if (!existsSync(CLI)) {
  log('dist/cli.js is missing: run `npm run build` (npm run bench does).');
  process.exit(2);
}

// ---- the data -----------------------------------------------------------------------------------

log(`generating the monorepo in ${DIR} (scale ${SCALE}) …`);
const manifest = generate(DIR, { seed: 42, scale: SCALE });
const tree = join(DIR, 'tree');
const candidates = [...manifest.yaml, ...manifest.otherYaml, ...manifest.corpus, ...manifest.clientCode, ...manifest.bigJs, ...manifest.editor];
const classified = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'bench', 'classify.ts')], { cwd: REPO, input: JSON.stringify(candidates.map((f) => join(tree, f))), maxBuffer: 1 << 28 }).toString(),
);
const relevantSet = new Set(classified.map((p) => p.slice(tree.length + 1)));
const relevant = linkRelevant(DIR, candidates.filter((f) => relevantSet.has(f)));
// The same TS/JS files for ESLint and keepalive-lint.
const code = join(DIR, 'code');
rmSync(code, { recursive: true, force: true });
for (const rel of [...manifest.code, ...manifest.clientCode, ...manifest.bigJs, ...manifest.editor.filter((f) => f.endsWith('.ts'))]) {
  mkdirSync(dirname(join(code, rel)), { recursive: true });
  linkSync(join(tree, rel), join(code, rel));
}
for (const rel of new Set(manifest.code.map((f) => /^(services\/[^/]+)\//.exec(f)?.[1]).filter(Boolean))) linkSync(join(tree, rel, 'package.json'), join(code, rel, 'package.json'));
writeFileSync(join(DIR, 'eslint.config.mjs'), `export { default } from ${JSON.stringify(pathToFileURL(join(REPO, 'bench', 'eslint.config.mjs')).href)};\n`);

function sizeOf(root) {
  const out = spawnSync(process.execPath, [join(REPO, 'bench', 'floor.mjs'), root, '--count-only']);
  return JSON.parse(out.stdout.toString());
}
const sizes = { tree: sizeOf(tree), relevant: sizeOf(relevant), code: sizeOf(code) };

// ---- measuring processes ------------------------------------------------------------------------

/** Runs a command to completion: wall ms (spawn to exit) and peak RSS in MB (GNU time), exit code. */
function measure(command, argv, cwd) {
  const rssFile = join(DIR, 'rss.txt');
  const [cmd, full] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, command, ...argv]] : [command, argv];
  const started = performance.now();
  const result = spawnSync(cmd, full, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  const rssMb = TIME && existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { ms, rssMb, code: result.status, stderr: result.stderr.toString().slice(-2000) };
}

const contenders = {
  oursTree: { label: 'keepalive-lint, whole tree', argv: () => [CLI, 'lint', '--format', 'json', tree], ok: [0, 1] },
  oursTree1: { label: 'keepalive-lint --threads 1, whole tree', argv: () => [CLI, 'lint', '--format', 'json', '--threads', '1', tree], ok: [0, 1] },
  floorTree: { label: 'parse floor, whole tree', argv: () => [join(REPO, 'bench', 'floor.mjs'), tree], ok: [0] },
  oursRelevant: { label: 'keepalive-lint, relevant subset', argv: () => [CLI, 'lint', '--format', 'json', relevant], ok: [0, 1] },
  oursRelevant1: { label: 'keepalive-lint --threads 1, relevant subset', argv: () => [CLI, 'lint', '--format', 'json', '--threads', '1', relevant], ok: [0, 1] },
  floorRelevant: { label: 'parse floor, relevant subset', argv: () => [join(REPO, 'bench', 'floor.mjs'), relevant], ok: [0] },
  oursCode: { label: 'keepalive-lint, TS/JS files', argv: () => [CLI, 'lint', '--format', 'json', code], ok: [0, 1] },
  oursCode1: { label: 'keepalive-lint --threads 1, TS/JS files', argv: () => [CLI, 'lint', '--format', 'json', '--threads', '1', code], ok: [0, 1] },
  eslint: { label: 'ESLint --concurrency auto, TS/JS files', argv: () => [ESLINT, '--no-config-lookup', '-c', join(DIR, 'eslint.config.mjs'), '--concurrency', 'auto', '-f', 'json', 'code'], ok: [0, 1], runs: ESLINT_RUNS, eslint: true },
  eslint1: { label: 'ESLint (single thread), TS/JS files', argv: () => [ESLINT, '--no-config-lookup', '-c', join(DIR, 'eslint.config.mjs'), '-f', 'json', 'code'], ok: [0, 1], runs: ESLINT_SINGLE_RUNS, eslint: true },
};
const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
const loads = [loadavg()[0]];
const maxRuns = Math.max(RUNS, ESLINT_RUNS, ESLINT_SINGLE_RUNS);
for (let run = 0; run < maxRuns; run++) {
  for (const [key, c] of Object.entries(contenders)) {
    if (c.eslint && flag('--skip-eslint')) continue;
    if (run >= (c.runs ?? RUNS)) continue;
    const result = measure(process.execPath, c.argv(), DIR);
    if (!c.ok.includes(result.code)) throw new Error(`${c.label} exited ${result.code}: ${result.stderr}`);
    samples[key].push(result);
    log(`run ${run + 1}/${c.runs ?? RUNS} ${c.label}: ${(result.ms / 1000).toFixed(2)} s, ${result.rssMb.toFixed(0)} MB (load ${loadavg()[0].toFixed(2)})`);
  }
  loads.push(loadavg()[0]);
}
const stat = (key) => {
  const list = samples[key];
  if (!list || list.length === 0) return undefined;
  return { ms: median(list.map((s) => s.ms)), rssMb: median(list.map((s) => s.rssMb)), runs: list.length, min: Math.min(...list.map((s) => s.ms)), max: Math.max(...list.map((s) => s.ms)) };
};

// ---- the editor ---------------------------------------------------------------------------------

async function editorBench() {
  if (flag('--skip-editor')) return { skipped: 'skipped (--skip-editor)' };
  if (!existsSync(SERVER)) return { skipped: 'server not built (dist/server.js is missing)' };
  const out = {};
  const tsFile = join(tree, manifest.editor.find((f) => f.endsWith('.ts')));
  const yamlFile = join(tree, manifest.editor.find((f) => f.endsWith('.yaml')));
  const edits = quick ? 30 : 200;
  const ours = new LspClient(process.execPath, [SERVER, '--stdio'], { settings: { keepaliveLint: {} } });
  try {
    const started = performance.now();
    const indexed = ours.waitFor('window/logMessage', (p) => /indexed \d+ Kubernetes YAML files/.test(p.message), 600_000);
    // No debounce: the time measured is the server's own work, not a wait it chooses.
    await ours.initialize(tree, { debounceMs: 0 });
    const log = await indexed;
    out.indexMs = log.at - started;
    out.indexLog = log.params.message;
    out.indexRss = rssOf(ours.pid);
    out.ts = await editLatency(ours, tsFile, 'typescript', { marker: 'bench: edit here', edits });
    out.yaml = await editLatency(ours, yamlFile, 'yaml', { marker: 'bench: edit here', edits });
    // One manifest on disk changes (a Service is renamed, and back): the index is updated and the
    // open documents linted again. Timed to the new diagnostics of a small open manifest, so the
    // figure is the index update plus one small lint.
    const small = join(tree, manifest.yaml[1]);
    const uri = pathToFileURL(small).href;
    ours.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(small, 'utf8') } });
    await ours.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
    const target = join(tree, manifest.yaml[0]);
    const original = readFileSync(target, 'utf8');
    const updates = [];
    for (let i = 0; i < (quick ? 5 : 30); i++) {
      writeFileSync(target, i % 2 === 0 ? original.replace(/^# .*\n/, '# renamed\n').replace(/kind: Service\nmetadata:\n  name: (\S+)/, 'kind: Service\nmetadata:\n  name: $1-renamed') : original);
      const published = ours.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
      const sent = performance.now();
      ours.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(target).href, type: 2 }] });
      updates.push((await published).at - sent);
    }
    writeFileSync(target, original);
    out.update = { p50: median(updates), max: Math.max(...updates), samples: updates.length, lines: readFileSync(small, 'utf8').split('\n').length };
    out.finalRss = rssOf(ours.pid);
  } finally {
    await ours.stop();
  }
  // The index update alone, without the LSP round trip and the lint that show it from outside.
  out.indexUpdate = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'bench', 'index-update.ts'), tree, join(tree, manifest.yaml[0])], { cwd: REPO, maxBuffer: 1 << 20 }).toString(),
  );
  const yls = new LspClient(process.execPath, [YAML_LS, '--stdio'], {
    settings: { yaml: { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, schemas: {} } },
  });
  try {
    await yls.initialize(tree, {});
    out.yls = await editLatency(yls, yamlFile, 'yaml', { marker: 'bench: edit here', edits, versioned: false });
  } finally {
    await yls.stop();
  }
  return out;
}
log('editor latency …');
const editor = await editorBench().catch((error) => ({ skipped: `failed: ${error.message}` }));
loads.push(loadavg()[0]);

// ---- the table ----------------------------------------------------------------------------------

const fmtS = (ms) => (ms === undefined || Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`);
const fmtMb = (mb) => (mb === undefined || Number.isNaN(mb) ? '—' : `${Math.round(mb)} MB`);
const fmtMs = (ms) => (ms === undefined || Number.isNaN(ms) ? '—' : `${ms.toFixed(1)} ms`);
const ratio = (a, b) => (a && b ? a.ms / b.ms : NaN);
const verdict = (ok) => (ok ? 'met' : 'missed');

const s = Object.fromEntries(Object.keys(contenders).map((k) => [k, stat(k)]));
const rows = [
  ['Whole tree', s.oursTree, s.oursTree1, s.floorTree, sizes.tree],
  ['Relevant subset', s.oursRelevant, s.oursRelevant1, s.floorRelevant, sizes.relevant],
];
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const lines = [];
lines.push('# keepalive-lint benchmark results', '');
lines.push('Written by `npm run bench -- --write` (bench/run.mjs); the numbers below are from that run. Do not edit by hand.', '');
lines.push(`- Machine: ${cpu}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end); ${process.platform} ${process.arch}`);
lines.push(`- Load average (1 min) during the run: ${loads.map((l) => l.toFixed(2)).join(' → ')}. The machine is shared: other processes' load makes wall-clock times noisy; contenders were run interleaved so it spreads over all of them.`);
lines.push(`- Node ${process.version}; keepalive-lint ${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}; typescript ${version('typescript')}; yaml ${version('yaml')}; ESLint ${version('eslint')}; @typescript-eslint/parser ${version('@typescript-eslint/parser')}; yaml-language-server ${version('yaml-language-server')}`);
lines.push(`- Data: bench/generate.mjs, seed ${manifest.seed}, scale ${manifest.scale}: ${manifest.yaml.length} Kubernetes manifests (Deployment + Service + ConfigMap each, 50–300 lines, a fifth calling another Service), ${manifest.otherYaml.length} other YAML files (CI workflows, compose, values), ${manifest.code.length + manifest.clientCode.length} TS/JS files (50–800 lines, ${manifest.clientCode.length} creating clients), the ${manifest.corpus.length} files of test/corpus/k8s, ${manifest.bigJs.length} vendored copies of typescript/lib/*.js and the 2 editor files.`);
lines.push(`  Whole tree ${sizes.tree.files} files, ${(sizes.tree.bytes / 1e6).toFixed(0)} MB; relevant subset ${sizes.relevant.files} files, ${(sizes.relevant.bytes / 1e6).toFixed(0)} MB; TS/JS files ${sizes.code.files}, ${(sizes.code.bytes / 1e6).toFixed(0)} MB.`);
lines.push(`- Each figure is the median of ${RUNS} runs (ESLint: ${ESLINT_RUNS} with --concurrency auto, ${ESLINT_SINGLE_RUNS} single-threaded), wall clock of the whole process from spawn to exit (Node start-up, module loading, walking, reading, output); peak RSS by GNU time. keepalive-lint runs \`lint --format json\` (output discarded); its default uses worker threads for runs of 1,000 files or more.`, '');

lines.push('## Batch: keepalive-lint against the parse floor', '');
lines.push('| Files | keepalive-lint (default) | --threads 1 | Parse floor | Default ÷ floor | --threads 1 ÷ floor | Target | Peak RSS (default / --threads 1 / floor) |');
lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const [name, ours, ours1, floor] of rows) {
  const target = name === 'Whole tree' ? 0.5 : 1.2;
  const r = ratio(ours, floor);
  const r1 = ratio(ours1, floor);
  lines.push(`| ${name} | ${fmtS(ours?.ms)} | ${fmtS(ours1?.ms)} | ${fmtS(floor?.ms)} | ${r.toFixed(2)}× | ${r1.toFixed(2)}× | ≤ ${target}×: ${verdict(r <= target)} (default), ${verdict(r1 <= target)} (1 thread) | ${fmtMb(ours?.rssMb)} / ${fmtMb(ours1?.rssMb)} / ${fmtMb(floor?.rssMb)} |`);
}
const threadsGain = s.oursTree1 && s.oursTree ? s.oursTree1.ms / s.oursTree.ms : NaN;
lines.push('', `Worker threads: --threads 1 ÷ default on the whole tree = ${threadsGain.toFixed(2)}× (target ≥ 1.6× on 2 cores: ${verdict(threadsGain >= 1.6)}); the reports are byte-identical either way (test/cli/threads.test.ts).`, '');

lines.push('## Batch: keepalive-lint against ESLint on the same TS/JS files', '');
if (flag('--skip-eslint')) lines.push('Skipped (--skip-eslint).', '');
else {
  lines.push('| Contender | Time | Peak RSS | ESLint ÷ keepalive-lint | Target |');
  lines.push('| --- | --- | --- | --- | --- |');
  const vs = (e, o) => (e && o ? `${(e.ms / o.ms).toFixed(1)}×` : '—');
  lines.push(`| keepalive-lint (default) | ${fmtS(s.oursCode?.ms)} | ${fmtMb(s.oursCode?.rssMb)} | ${vs(s.eslint, s.oursCode)} (vs ESLint --concurrency auto) | ≥ 10×: ${verdict(ratio(s.eslint, s.oursCode) >= 10)} |`);
  lines.push(`| keepalive-lint --threads 1 | ${fmtS(s.oursCode1?.ms)} | ${fmtMb(s.oursCode1?.rssMb)} | ${vs(s.eslint1, s.oursCode1)} (vs single-threaded ESLint) | ≥ 10×: ${verdict(ratio(s.eslint1, s.oursCode1) >= 10)} |`);
  lines.push(`| ESLint --concurrency auto | ${fmtS(s.eslint?.ms)} | ${fmtMb(s.eslint?.rssMb)} | | |`);
  lines.push(`| ESLint, single thread (${ESLINT_SINGLE_RUNS} run${ESLINT_SINGLE_RUNS === 1 ? '' : 's'}) | ${fmtS(s.eslint1?.ms)} | ${fmtMb(s.eslint1?.rssMb)} | | |`);
  lines.push('', 'ESLint runs `no-restricted-syntax` with selectors for what keepalive-lint recognises (bench/eslint.config.mjs): syntax matching only, no judgement, so it is a lower bound on the same analysis as ESLint rules. It must parse every file; keepalive-lint parses only files that import a client module.', '');
}

lines.push('## Editor: the language server', '');
if (editor.skipped) lines.push(`| Measure | Result |`, '| --- | --- |', `| Language server | ${editor.skipped} |`, '');
else {
  const p95ok = (m) => m.p95 <= 25;
  lines.push('| Measure | keepalive-lint server | yaml-language-server | Target |');
  lines.push('| --- | --- | --- | --- |');
  lines.push(`| didChange → publishDiagnostics, 3,000-line TS, p50 / p95 | ${fmtMs(editor.ts.p50)} / ${fmtMs(editor.ts.p95)} | — | p95 ≤ 25 ms: ${verdict(p95ok(editor.ts))} |`);
  lines.push(`| didChange → publishDiagnostics, 2,000-line YAML, p50 / p95 | ${fmtMs(editor.yaml.p50)} / ${fmtMs(editor.yaml.p95)} | ${fmtMs(editor.yls.p50)} / ${fmtMs(editor.yls.p95)} | p95 ≤ 25 ms: ${verdict(p95ok(editor.yaml))}; not slower than yaml-language-server: ${verdict(editor.yaml.p95 <= editor.yls.p95)} |`);
  lines.push(`| Index the workspace (${editor.indexLog}) | ${fmtS(editor.indexMs)} | | |`);
  lines.push(`| RSS after indexing (current / peak) | ${fmtMb(editor.indexRss?.rssMb)} / ${fmtMb(editor.indexRss?.peakMb)} | | ≤ 250 MB: ${verdict((editor.indexRss?.rssMb ?? Infinity) <= 250)} |`);
  lines.push(`| One changed manifest on disk: didChangeWatchedFiles → new diagnostics of an open ${editor.update.lines}-line manifest, p50 (max) | ${fmtMs(editor.update.p50)} (${fmtMs(editor.update.max)}) | | (the update seen from the editor: includes that lint) |`);
  if (editor.indexUpdate) {
    lines.push(
      `| The index update alone (WorkspaceIndex.refresh over ${editor.indexUpdate.files} indexed files: walk check, read, parse, replace the file's facts), p50 (max) of ${editor.indexUpdate.samples} | ${fmtMs(editor.indexUpdate.p50)} (${fmtMs(editor.indexUpdate.max)}) | | ≤ 5 ms: ${verdict(editor.indexUpdate.p50 <= 5)} |`,
    );
  }
  lines.push(`| RSS at the end (current / peak) | ${fmtMb(editor.finalRss?.rssMb)} / ${fmtMb(editor.finalRss?.peakMb)} | | |`);
  lines.push('', `Each latency is over ${editor.ts.samples} edits after 10 warm-up edits (a character appended to and removed from a comment line), each sent when the previous diagnostics arrived; the server runs with \`debounceMs: 0\` (its default debounce of 150 ms is a wait it chooses, not work). yaml-language-server validates without schemas (no schema store: no network), so its figure is YAML parsing and validation alone. The one-file update seen from the editor includes re-linting the open manifest (its new diagnostics are what shows the index changed); the row after it times the index update alone, in a process of its own (bench/index-update.ts, the server's WorkspaceIndex run from source), and checks after each update that the index answers with the renamed Service.`, '');
}

const table = lines.join('\n');
process.stdout.write(`${table}\n`);
if (flag('--write')) {
  const notes = existsSync(join(REPO, 'bench', 'NOTES.md')) ? `\n${readFileSync(join(REPO, 'bench', 'NOTES.md'), 'utf8')}` : '';
  writeFileSync(join(REPO, 'bench', 'RESULTS.md'), `${table}${notes}`);
  log('wrote bench/RESULTS.md');
}
writeFileSync(join(DIR, 'results.json'), JSON.stringify({ samples, editor, sizes, loads }, null, 2));
