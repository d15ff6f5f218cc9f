/**
 * What every lab case shares: one exchange, an idle gap past the NAT's timeout, a second exchange,
 * and one JSON line on stdout with the outcome: survived, reset (ECONNRESET/EPIPE), hung (no answer
 * within the bound) or error. The case program itself holds the client, as an application does.
 */
export type Outcome = 'survived' | 'reset' | 'hung' | 'error' | 'broken';

export interface CaseResult {
  readonly outcome: Outcome;
  readonly detail: string;
  readonly idleMs: number;
}

const IDLE_MS = Number(process.env['LAB_IDLE_MS'] ?? 12_000);
const FIRST_MS = Number(process.env['LAB_FIRST_MS'] ?? 10_000);
const SECOND_MS = Number(process.env['LAB_SECOND_MS'] ?? 6_000);

class Hung extends Error {}

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hung(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The error and its causes, as text: ECONNRESET hides in `code`, `cause`, gRPC `details` or a message. */
function describe(error: unknown, depth = 0): string {
  if (depth > 4 || error === undefined || error === null) return '';
  if (typeof error !== 'object') return String(error);
  const e = error as { code?: unknown; message?: unknown; details?: unknown; cause?: unknown; errors?: unknown };
  const parts = [e.code, e.message, e.details].filter((part) => part !== undefined && part !== '').map(String);
  const inner = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].map((c) => describe(c, depth + 1)).filter(Boolean);
  return [...new Set([...parts, ...inner])].join(' / ');
}

export function classify(error: unknown): { outcome: Outcome; detail: string } {
  if (error instanceof Hung) return { outcome: 'hung', detail: error.message };
  const detail = describe(error);
  if (/ECONNRESET|EPIPE/.test(detail)) return { outcome: 'reset', detail };
  return { outcome: 'error', detail };
}

let finished = false;
function finish(result: CaseResult): never {
  if (!finished) {
    finished = true;
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  process.exit(0);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the case: exchange, idle past the timeout, exchange again; prints the outcome and exits. */
export async function lab(exchange: () => Promise<void>): Promise<never> {
  let phase: 'first' | 'idle' | 'second' = 'first';
  const fail = (error: unknown): never => {
    const { outcome, detail } = classify(error);
    if (phase === 'first') return finish({ outcome: 'broken', detail: `first exchange failed: ${detail}`, idleMs: 0 });
    return finish({ outcome, detail: `${phase === 'idle' ? 'while idle: ' : ''}${detail}`, idleMs: IDLE_MS });
  };
  // Errors emitted without a listener (a session's 'error', a socket's) end the case the same way.
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  try {
    await within(FIRST_MS, exchange());
  } catch (error) {
    return fail(error);
  }
  phase = 'idle';
  await sleep(IDLE_MS);
  phase = 'second';
  try {
    await within(SECOND_MS, exchange());
  } catch (error) {
    return fail(error);
  }
  return finish({ outcome: 'survived', detail: `second exchange answered after ${IDLE_MS / 1000} s idle`, idleMs: IDLE_MS });
}
