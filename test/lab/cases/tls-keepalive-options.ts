/** tls.connect with keepAlive/keepAliveInitialDelay options: honoured only from Node 24.15 (nodejs/node#62003). */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { lab } from '../harness.ts';

// Node 20's ConnectionOptions type has no keepAlive (hence the cast); the options are passed as they
// are on every version, and work only where tls.connect reads them.
const socket = tls.connect({
  host: '198.51.100.10',
  port: 8443,
  ca: readFileSync(process.env['LAB_CA'] ?? 'cert.pem'),
  keepAlive: true,
  keepAliveInitialDelay: 1000,
} as tls.ConnectionOptions);

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('ping\n');
  });
}

await lab(echo);
