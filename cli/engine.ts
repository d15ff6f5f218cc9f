/**
 * A lint run over many files: read, analyse and lint each, on this thread or on worker threads.
 * Either way the results are the same, in the same order, so reports are byte-identical.
 *
 * Two phases, because a manifest's findings depend on every other manifest (the project index):
 * 1. every YAML file is read and analysed; what it adds to the index (Services, ConfigMaps,
 *    Namespaces, kube-proxy config) is collected in file order;
 * 2. with the index, each YAML file is linted where it was analysed, and each TS/JS file is read,
 *    pre-checked, parsed when it imports a client module, linted and dropped (code files depend on
 *    the index only through the idle timeout, so none of them is kept in memory).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../rules/config.ts';
import { indexFacts, ProjectIndex, type IndexFacts } from '../rules/k8s/model.ts';
import { analyseCode, analyseYaml, buildIndex, lintCode, lintYaml, type AnalysedYaml, type FileLintResult } from '../rules/lint.ts';
import { describeReadError } from './files.ts';
import { VersionLoader } from './versions.ts';
import { startSelfWorker } from './threads.ts';

/** Files above this size are skipped with a note rather than parsed. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** Runs with at least this many files use worker threads (when the machine has two cores or more). */
export const AUTO_THREADS_MIN_FILES = 1000;

export type ReadResult = { readonly text: string; readonly bom: boolean } | { readonly skip: string } | { readonly unreadable: string };

/**
 * Reads a file as text, without its byte-order mark (noted in `bom`). Binary, non-UTF-8 and very
 * large files are skipped with a reason; a file that cannot be read (permissions, a symlink loop,
 * a FIFO or device, which is never opened for blocking reads) is `unreadable`, with why.
 */
