/** Every rule, listed explicitly: the order here is the order of the docs and the README table. */
import keepaliveSysctlMissing from './k8s/keepalive-sysctl-missing.ts';
import keepaliveSysctlTooLong from './k8s/keepalive-sysctl-too-long.ts';
import sysctlInitUnprivileged from './k8s/sysctl-init-unprivileged.ts';
import sysctlRejected from './k8s/sysctl-rejected.ts';
import httpAgentKeepalive from './node/http-agent-keepalive.ts';
import http2Keepalive from './node/http2-keepalive.ts';
import socketKeepalive from './node/socket-keepalive.ts';
import grpcKeepalive from './node/grpc-keepalive.ts';
import websocketHeartbeat from './node/websocket-heartbeat.ts';
import dbClientKeepalive from './node/db-client-keepalive.ts';
import type { Rule } from './rule.ts';

export const RULES: readonly Rule[] = [
  keepaliveSysctlMissing,
  keepaliveSysctlTooLong,
  sysctlInitUnprivileged,
  sysctlRejected,
  httpAgentKeepalive,
  socketKeepalive,
  http2Keepalive,
  grpcKeepalive,
  websocketHeartbeat,
  dbClientKeepalive,
];

export const RULE_IDS: readonly string[] = RULES.map((rule) => rule.id);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
