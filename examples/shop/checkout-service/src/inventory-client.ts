import { Pool } from 'undici';

// undici's defaults are safe: idle sockets close after 4 s and TCP keepalive starts after 60 s.
export const inventory = new Pool('http://inventory.shop:8080', { connections: 10 });