export function readSource(path: string): ReadResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on regular files.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { unreadable: describeReadError(error) };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { unreadable: info.isDirectory() ? 'a folder' : 'not a regular file (a FIFO, socket or device)' };
    if (info.size > MAX_FILE_BYTES) return { skip: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (${Math.round(info.size / 1024 / 1024)} MiB)` };
    // The size fstat gave, read into one buffer (measurably faster than readFileSync here).
    const buffer = Buffer.allocUnsafe(info.size);
    let length = 0;
    while (length < info.size) {
      const read = readSync(fd, buffer, length, info.size - length, length);
      if (read === 0) break; // shrank meanwhile
      length += read;
    }
    const bytes = buffer.subarray(0, length);
    if (bytes.subarray(0, 8000).includes(0)) return { skip: 'binary file' };
    let text: string;
    try {
      // ignoreBOM keeps the mark in the text, so it is seen here (and not lost by --fix).
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return { skip: 'not UTF-8 text' };
    }
    const bom = text.charCodeAt(0) === 0xfeff;
    return { text: bom ? text.slice(1) : text, bom };
  } catch (error) {
    return { unreadable: describeReadError(error) };
  } finally {
    closeSync(fd);
  }
}

/** One file of the run: its path, whether it is TS/JS (else YAML), and its configuration (an index into the run's table). */
export interface Job {
  readonly path: string;
  readonly code: boolean;
  readonly config: number;
}

/** What became of one file. */
export interface JobOutcome {
  /** Skipped with a note: binary, not UTF-8, too large. */
  readonly skip?: string;
  /** Could not be read: an I/O error (the run exits 2). */
  readonly unreadable?: string;
  /** A Helm/Go template: not linted. */
  readonly templated?: boolean;
  readonly result?: FileLintResult;
  /** An exception escaped the analysis of this file (a bug): logged, the run exits 2, the others still count. */
  readonly failure?: string;
  /** The text, when a report needs it: every YAML file (related locations point into them) and files with messages. */
  readonly text?: string;
}

export interface EngineOptions {
  readonly cwd: string;
  /** 1: this thread only; N >= 2: N threads (this one and N - 1 workers); 'auto': up to 4 for runs of 1,000 files or more on machines with two cores or more. */
  readonly threads: number | 'auto';
}

function failureOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}


interface YamlPhaseOutcome extends JobOutcome {
  readonly facts?: IndexFacts;
}

/** The per-file work, the same on the main thread and in workers. Keeps analysed manifests for phase 2. */
export class FileLinter {
  private readonly analysed = new Map<number, AnalysedYaml>();
  private index: ProjectIndex | undefined;
  private readonly versions: VersionLoader;

  constructor(
    private readonly configs: readonly ResolvedConfig[],
    cwd: string,
  ) {
    this.versions = new VersionLoader(cwd);
  }

  /** Phase 1 for a manifest: read and analyse it (kept here for lintYaml). */
  analyseYaml(id: number, job: Job): YamlPhaseOutcome {
    const read = readSource(job.path);
    if ('skip' in read) return { skip: read.skip };
    if ('unreadable' in read) return { unreadable: read.unreadable };
    try {
      const analysed = analyseYaml({ path: job.path, text: read.text });
      if (analysed.templated) return { templated: true };
      this.analysed.set(id, analysed);
      return { text: read.text, facts: indexFacts(analysed.facts) };
    } catch (error) {
      return { failure: failureOf(error) };
    }
  }

  /** The analysed manifests in job order: what the index is built from on a single thread. */
  analysedInOrder(): AnalysedYaml[] {
    return [...this.analysed.entries()].sort((a, b) => a[0] - b[0]).map(([, analysed]) => analysed);
  }

  useIndex(index: ProjectIndex): void {
    this.index = index;
  }

  usePortableIndex(list: readonly IndexFacts[]): void {
    this.index = new ProjectIndex(list);
  }

  /** Phase 2 for the manifests analysed here. */
  lintYaml(jobs: ReadonlyMap<number, Job> | readonly Job[]): [number, JobOutcome][] {
    const index = this.index!;
    const out: [number, JobOutcome][] = [];
    for (const [id, analysed] of [...this.analysed.entries()].sort((a, b) => a[0] - b[0])) {
      const job = jobs instanceof Map ? jobs.get(id)! : (jobs as readonly Job[])[id]!;
      try {
        out.push([id, { result: lintYaml(analysed, index, this.configs[job.config]!) }]);
      } catch (error) {
        out.push([id, { failure: failureOf(error) }]);
      }
    }
    this.analysed.clear();
    return out;
  }

  /** Phase 2 for a TS/JS file: read, pre-check, parse and lint it; nothing is kept. */
  async lintCode(job: Job): Promise<JobOutcome> {
    const read = readSource(job.path);
    if ('skip' in read) return { skip: read.skip };
    if ('unreadable' in read) return { unreadable: read.unreadable };
    try {
      const analysed = analyseCode({ path: job.path, text: read.text });
      if (!analysed.file) return { result: { path: job.path, findings: [], ruleFailures: [] } };
      const versions = await this.versions.forFile(job.path);
      const result = lintCode(analysed, this.index!, this.configs[job.config]!, versions);
      return result.findings.length > 0 || result.problem ? { result, text: read.text } : { result };
    } catch (error) {
      return { failure: failureOf(error) };
    }
  }
}

/**
 * How many worker threads a run of `files` files starts, besides this thread (which lints too):
 * 0 for this thread only. `threads` counts all of them.
 */
export function workerCount(threads: number | 'auto', files: number): number {
  if (threads === 'auto') {
    const cores = availableParallelism();
    return cores >= 2 && files >= AUTO_THREADS_MIN_FILES ? Math.min(cores, 4) - 1 : 0;
  }
  return threads >= 2 ? Math.min(threads - 1, Math.max(files - 1, 0)) : 0;
}

export async function lintJobs(jobs: readonly Job[], configs: readonly ResolvedConfig[], options: EngineOptions): Promise<JobOutcome[]> {
  const workers = workerCount(options.threads, jobs.length);
  return workers > 0 ? lintOnWorkers(jobs, configs, options.cwd, workers) : lintHere(jobs, configs, options.cwd);
}

async function lintHere(jobs: readonly Job[], configs: readonly ResolvedConfig[], cwd: string): Promise<JobOutcome[]> {
  const linter = new FileLinter(configs, cwd);
  const outcomes: JobOutcome[] = new Array(jobs.length);
  jobs.forEach((job, id) => {
    if (!job.code) {
      const { facts: _facts, ...outcome } = linter.analyseYaml(id, job);
      outcomes[id] = outcome;
    }
  });
  linter.useIndex(buildIndex(linter.analysedInOrder()));
  for (const [id, outcome] of linter.lintYaml(jobs)) outcomes[id] = { ...outcomes[id], ...outcome };
  for (let id = 0; id < jobs.length; id++) {
    if (jobs[id]!.code) outcomes[id] = await linter.lintCode(jobs[id]!);
  }
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Worker threads. The worker runs this same module (cli/worker.ts wires the messages to FileLinter).

export const WORKER_ROLE = 'keepalive-lint-worker';

export interface WorkerInit {
  readonly role: typeof WORKER_ROLE;
  readonly cwd: string;
  readonly configs: readonly ResolvedConfig[];
}

export type ToWorker =
  | { readonly type: 'yaml'; readonly jobs: readonly (readonly [number, Job])[] }
  | { readonly type: 'index'; readonly facts: readonly IndexFacts[]; readonly jobs: readonly (readonly [number, Job])[] }
  | { readonly type: 'code'; readonly jobs: readonly (readonly [number, Job])[] };

export type FromWorker = { readonly type: 'done'; readonly outcomes: readonly (readonly [number, YamlPhaseOutcome])[] };

/** Batches of files handed to whichever worker is free next. */
function batches(ids: readonly number[], workers: number, max: number): number[][] {
  const size = Math.max(1, Math.min(max, Math.ceil(ids.length / (workers * 8))));
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

async function lintOnWorkers(jobs: readonly Job[], configs: readonly ResolvedConfig[], cwd: string, count: number): Promise<JobOutcome[]> {
  const init: WorkerInit = { role: WORKER_ROLE, cwd, configs };
  const pool = Array.from({ length: count }, () => startSelfWorker(new URL('./main.ts', import.meta.url), init));
  // This thread takes batches too: it is warm already, and it works while the workers start.
  const local = new FileLinter(configs, cwd);
  const localJobs = new Map<number, Job>();
  const outcomes: YamlPhaseOutcome[] = new Array(jobs.length);
  const store = (list: readonly (readonly [number, YamlPhaseOutcome])[]) => {
    for (const [id, outcome] of list) outcomes[id] = { ...outcomes[id], ...outcome };
  };
  const entry = (id: number) => [id, jobs[id]!] as const;
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  try {
    let failed: ((error: Error) => void) | undefined;
    const failure = new Promise<never>((_, reject) => {
      failed = reject;
    });
    failure.catch(() => undefined);
    for (const worker of pool) {
      worker.on('error', (error) => failed!(error));
      worker.on('exit', (code) => {
        if (code !== 0) failed!(new Error(`a worker thread exited with code ${code}`));
      });
    }

    /**
     * One phase: each worker gets its first message (if any) and then batches from the queue as it
     * finishes; this thread does its own first step and takes batches between handling messages.
     */
    const phase = (first: ToWorker | undefined, localFirst: () => void, queue: number[][], type: 'yaml' | 'code'): Promise<void> =>
      Promise.race([
        failure,
        new Promise<void>((resolve, reject) => {
          let busy = 0;
          let localBusy = true;
          const settle = () => {
            if (busy === 0 && !localBusy && queue.length === 0) resolve();
          };
          const next = (worker: Worker): void => {
            const batch = queue.shift();
            if (!batch) return settle();
            busy++;
            worker.postMessage({ type, jobs: batch.map(entry) } satisfies ToWorker);
          };
          for (const worker of pool) {
            worker.removeAllListeners('message');
            worker.on('message', (message: FromWorker) => {
              busy--;
              store(message.outcomes);
              next(worker);
            });
            if (first) {
              busy++;
              worker.postMessage(first);
            }
            // Two batches in flight: a worker never waits for this thread to finish its own batch
            // before it gets the next one.
            next(worker);
            next(worker);
          }
          const work = async () => {
            localFirst();
            for (let batch = queue.shift(); batch; batch = queue.shift()) {
              for (const id of batch) {
                const job = jobs[id]!;
                if (type === 'yaml') {
                  localJobs.set(id, job);
                  outcomes[id] = { ...outcomes[id], ...local.analyseYaml(id, job) };
                } else {
                  outcomes[id] = { ...outcomes[id], ...(await local.lintCode(job)) };
                }
              }
              await turn(); // let the workers' results in, and hand them their next batches
            }
            localBusy = false;
            settle();
          };
          work().catch(reject);
        }),
      ]);

    const yamlIds: number[] = [];
    const codeIds: number[] = [];
    jobs.forEach((job, id) => (job.code ? codeIds : yamlIds).push(id));
    await phase(undefined, () => undefined, batches(yamlIds, count + 1, 16), 'yaml');
    const facts: IndexFacts[] = [];
    for (const id of yamlIds) {
      const outcome = outcomes[id];
      if (outcome?.facts) facts.push(outcome.facts);
    }
    // Every thread lints the manifests it analysed, against the same index built from plain data,
    // then takes code files as it frees up.
    await phase(
      { type: 'index', facts, jobs: [] },
      () => {
        local.usePortableIndex(facts);
        store(local.lintYaml(localJobs));
      },
      batches(codeIds, count + 1, 64),
      'code',
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return outcomes.map((outcome) => {
    if (!outcome) return outcome;
    const { facts: _facts, ...rest } = outcome;
    return rest;
  });
}
