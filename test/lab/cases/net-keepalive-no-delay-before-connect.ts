/**
 * setKeepAlive(true) with no delay, right after net.connect(): the socket has no file descriptor yet,
 * so libuv only notes the flag and enables keepalive with its own 60 s delay when the socket opens
 * (uv__stream_open); Node's re-apply after connect with delay 0 changes nothing on Linux.
 */
import net from 'node:net';
import { lab } from '../harness.ts';

const socket = net.connect({ host: '198.51.100.10', port: 8080 });
socket.setKeepAlive(true);

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('data', () => resolve());
    socket.once('error', reject);
    socket.write('ping\n');
  });
}

await lab(echo);
