/** A ws WebSocket client that pings every 30 s, below the idle timeout. */
import WebSocket from 'ws';
import { lab } from '../harness.ts';

const ws = new WebSocket('ws://198.51.100.10:8084');
const heartbeat = setInterval(() => ws.readyState === ws.OPEN && ws.ping(), 30_000);
ws.on('close', () => clearInterval(heartbeat));

// ws handles an error of its socket by closing with 1006 and emits no 'error': keep the socket's own.
let socketError: Error | undefined;
ws.on('upgrade', (res) => res.socket.on('error', (error) => (socketError = error)));

function echo(): Promise<void> {
  return new Promise((resolve, reject) => {
    const send = () => {
      ws.once('message', () => resolve());
      ws.send('ping');
    };
    ws.once('error', reject);
    ws.once('close', (code) => reject(socketError ?? new Error(`closed with ${code}`)));
    if (ws.readyState === ws.OPEN) send();
    else ws.once('open', send);
  });
}

await lab(echo);
