/** http.Agent with keepAlive: true and its defaults: pooled sockets probe after keepAliveMsecs = 1000 ms. */
import http from 'node:http';
import { lab } from '../harness.ts';

const agent = new http.Agent({ keepAlive: true });

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
