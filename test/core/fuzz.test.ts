/**
 * Bad input never crashes the core, never takes unbounded time and always gives the same answer:
 * mutated manifests and sources (byte flips, truncation, indentation shuffles, CRLF, BOM, NUL bytes,
 * invalid UTF-8, 10,000-level nesting, huge scalars, alias bombs) are analysed, linted, fixed and
 * linted again, twice each, on a worker thread. Each file must finish within a generous budget (a
 * hang shows as a timeout, not as a slow test), nothing may throw, and both runs must agree.
 *
 * `npm test` runs a bounded set (seconds); `npm run fuzz` (`--long`) runs many more, with other seeds.
 */
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { it } from 'node:test';

const LONG = process.argv.includes('--long');
const SEEDS = LONG ? [1, 2, 3, 4, 5, 6, 7, 8] : [1];
const CASES_PER_SEED = LONG ? 1500 : 90;
/** Far above what any case takes (milliseconds; seconds for the megabyte inputs on a busy machine): only a hang reaches it. */
const PER_CASE_BUDGET_MS = 60_000;
/** The CLI's workers run with the main thread's stack; so does this one. */
const STACK_MB = (984 + 192) / 1024;

interface Outcome {
  readonly name: string;
  readonly deterministic?: boolean;
  readonly error?: string;
  readonly failures?: string[];
}

function runSeed(seed: number): Promise<Outcome[]> {
  const script = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(new URL('../helpers/fuzz-worker.ts', import.meta.url).href)}); });`;
  const worker = new Worker(script, { eval: true, workerData: { seed, count: CASES_PER_SEED }, resourceLimits: { stackSizeMb: STACK_MB } });
  return new Promise((resolve, reject) => {
    let names: string[] = [];
    const outcomes: Outcome[] = [];
    let current = -1;
    let started = Date.now();
    const timer = setInterval(() => {
      if (current >= 0 && Date.now() - started > PER_CASE_BUDGET_MS) {
        clearInterval(timer);
        void worker.terminate();
        reject(new Error(`seed ${seed}: case ${current} (${names[current]}) did not finish within ${PER_CASE_BUDGET_MS} ms`));
      }
    }, 250);
    worker.on('message', (message: { type: string; i?: number; names?: string[]; deterministic?: boolean; error?: string; failures?: string[] }) => {
      if (message.type === 'cases') names = message.names!;
      else if (message.type === 'start') {
        current = message.i!;
        started = Date.now();
      } else if (message.type === 'done') {
        outcomes.push({ name: names[message.i!]!, ...(message.error !== undefined ? { error: message.error } : { deterministic: message.deterministic!, failures: message.failures! }) });
        current = -1;
      } else if (message.type === 'end') {
        clearInterval(timer);
        void worker.terminate();
        resolve(outcomes);
      }
    });
    worker.on('error', (error) => {
      clearInterval(timer);
      reject(new Error(`seed ${seed}: the worker died at case ${current} (${names[current]}): ${error.stack ?? error}`));
    });
  });
}

for (const seed of SEEDS) {
  it(`fuzz seed ${seed}: ${CASES_PER_SEED} mutated files, no exception, bounded, deterministic`, { timeout: LONG ? 3_600_000 : 120_000 }, async () => {
    const outcomes = await runSeed(seed);
    assert.equal(outcomes.length, CASES_PER_SEED);
    assert.deepEqual(outcomes.filter((o) => o.error !== undefined).map((o) => `${o.name}: ${o.error}`), [], 'no exception escapes');
    assert.deepEqual(outcomes.filter((o) => o.deterministic === false).map((o) => o.name), [], 'the same input gives the same output');
    assert.deepEqual(outcomes.filter((o) => (o.failures ?? []).length > 0).map((o) => `${o.name}: ${o.failures!.join(' ')}`), [], 'no rule throws');
  });
}
