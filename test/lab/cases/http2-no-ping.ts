/** http2.connect kept open: no TCP keepalive, no idle close, no automatic PING. */
import http2 from 'node:http2';
import { lab } from '../harness.ts';

const session = http2.connect('http://198.51.100.10:8082');

function get(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': '/' });
    req.on('error', reject);
    req.on('end', () => resolve());
    req.resume();
    req.end();
  });
}

await lab(get);
