import net from 'node:net';

// A long-lived connection to Redis (redis.shop:6379). Already fixed: TCP keepalive probes the idle
// connection after 30 s, well inside kube-proxy's 900 s, so the IPVS entry never expires.
export const redis = net.connect({ host: 'redis.shop', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });

export function ping(): void {
  redis.write('PING\r\n');
}
