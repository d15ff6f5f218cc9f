/**
 * setKeepAlive(true) with no delay, once connected: SO_KEEPALIVE on and no TCP_KEEPIDLE, so the first
 * probe comes after the pod's net.ipv4.tcp_keepalive_time.
 */
import net from 'node:net';
import { lab } from '../harness.ts';

const socket = net.connect({ host: '198.51.100.10', port: 8080 });
socket.on('connect', () => socket.setKeepAlive(true));

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('ping\n');
  });
}

await lab(echo);
