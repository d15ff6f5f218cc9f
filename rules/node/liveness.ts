/**
 * The one liveness model every code rule uses. A pooled or long-lived connection survives an idle
 * middlebox iff (a) TCP keepalive is on with a first-probe delay in [1 s, T) — 0, missing or under
 * 1000 ms leaves the namespace default of 7200 s — or (b) idle sockets are closed before T, or
 * (c) an application heartbeat runs more often than T.
 */
import { describeTimeout, type IdleTimeout } from '../config.ts';

export const NAMESPACE_DEFAULT_KEEPALIVE_S = 7200;

/** What a recogniser found for one client. Each part is absent when the client has none. */
export interface Liveness {
  /** (a) SO_KEEPALIVE on, with this delay in ms (0 when none is given). */
  readonly keepaliveDelayMs?: number;
  /** (b) idle sockets closed after this many ms. */
  readonly idleCapMs?: number;
  /** (c) an application heartbeat every this many ms. */
  readonly heartbeatMs?: number;
}

/** The delay the kernel really uses: libuv takes whole seconds, and under one second means none. */
export function effectiveProbeSeconds(delayMs: number): number {
  return delayMs >= 1000 ? Math.floor(delayMs / 1000) : NAMESPACE_DEFAULT_KEEPALIVE_S;
}

export function isSafe(liveness: Liveness, timeout: IdleTimeout): boolean {
  const limitMs = timeout.seconds * 1000;
  if (liveness.keepaliveDelayMs !== undefined && effectiveProbeSeconds(liveness.keepaliveDelayMs) < timeout.seconds) return true;
  if (liveness.idleCapMs !== undefined && liveness.idleCapMs > 0 && liveness.idleCapMs < limitMs) return true;
  if (liveness.heartbeatMs !== undefined && liveness.heartbeatMs > 0 && liveness.heartbeatMs < limitMs) return true;
  return false;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** "(a) keepalive off; (b) no idle cap; (c) no heartbeat": which of the three failed, with values. */
export function describeLiveness(liveness: Liveness): string {
  let a: string;
  if (liveness.keepaliveDelayMs === undefined) a = '(a) TCP keepalive is off';
  else if (liveness.keepaliveDelayMs < 1000) {
    a = `(a) TCP keepalive is on with a delay of ${liveness.keepaliveDelayMs}ms, which leaves the namespace default of ${NAMESPACE_DEFAULT_KEEPALIVE_S}s`;
  } else a = `(a) TCP keepalive probes after ${seconds(liveness.keepaliveDelayMs)}`;
  const b = liveness.idleCapMs === undefined || liveness.idleCapMs <= 0 ? '(b) idle sockets are never closed' : `(b) idle sockets are closed after ${seconds(liveness.idleCapMs)}`;
  const c = liveness.heartbeatMs === undefined || liveness.heartbeatMs <= 0 ? '(c) no heartbeat' : `(c) a heartbeat every ${seconds(liveness.heartbeatMs)}`;
  return `${a}; ${b}; ${c}`;
}

/** The message tail every code rule shares: the verdict of each part and T with its source. */
export function verdictText(liveness: Liveness, timeout: IdleTimeout): string {
  return `${describeLiveness(liveness)} — none of them is within ${describeTimeout(timeout)}`;
}
