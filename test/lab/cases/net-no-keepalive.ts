/** A raw node:net socket kept open with no keepalive at all: the original incident. */
import net from 'node:net';
import { lab } from '../harness.ts';

const socket = net.connect({ host: '198.51.100.10', port: 8080 });

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('ping\n');
  });
}

await lab(echo);
