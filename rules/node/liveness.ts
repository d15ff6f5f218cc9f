/**
 * The one liveness model every code rule uses. A pooled or long-lived connection survives an idle
 * middlebox iff (a) TCP keepalive is on with a first-probe delay in [1 s, T) — 0, missing or under
 * 1000 ms leaves the pod's net.ipv4.tcp_keepalive_time (`osKeepaliveTimeSeconds`, by default the
 * namespace default of 7200 s), or libuv's 60 s when keepalive was enabled before the socket opened —
 * or (b) idle sockets are closed before T, or (c) an application heartbeat runs more often than T.
 */
import { describeTimeout, DEFAULT_OS_KEEPALIVE_TIME_S, type IdleTimeout } from '../config.ts';

export const NAMESPACE_DEFAULT_KEEPALIVE_S = DEFAULT_OS_KEEPALIVE_TIME_S;

/**
 * libuv's delay for keepalive enabled on a TCP handle before its socket exists (`uv__stream_open`:
 * `uv__tcp_keepalive(fd, 1, 60)`, the delay passed is not stored). Node's re-apply after connect with
 * a delay under 1 s sets no TCP_KEEPIDLE on Linux, so the 60 s stays. Seen with `ss -to` on Node 20
 * (libuv 1.46) and in the NAT lab (docs/truth-table.md).
 */
export const LIBUV_PRE_OPEN_KEEPALIVE_S = 60;

/** What a verdict depends on besides the client: T, and the keepalive time of the pod's network namespace. */
export interface LivenessLimits {
  readonly timeout: IdleTimeout;
  /** net.ipv4.tcp_keepalive_time of the pod (s): the delay of a socket that enables keepalive without its own. */
  readonly osKeepaliveSeconds: number;
}

/** What a recogniser found for one client. Each part is absent when the client has none. */
export interface Liveness {
  /** (a) SO_KEEPALIVE on, with this delay in ms (0 when none is given). */
  readonly keepaliveDelayMs?: number;
  /** (a) enabled before the socket opened (right after connect()): a delay under 1 s leaves libuv's 60 s, not the pod's sysctl. */
  readonly keepaliveBeforeOpen?: boolean;
  /** (b) idle sockets closed after this many ms. */
  readonly idleCapMs?: number;
  /** (c) an application heartbeat every this many ms. */
  readonly heartbeatMs?: number;
}

/**
 * The delay the kernel really uses: libuv takes whole seconds, and under one second means none, so
 * `fallbackSeconds` applies: the pod's tcp_keepalive_time, or libuv's 60 s for keepalive enabled
 * before the socket opened.
 */
export function effectiveProbeSeconds(delayMs: number, fallbackSeconds: number): number {
  return delayMs >= 1000 ? Math.floor(delayMs / 1000) : fallbackSeconds;
}

/** What a delay under 1 s leaves for this client: libuv's 60 s when enabled before the socket opened, else the pod's sysctl. */
function fallbackSeconds(liveness: Liveness, osKeepaliveSeconds: number): number {
  return liveness.keepaliveBeforeOpen ? LIBUV_PRE_OPEN_KEEPALIVE_S : osKeepaliveSeconds;
}

export function isSafe(liveness: Liveness, limits: LivenessLimits): boolean {
  const { timeout } = limits;
  const limitMs = timeout.seconds * 1000;
  if (liveness.keepaliveDelayMs !== undefined && effectiveProbeSeconds(liveness.keepaliveDelayMs, fallbackSeconds(liveness, limits.osKeepaliveSeconds)) < timeout.seconds) return true;
  if (liveness.idleCapMs !== undefined && liveness.idleCapMs > 0 && liveness.idleCapMs < limitMs) return true;
  if (liveness.heartbeatMs !== undefined && liveness.heartbeatMs > 0 && liveness.heartbeatMs < limitMs) return true;
  return false;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Where a socket without a delay of its own gets it: "the namespace default of 7200s" or the configured pod sysctl. */
export function osKeepaliveText(osKeepaliveSeconds: number): string {
  return osKeepaliveSeconds === NAMESPACE_DEFAULT_KEEPALIVE_S
    ? `the namespace default of ${osKeepaliveSeconds}s`
    : `the pod's net.ipv4.tcp_keepalive_time of ${osKeepaliveSeconds}s (osKeepaliveTimeSeconds)`;
}

/** "(a) keepalive off; (b) no idle cap; (c) no heartbeat": which of the three failed, with values. */
export function describeLiveness(liveness: Liveness, osKeepaliveSeconds: number): string {
  let a: string;
  if (liveness.keepaliveDelayMs === undefined) a = '(a) TCP keepalive is off';
  else if (liveness.keepaliveDelayMs < 1000) {
    a = liveness.keepaliveBeforeOpen
      ? `(a) TCP keepalive is on with a delay of ${liveness.keepaliveDelayMs}ms, enabled before the socket opened, which leaves libuv's ${LIBUV_PRE_OPEN_KEEPALIVE_S}s`
      : `(a) TCP keepalive is on with a delay of ${liveness.keepaliveDelayMs}ms, which leaves ${osKeepaliveText(osKeepaliveSeconds)}`;
  } else a = `(a) TCP keepalive probes after ${seconds(liveness.keepaliveDelayMs)}`;
  const b = liveness.idleCapMs === undefined || liveness.idleCapMs <= 0 ? '(b) idle sockets are never closed' : `(b) idle sockets are closed after ${seconds(liveness.idleCapMs)}`;
  const c = liveness.heartbeatMs === undefined || liveness.heartbeatMs <= 0 ? '(c) no heartbeat' : `(c) a heartbeat every ${seconds(liveness.heartbeatMs)}`;
  return `${a}; ${b}; ${c}`;
}

/** The message tail every code rule shares: the verdict of each part and T with its source. */
export function verdictText(liveness: Liveness, limits: LivenessLimits): string {
  return `${describeLiveness(liveness, limits.osKeepaliveSeconds)} — none of them is within ${describeTimeout(limits.timeout)}`;
}
