/** An undici Client with its defaults: idle sockets closed after keepAliveTimeout = 4 s, TCP keepalive after 60 s. */
import { Client } from 'undici';
import { lab } from '../harness.ts';

const client = new Client('http://198.51.100.10:8081');

async function get(): Promise<void> {
  const { body } = await client.request({ path: '/', method: 'GET' });
  await body.text();
}

await lab(get);
