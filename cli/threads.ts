/**
 * Starting a worker thread that runs this program's own code: the bundle itself once built (dist/cli.js,
 * dist/server.js), or the TypeScript sources under tsx in development and tests.
 */
import { Worker } from 'node:worker_threads';

/**
 * The main thread's V8 stack limit is 984 KB; give workers the same (plus Node's 192 KB reserve),
 * so input too deeply nested for the parsers fails the same way on every thread.
 */
export const WORKER_STACK_MB = (984 + 192) / 1024;

/** `sourceEntry`: the entry module to run when this code runs from source (it checks workerData and serves). */
export function startSelfWorker(sourceEntry: URL, workerData: unknown): Worker {
  const options = { workerData, resourceLimits: { stackSizeMb: WORKER_STACK_MB }, stdout: false, stderr: false };
  if (import.meta.url.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(sourceEntry.href)}); });`;
    return new Worker(script, { ...options, eval: true });
  }
  // Bundled: this module is part of the entry's bundle, so its own URL is the bundle.
  return new Worker(new URL(import.meta.url), options);
}
