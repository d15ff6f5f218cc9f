/** http2.connect kept open with session.ping() every 30 s, below the idle timeout. */
import http2 from 'node:http2';
import { lab } from '../harness.ts';

const session = http2.connect('http://198.51.100.10:8082');
setInterval(() => session.ping(() => undefined), 30_000);

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
