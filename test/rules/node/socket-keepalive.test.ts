import rule from '../../../rules/node/socket-keepalive.ts';
import type { CodeVersions } from '../../../rules/node/versions.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

const node = (version: string, source = 'engines.node in package.json'): CodeVersions => {
  const [major, minor, patch] = version.split('.').map(Number);
  return { node: { version: { major: major!, minor: minor ?? 0, patch: patch ?? 0 }, source }, libraries: new Map() };
};

ruleTester(rule, {
  valid: [
    // (a) keepalive below T, in every form
    {
      name: 'net.connect options with keepAlive and a delay below T',
      code: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'setKeepAlive later in the same scope, delay folded from 30 * 1000',
      code: `const net = require('net');\nconst socket = net.createConnection(6379, 'redis');\nsocket.setKeepAlive(true, 30 * 1000);\n`,
    },
    {
      name: 'setKeepAlive in a connect listener',
      code: `import { connect } from 'net';\nconst socket = connect({ host: 'db', port: 5432 });\nsocket.on('connect', () => socket.setKeepAlive(true, 30_000));\n`,
    },
    {
      name: 'setKeepAlive chained on the creation, delay from a same-file const',
      code: `import * as net from 'net';\nconst DELAY = 60_000;\nexport const s = net.connect({ host: 'db', port: 5432 }).setKeepAlive(true, DELAY);\n`,
    },
    {
      name: 'this.setKeepAlive in a function connect listener',
      code: `import net from 'net';\nconst s = net.connect(5432, 'db', function () {\n  this.setKeepAlive(true, 10_000);\n});\n`,
    },
    {
      name: 'new net.Socket with keepAlive constructor options',
      code: `import { Socket } from 'net';\nconst s = new Socket({ keepAlive: true, keepAliveInitialDelay: 10_000 });\ns.connect(6379, 'redis');\n`,
    },
    {
      name: 'a socket in a class field gets setKeepAlive in the constructor',
      code: `import net from 'net';\nclass Conn {\n  socket: net.Socket;\n  constructor() {\n    this.socket = new net.Socket();\n    this.socket.setKeepAlive(true, 30_000);\n    this.socket.connect(6379, 'redis');\n  }\n}\n`,
    },
    {
      name: 'tls.connect with setKeepAlive works on every Node',
      code: `import tls from 'tls';\nexport const socket = tls.connect({ host: 'broker', port: 8883 });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'tls.connect keepAlive options on Node 24.15',
      code: `import tls from 'node:tls';\nexport const socket = tls.connect({ host: 'broker', port: 8883, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
      versions: node('24.15.0'),
    },
    {
      name: 'net options on Node 16.15',
      code: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
      versions: node('16.15.0', '.nvmrc'),
    },
    {
      name: 'setKeepAlive(true) once connected, when the pods set tcp_keepalive_time below T (osKeepaliveTimeSeconds)',
      code: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.on('connect', () => socket.setKeepAlive(true));\n`,
      config: { osKeepaliveTimeSeconds: 60 },
    },
    {
      name: "setKeepAlive(true) right after net.connect(): libuv opens the socket with a 60 s delay (NAT lab)",
      code: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.setKeepAlive(true);\n`,
    },
    {
      name: "setKeepAlive(true, 0) chained on tls.connect: libuv's 60 s",
      code: `import tls from 'tls';\nexport const socket = tls.connect(8883, 'broker', { servername: 'broker' }).setKeepAlive(true, 0);\n`,
    },
    {
      name: "new Socket: connect() then setKeepAlive(true) in the same run: libuv's 60 s",
      code: `import { Socket } from 'net';\nexport function open() {\n  const s = new Socket();\n  s.connect(6379, 'redis');\n  s.setKeepAlive(true);\n  return s;\n}\n`,
    },
    {
      name: 'keepAlive: true without a delay, pod sysctl below a tight T',
      code: `import net from 'net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true });\n`,
      config: { idleTimeoutSeconds: 8, keepalive: { time: 2 }, osKeepaliveTimeSeconds: 2 },
    },
    {
      name: 'a long delay is fine under a long T (iptables)',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 3_600_000);\n`,
      config: { middleboxes: ['iptables'] },
    },
    // (b) an idle cap that ends the socket
    {
      name: 'setTimeout below T whose handler destroys the socket',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setTimeout(60_000, () => socket.destroy());\n`,
    },
    {
      name: 'setTimeout plus a timeout listener that ends the socket',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setTimeout(60_000);\nsocket.on('timeout', () => socket.end());\n`,
    },
    {
      name: 'the timeout option plus a timeout listener',
      code: `import net from 'net';\nconst socket = net.connect({ host: 'nats', port: 4222, timeout: 120_000 });\nsocket.once('timeout', socket.destroy.bind(socket));\n`,
    },
    {
      name: 'a timeout handler declared as a function in the file',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nfunction onIdle() {\n  socket.end();\n}\nsocket.setTimeout(60_000, onIdle);\n`,
    },
    // (c) an application heartbeat
    {
      name: 'a write on an interval below T',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsetInterval(() => socket.write('PING\\r\\n'), 60_000);\n`,
    },
    // no NAT on the way
    { name: 'Unix socket through the path option', code: `import net from 'net';\nconst s = net.connect({ path: '/var/run/app.sock' });\n` },
    { name: 'Unix socket through a string first argument', code: `import net from 'net';\nconst s = net.createConnection('/tmp/app.sock');\n` },
    { name: 'loopback IPv4 host', code: `import net from 'net';\nconst s = net.connect(6379, '127.0.0.1');\n` },
    { name: 'localhost in options', code: `import net from 'net';\nconst s = net.connect({ host: 'localhost', port: 6379 });\n` },
    { name: 'IPv6 loopback for tls', code: `import tls from 'tls';\nconst s = tls.connect(8443, '::1');\n` },
    { name: 'a port alone connects to localhost', code: `import net from 'net';\nconst s = net.connect(6379);\n` },
    { name: 'new net.Socket connected to loopback', code: `import net from 'net';\nconst s = new net.Socket();\ns.connect(6379, 'localhost');\n` },
    // short-lived: one exchange
    {
      name: 'ended in a data handler of the creating function',
      code: `import net from 'net';\nexport function ping(host: string) {\n  const socket = net.connect(7, host);\n  socket.on('data', () => socket.end());\n  socket.write('hi');\n}\n`,
    },
    {
      name: 'destroyed in the connect listener inside a promise executor',
      code: `import net from 'net';\nexport function probe(host: string, port: number) {\n  return new Promise((resolve, reject) => {\n    const socket = net.connect({ host, port }, () => {\n      socket.destroy();\n      resolve(true);\n    });\n    socket.on('error', reject);\n  });\n}\n`,
    },
    {
      name: 'a one-shot script at module scope',
      code: `import net from 'net';\nconst socket = net.connect(25, 'smtp');\nsocket.write('QUIT\\r\\n');\nsocket.end();\n`,
    },
    { name: 'not stored: discarded', code: `import net from 'net';\nnet.connect(9, 'discard').end('x');\n` },
    // cannot know: silent
    { name: 'spread options', code: `import net from 'net';\nexport function open(o: object) {\n  const s = net.connect({ ...o, host: 'api' });\n  return s;\n}\n` },
    { name: 'options from a parameter', code: `import net from 'net';\nexport function open(o: net.NetConnectOpts) {\n  return net.connect(o);\n}\n` },
    {
      name: 'delay from an import',
      code: `import net from 'net';\nimport { DELAY } from './config';\nconst s = net.connect(6379, 'redis');\ns.setKeepAlive(true, DELAY);\n`,
    },
    {
      name: 'delay from a call',
      code: `import net from 'net';\nimport ms from 'ms';\nconst s = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: ms('30s') });\n`,
    },
    { name: 'keepAlive from the environment', code: `import net from 'net';\nconst s = net.connect({ host: 'redis', port: 6379, keepAlive: process.env.KA === '1' });\n` },
    {
      name: 'an idle handler imported from elsewhere',
      code: `import net from 'net';\nimport { onIdle } from './idle';\nconst s = net.connect(6379, 'redis');\ns.setTimeout(60_000, onIdle);\n`,
    },
    { name: 'tls over an existing socket', code: `import tls from 'tls';\nimport { raw } from './raw';\nexport const s = tls.connect({ socket: raw, host: 'api', servername: 'api' });\n` },
    { name: 'tls.connect(port, x): x may be a host or options', code: `import tls from 'tls';\nimport { settings } from './cfg';\nexport const s = tls.connect(8883, settings);\n` },
    { name: 'a Socket wrapping a file descriptor', code: `import net from 'net';\nconst s = new net.Socket({ fd: 3 });\n` },
    { name: 'a path or options from a variable', code: `import net from 'net';\nimport { target } from './cfg';\nconst s = net.connect(target);\n` },
    { name: 'a different connect', code: `import { connect } from './db';\nconst c = connect({ host: 'db', port: 5432 });\n` },
    {
      name: 'suppressed on the line',
      code: `import net from 'net';\n// keepalive-lint-disable-next-line node/socket-keepalive\nconst s = net.connect(6379, 'redis');\n`,
    },
    { name: 'suppressed in the file', code: `/* keepalive-lint-disable-file */\nimport net from 'net';\nconst s = net.connect(6379, 'redis');\n` },
  ],
  invalid: [
    {
      name: 'ESM default import with node: prefix, options literal without keepalive',
      code: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379 });\n`,
      errors: [
        {
          messageId: 'unsafe',
          line: 2,
          column: 23,
          endLine: 2,
          endColumn: 34,
          messageIncludes: ['node:net connect()', 'stored in `socket` at module scope', '(a) TCP keepalive is off', '(b) idle sockets are never closed', '(c) no heartbeat', 'T=900s'],
        },
      ],
      output: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'require with destructuring, port and host: setKeepAlive on the next line',
      code: `const { createConnection } = require('net');\nconst conn = createConnection(5432, 'postgres.db.svc');\nconn.write('hello');\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14, endColumn: 30, messageIncludes: ['node:net createConnection()', 'conn.setKeepAlive(true, 30_000)'] }],
      output: `const { createConnection } = require('net');\nconst conn = createConnection(5432, 'postgres.db.svc');\nconn.setKeepAlive(true, 30_000);\nconn.write('hello');\n`,
    },
    {
      name: 'named import with an alias',
      code: `import { connect as dial } from 'net';\nlet link;\nlink = dial(1883, 'mqtt');\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 8, endColumn: 12 }],
      output: `import { connect as dial } from 'net';\nlet link;\nlink = dial(1883, 'mqtt');\nlink.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'setKeepAlive(true) without a delay once connected: reported at the call',
      code: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.on('connect', () => socket.setKeepAlive(true));\n`,
      errors: [{ messageId: 'setKeepAliveDelay', line: 3, column: 28, endColumn: 47, messageIncludes: ['socket.setKeepAlive(true)', 'no initial delay', 'namespace default of 7200s', 'node:net connect()'] }],
      output: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.on('connect', () => socket.setKeepAlive(true, 30_000));\n`,
    },
    {
      name: "setKeepAlive(true) right after net.connect(): libuv's 60 s, not below a 60 s T",
      code: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.setKeepAlive(true);\n`,
      config: { idleTimeoutSeconds: 60, keepalive: { time: 30 } },
      errors: [{ messageId: 'setKeepAliveDelay', line: 3, column: 1, endColumn: 20, messageIncludes: ["only libuv's 60s for keepalive enabled before the socket opened applies", 'enabled before the socket opened', 'T=60s'] }],
      output: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'setKeepAlive(true) after an await: the socket may already be open, so the pod default is assumed',
      code: `import net from 'net';\nexport async function open(ready: Promise<void>) {\n  const socket = net.connect(4222, 'nats');\n  await ready;\n  socket.setKeepAlive(true);\n  return socket;\n}\n`,
      errors: [{ messageId: 'setKeepAliveDelay', line: 5, column: 3, endColumn: 22, messageIncludes: ['namespace default of 7200s'] }],
      output: `import net from 'net';\nexport async function open(ready: Promise<void>) {\n  const socket = net.connect(4222, 'nats');\n  await ready;\n  socket.setKeepAlive(true, 30_000);\n  return socket;\n}\n`,
    },
    {
      name: 'setKeepAlive(true, 0) in a connect listener on a field, import = require',
      code: `import net = require('net');\nclass Client {\n  private socket?: net.Socket;\n  open(): void {\n    this.socket = net.connect({ host: 'api', port: 9000 });\n    this.socket.on('connect', () => this.socket!.setKeepAlive(true, 0));\n  }\n}\n`,
      errors: [{ messageId: 'setKeepAliveDelay', line: 6, column: 37, endColumn: 62, messageIncludes: ['setKeepAlive(true, 0)', 'namespace default of 7200s'] }],
      output: `import net = require('net');\nclass Client {\n  private socket?: net.Socket;\n  open(): void {\n    this.socket = net.connect({ host: 'api', port: 9000 });\n    this.socket.on('connect', () => this.socket!.setKeepAlive(true, 30_000));\n  }\n}\n`,
    },
    {
      name: 'setKeepAlive(true) once connected when the pods set tcp_keepalive_time, but not below T',
      code: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.on('connect', () => socket.setKeepAlive(true));\n`,
      config: { osKeepaliveTimeSeconds: 900 },
      errors: [{ messageId: 'setKeepAliveDelay', line: 3, column: 28, endColumn: 47, messageIncludes: ["only the pod's net.ipv4.tcp_keepalive_time of 900s (osKeepaliveTimeSeconds) applies", 'T=900s'] }],
      output: `import * as net from 'net';\nconst socket = net.connect({ host: 'mq', port: 5672 });\nsocket.on('connect', () => socket.setKeepAlive(true, 30_000));\n`,
    },
    {
      name: 'the pod sysctl does not help a socket that never enables keepalive',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\n`,
      config: { osKeepaliveTimeSeconds: 60 },
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(a) TCP keepalive is off'] }],
      output: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'a delay under one second on a returned new Socket',
      code: `import { Socket } from 'node:net';\nexport function open(host: string) {\n  const socket = new Socket();\n  socket.setKeepAlive(true, 500);\n  socket.connect(443, host);\n  return socket;\n}\n`,
      errors: [{ messageId: 'setKeepAliveDelay', line: 4, column: 3, endColumn: 22, messageIncludes: ['delay of 500ms', 'node:net Socket'] }],
      output: `import { Socket } from 'node:net';\nexport function open(host: string) {\n  const socket = new Socket();\n  socket.setKeepAlive(true, 30_000);\n  socket.connect(443, host);\n  return socket;\n}\n`,
    },
    {
      name: 'a delay equal to T',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 15 * 60 * 1000);\n`,
      errors: [{ messageId: 'setKeepAliveDelay', line: 3, column: 1, messageIncludes: ['probes only after 900s', '(a) TCP keepalive probes after 900s'] }],
      output: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'net.Socket called without new, connected later',
      code: `const net = require('node:net');\nconst socket = net.Socket();\nsocket.connect({ host: 'cache', port: 11211 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, endColumn: 26, messageIncludes: ['node:net Socket'] }],
      output: `const net = require('node:net');\nconst socket = net.Socket();\nsocket.setKeepAlive(true, 30_000);\nsocket.connect({ host: 'cache', port: 11211 });\n`,
    },
    {
      name: 'new (require("net").Socket)() with constructor options',
      code: `const socket = new (require('net').Socket)({ allowHalfOpen: true });\nsocket.connect(6379, 'redis');\n`,
      errors: [{ messageId: 'unsafe', line: 1, column: 16, endColumn: 43 }],
      output: `const socket = new (require('net').Socket)({ allowHalfOpen: true, keepAlive: true, keepAliveInitialDelay: 30_000 });\nsocket.connect(6379, 'redis');\n`,
    },
    {
      name: 'keepAlive: true without keepAliveInitialDelay, multiline options',
      code: `import net from 'net';\nconst socket = net.connect({\n  host: 'redis',\n  port: 6379,\n  keepAlive: true,\n});\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['delay of 0ms', '7200s'] }],
      output: `import net from 'net';\nconst socket = net.connect({\n  host: 'redis',\n  port: 6379,\n  keepAlive: true,\n  keepAliveInitialDelay: 30_000,\n});\n`,
    },
    {
      name: 'keepAlive: false and a long delay are both replaced',
      code: `import net from 'net';\nconst socket = net.connect({ host: 'redis', port: 6379, keepAlive: false, keepAliveInitialDelay: 3_600_000 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(a) TCP keepalive is off'] }],
      output: `import net from 'net';\nconst socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'tls.connect keepAlive options on an unknown Node version are ignored',
      code: `import tls from 'node:tls';\nconst socket = tls.connect({ host: 'broker', port: 8883, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
      errors: [{ messageId: 'optionsIgnored', line: 2, column: 16, endColumn: 27, messageIncludes: ['node:tls connect()', 'before Node 24.15', 'unknown Node version', '(a) TCP keepalive is off'] }],
      output: `import tls from 'node:tls';\nconst socket = tls.connect({ host: 'broker', port: 8883, keepAlive: true, keepAliveInitialDelay: 30_000 });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'tls.connect keepAlive options on Node 20.11 (dynamic import), port/host/options form',
      code: `const tls = await import('node:tls');\nexport const socket = tls.connect(8883, 'broker', { keepAlive: true, keepAliveInitialDelay: 10_000 });\n`,
      versions: node('20.11.1'),
      errors: [{ messageId: 'optionsIgnored', line: 2, column: 23, messageIncludes: ['Node 20.11.1 (from engines.node in package.json)'] }],
      output: `const tls = await import('node:tls');\nexport const socket = tls.connect(8883, 'broker', { keepAlive: true, keepAliveInitialDelay: 10_000 });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'tls.connect without keepalive on an old Node: setKeepAlive on the next line',
      code: `import { connect } from 'tls';\nexport const socket = connect({ host: 'broker', port: 8883, servername: 'broker' });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 23, endColumn: 30, messageIncludes: ['node:tls connect()'] }],
      output: `import { connect } from 'tls';\nexport const socket = connect({ host: 'broker', port: 8883, servername: 'broker' });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'tls.connect without keepalive on Node 24.15: the options take effect',
      code: `import { connect } from 'tls';\nexport const socket = connect({ host: 'broker', port: 8883, servername: 'broker' });\n`,
      versions: node('24.15.0'),
      errors: [{ messageId: 'unsafe', line: 2, column: 23 }],
      output: `import { connect } from 'tls';\nexport const socket = connect({ host: 'broker', port: 8883, servername: 'broker', keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'net keepAlive options on Node 16.4 are ignored',
      code: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
      versions: node('16.4.0', '.nvmrc'),
      errors: [{ messageId: 'optionsIgnored', line: 2, column: 23, messageIncludes: ['before Node 16.15', 'Node 16.4.0 (from .nvmrc)'] }],
      output: `import net from 'node:net';\nexport const socket = net.connect({ host: 'redis', port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'returned from an arrow function',
      code: `import { createConnection } from 'node:net';\nexport const connectTo = (host: string) => createConnection({ host, port: 6379 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 44, messageIncludes: ['returned to the caller'] }],
      output: `import { createConnection } from 'node:net';\nexport const connectTo = (host: string) => createConnection({ host, port: 6379, keepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'a timeout handler that only logs is no idle cap',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setTimeout(60_000, () => console.log('idle'));\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(b) idle sockets are never closed'] }],
      output: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setKeepAlive(true, 30_000);\nsocket.setTimeout(60_000, () => console.log('idle'));\n`,
    },
    {
      name: 'an idle cap above T',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setTimeout(20 * 60_000, () => socket.destroy());\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(b) idle sockets are closed after 1200s'] }],
      output: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setKeepAlive(true, 30_000);\nsocket.setTimeout(20 * 60_000, () => socket.destroy());\n`,
    },
    {
      name: 'a heartbeat slower than T',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsetInterval(() => socket.write('PING\\r\\n'), 3_600_000);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(c) a heartbeat every 3600s'] }],
      output: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 30_000);\nsetInterval(() => socket.write('PING\\r\\n'), 3_600_000);\n`,
    },
    {
      name: 'ended only on SIGTERM: still long-lived',
      code: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nprocess.on('SIGTERM', () => socket.end());\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16 }],
      output: `import net from 'net';\nconst socket = net.connect(4222, 'nats');\nsocket.setKeepAlive(true, 30_000);\nprocess.on('SIGTERM', () => socket.end());\n`,
    },
    {
      name: 'destroyed only on error inside a function: still long-lived',
      code: `import net from 'net';\nexport function start(host: string) {\n  const socket = net.connect(5672, host);\n  socket.on('error', () => socket.destroy());\n  socket.on('data', (d) => console.log(d));\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 18, messageIncludes: ['stored in `socket`'] }],
      output: `import net from 'net';\nexport function start(host: string) {\n  const socket = net.connect(5672, host);\n  socket.setKeepAlive(true, 30_000);\n  socket.on('error', () => socket.destroy());\n  socket.on('data', (d) => console.log(d));\n}\n`,
    },
    {
      name: 'a chained listener, double quotes and no semicolons',
      code: `const net = require("net")\nconst socket = net.connect(6379, "redis").on("error", console.error)\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16 }],
      output: `const net = require("net")\nconst socket = net.connect(6379, "redis").on("error", console.error)\nsocket.setKeepAlive(true, 30_000)\n`,
    },
    {
      name: 'a class property initializer: no statement to insert after',
      code: `import net from 'net';\nexport class Cache {\n  private socket = net.connect(6379, 'redis');\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 20, messageIncludes: ['stored in the field `socket`'] }],
      output: null,
    },
    {
      name: 'a tighter T from the config makes a 5-minute delay unsafe',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 300_000);\n`,
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'setKeepAliveDelay', line: 3, column: 1, messageIncludes: ['T=240s', 'below 240s'] }],
      output: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'the configured fix delay is written',
      code: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\n`,
      config: { clientKeepaliveDelayMs: 10000 },
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['socket.setKeepAlive(true, 10_000)'] }],
      output: `import net from 'net';\nconst socket = net.connect(6379, 'redis');\nsocket.setKeepAlive(true, 10_000);\n`,
    },
    {
      name: 'a conditional creation: a Unix path in one branch, a remote host in the other',
      code: `import net from 'net';\nexport function open(o: { host: string; port: number }) {\n  const stream = o.host.startsWith('/') ? net.createConnection(o.host) : net.createConnection(o.port, o.host);\n  return stream;\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 74, endColumn: 94 }],
      output: `import net from 'net';\nexport function open(o: { host: string; port: number }) {\n  const stream = o.host.startsWith('/') ? net.createConnection(o.host) : net.createConnection(o.port, o.host);\n  stream.setKeepAlive(true, 30_000);\n  return stream;\n}\n`,
    },
    {
      name: 'tls.connect(port, host) with the host from the environment',
      code: `import tls from 'tls';\nexport const socket = tls.connect(8883, process.env.BROKER_HOST);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 23 }],
      output: `import tls from 'tls';\nexport const socket = tls.connect(8883, process.env.BROKER_HOST);\nsocket.setKeepAlive(true, 30_000);\n`,
    },
    {
      name: 'a Socket alias from require destructuring, one finding per client',
      code: `const { Socket: RawSocket } = require('net');\nexport const a = new RawSocket();\nexport const b = new RawSocket();\na.connect(1, 'x');\nb.connect(2, 'y');\n`,
      errors: [
        { messageId: 'unsafe', line: 2, column: 18, endColumn: 31 },
        { messageId: 'unsafe', line: 3, column: 18, endColumn: 31 },
      ],
      output: `const { Socket: RawSocket } = require('net');\nexport const a = new RawSocket();\na.setKeepAlive(true, 30_000);\nexport const b = new RawSocket();\nb.setKeepAlive(true, 30_000);\na.connect(1, 'x');\nb.connect(2, 'y');\n`,
    },
  ],
});
