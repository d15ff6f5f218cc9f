/** An undici Client with connect: { keepAlive: false } and a keepAliveTimeout far above the idle timeout (20 min). */
import { Client } from 'undici';
import { lab } from '../harness.ts';

const client = new Client('http://198.51.100.10:8081', {
  connect: { keepAlive: false },
  keepAliveTimeout: 1_200_000,
});

async function get(): Promise<void> {
  const { body } = await client.request({ path: '/', method: 'GET' });
  await body.text();
}

await lab(get);
