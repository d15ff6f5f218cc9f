/** setKeepAlive(true, 1000): probes every second of idle, whatever the pod's sysctl. */
import net from 'node:net';
import { lab } from '../harness.ts';

const socket = net.connect({ host: '198.51.100.10', port: 8080 });
socket.setKeepAlive(true, 1000);

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('ping\n');
  });
}

await lab(echo);
