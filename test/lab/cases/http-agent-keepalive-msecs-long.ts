/** http.Agent with keepAlive: true and keepAliveMsecs above the idle timeout (20 min). */
import http from 'node:http';
import { lab } from '../harness.ts';

const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1_200_000 });

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
