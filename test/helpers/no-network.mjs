// Preloaded (node --import) into a CLI run by test/cli/security.test.ts: every way Node offers to
// reach the network records the attempt in $KEEPALIVE_LINT_NETWORK_LOG and throws. Loaded on every
// thread (the log says which), so worker threads are watched too.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread, threadId } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const log = process.env.KEEPALIVE_LINT_NETWORK_LOG;
const record = (what) => {
  if (log) appendFileSync(log, `attempt ${what} on thread ${threadId}\n`);
  throw new Error(`keepalive-lint tried to use the network: ${what}`);
};
if (log) appendFileSync(log, `watching thread ${threadId}${isMainThread ? ' (main)' : ''}\n`);

const patch = (module, names) => {
  const target = require(module);
  for (const name of names) {
    if (typeof target[name] === 'function') target[name] = () => record(`${module}.${name}`);
  }
};
const net = require('node:net');
net.Socket.prototype.connect = () => record('net.Socket#connect');
patch('node:net', ['connect', 'createConnection']);
patch('node:tls', ['connect']);
patch('node:http', ['request', 'get']);
patch('node:https', ['request', 'get']);
patch('node:http2', ['connect']);
patch('node:dgram', ['createSocket']);
patch('node:dns', ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveSrv', 'resolveTxt']);
require('node:dns').promises.lookup = () => record('dns.promises.lookup');
globalThis.fetch = () => record('fetch');
if (globalThis.WebSocket) globalThis.WebSocket = function () { record('WebSocket'); };
