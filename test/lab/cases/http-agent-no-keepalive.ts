/** http.Agent with keepAlive: false: no pooling, every request on a new connection (Connection: close). */
import http from 'node:http';
import { lab } from '../harness.ts';

const agent = new http.Agent({ keepAlive: false });

function get(): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '198.51.100.10', port: 8081, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

await lab(get);
