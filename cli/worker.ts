/** A lint worker thread: runs FileLinter on the batches the main thread sends (see cli/engine.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { FileLinter, WORKER_ROLE, type FromWorker, type Job, type JobOutcome, type ToWorker, type WorkerInit } from './engine.ts';

/** Whether this thread was started as a lint worker (cli/main.ts then serves instead of running the CLI). */
export function isLintWorker(): boolean {
  return parentPort !== null && (workerData as Partial<WorkerInit> | undefined)?.role === WORKER_ROLE;
}

export function serveLintWorker(): void {
  const init = workerData as WorkerInit;
  const linter = new FileLinter(init.configs, init.cwd);
  const analysedJobs = new Map<number, Job>();
  const port = parentPort!;
  // Messages are handled one at a time, in order, even though code files await their versions.
  let queue = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    queue = queue.then(async () => {
      const outcomes: [number, JobOutcome][] = [];
      if (message.type === 'yaml') {
        for (const [id, job] of message.jobs) {
          analysedJobs.set(id, job);
          outcomes.push([id, linter.analyseYaml(id, job)]);
        }
      } else if (message.type === 'index') {
        linter.usePortableIndex(message.facts);
        outcomes.push(...linter.lintYaml(analysedJobs));
        analysedJobs.clear();
      } else {
        for (const [id, job] of message.jobs) outcomes.push([id, await linter.lintCode(job)]);
      }
      port.postMessage({ type: 'done', outcomes } satisfies FromWorker);
    });
  });
}
