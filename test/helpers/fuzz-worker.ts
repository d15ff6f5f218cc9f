/** Runs fuzz cases on a worker thread for test/core/fuzz.test.ts, reporting after each one. */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseCase, fuzzCases } from './fuzz.ts';

const { seed, count } = workerData as { seed: number; count: number };
const cases = fuzzCases(seed, count);
parentPort!.postMessage({ type: 'cases', names: cases.map((c) => c.name) });
for (const [i, fuzz] of cases.entries()) {
  parentPort!.postMessage({ type: 'start', i });
  try {
    const first = analyseCase(fuzz);
    const second = analyseCase(fuzz);
    const failures = [...first.matchAll(/"failures":\[([^\]]+)\]/g)].map((m) => m[1]);
    parentPort!.postMessage({ type: 'done', i, deterministic: first === second, failures });
  } catch (error) {
    parentPort!.postMessage({ type: 'done', i, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}
parentPort!.postMessage({ type: 'end' });
