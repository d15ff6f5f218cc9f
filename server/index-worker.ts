/**
 * Indexing on a worker thread. The worker reads and parses each manifest and sends back only what the
 * index keeps (facts and text). All the short-lived syntax trees live on the worker's heap, which
 * goes away with the worker: parsed on the server's own thread, they left it hundreds of MB larger
 * for good on a large workspace (V8 keeps the heap it grew). The server also stays responsive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readText } from '../cli/run.ts';
import { startSelfWorker } from '../cli/threads.ts';
import type { IndexFacts } from '../rules/k8s/model.ts';
import { indexFacts } from '../rules/k8s/model.ts';
import { analyseYaml } from '../rules/lint.ts';

const INDEX_WORKER_ROLE = 'keepalive-lint-index';

export type IndexedFile =
  | { readonly path: string; readonly facts: IndexFacts; readonly text: string }
  | { readonly path: string; readonly templated: true }
  | { readonly path: string; readonly skip: string }
  | { readonly path: string; readonly error: string };

/** Reads and analyses one manifest. Never throws. */
export async function indexFile(path: string): Promise<IndexedFile> {
  try {
    const read = await readText(path);
    if ('skip' in read) return { path, skip: read.skip };
    const analysed = analyseYaml({ path, text: read.text });
    if (analysed.templated) return { path, templated: true };
    return { path, facts: indexFacts(analysed.facts), text: read.text };
  } catch (error) {
    return { path, error: (error as Error).message };
  }
}

export function isIndexWorker(): boolean {
  return parentPort !== null && (workerData as { role?: unknown } | undefined)?.role === INDEX_WORKER_ROLE;
}

/** The worker's side: a batch of paths in, their results out, one batch at a time. */
export function serveIndexWorker(): void {
  const port = parentPort!;
  let queue = Promise.resolve();
  port.on('message', (paths: readonly string[]) => {
    queue = queue.then(async () => {
      // Reads overlap; each file is parsed as soon as it is read, and its tree dropped.
      port.postMessage(await Promise.all(paths.map(indexFile)));
    });
  });
}

const BATCH = 64;

/**
 * Indexes `paths` on a worker thread, `onBatch` receiving results in order. When no worker can be
 * started (or one dies), the rest is indexed on this thread: slower and heavier, never wrong.
 */
export async function indexOnWorker(paths: readonly string[], onBatch: (results: readonly IndexedFile[]) => void): Promise<void> {
  let done = 0;
  let worker;
  try {
    worker = startSelfWorker(new URL('./main.ts', import.meta.url), { role: INDEX_WORKER_ROLE });
  } catch {
    worker = undefined;
  }
  if (worker) {
    const running = worker;
    try {
      await new Promise<void>((resolve, reject) => {
        const send = () => {
          if (done >= paths.length) return resolve();
          running.postMessage(paths.slice(done, done + BATCH));
        };
        running.on('message', (results: readonly IndexedFile[]) => {
          done += results.length;
          try {
            onBatch(results);
          } catch (error) {
            reject(error as Error);
            return;
          }
          send();
        });
        running.on('error', reject);
        running.on('exit', (code) => reject(new Error(`the index worker exited with code ${code}`)));
        send();
      });
    } catch {
      // Whatever the worker did not finish is done below.
    } finally {
      await running.terminate();
    }
  }
  for (let i = done; i < paths.length; i += BATCH) onBatch(await Promise.all(paths.slice(i, i + BATCH).map(indexFile)));
}
