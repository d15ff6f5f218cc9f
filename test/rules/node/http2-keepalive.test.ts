import rule from '../../../rules/node/http2-keepalive.ts';
import type { CodeVersions } from '../../../rules/node/versions.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

const node = (version: string): CodeVersions => {
  const [major, minor, patch] = version.split('.').map(Number);
  return { node: { version: { major: major!, minor: minor ?? 0, patch: patch ?? 0 }, source: 'engines.node in package.json' }, libraries: new Map() };
};

const TLS_KEEPALIVE_CREATE_CONNECTION = `import http2 from 'http2';
import tls from 'tls';
export const session = http2.connect('https://api:8443', {
  createConnection: () => tls.connect({ host: 'api', port: 8443, ALPNProtocols: ['h2'], keepAlive: true, keepAliveInitialDelay: 30_000 }),
});
`;

ruleTester(rule, {
  valid: [
    // (b) an idle close below T
    {
      name: 'setTimeout below T that closes the session',
      code: `import http2 from 'node:http2';\nexport const session = http2.connect('https://api.internal:8443');\nsession.setTimeout(60_000, () => session.close());\n`,
    },
    {
      name: 'setTimeout plus a timeout listener that destroys the session, const delay',
      code: `import * as http2 from 'http2';\nconst IDLE = 5 * 60 * 1000;\nconst session = http2.connect('https://api:8443');\nsession.setTimeout(IDLE);\nsession.on('timeout', () => session.destroy());\n`,
    },
    {
      name: 'a long idle close under a long T (iptables)',
      code: `import http2 from 'http2';\nexport const session = http2.connect('https://api:8443');\nsession.setTimeout(3_600_000, () => session.close());\n`,
      config: { middleboxes: ['iptables'] },
    },
    {
      name: 'setTimeout chained on the creation',
      code: `import http2 from 'http2';\nexport const session = http2.connect('https://api:8443').on('error', console.error);\nsession.setTimeout(60_000, () => session.close());\n`,
    },
    {
      name: 'a function handler that closes this, in a .js file',
      code: `const http2 = require('node:http2');\nconst s2 = http2.connect('https://api:8443', () => {});\ns2.setTimeout(10000, function () {\n  this.close();\n});\nmodule.exports = { s2 };\n`,
      path: '/project/src/client.js',
    },
    // (c) a PING interval below T
    {
      name: 'session.ping on an interval below T',
      code: `import * as http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nconst timer = setInterval(() => session.ping(() => {}), 30 * 1000);\nsession.on('close', () => clearInterval(timer));\n`,
    },
    {
      name: 'a ping function declared in the file, require with destructuring',
      code: `const { connect } = require('http2');\nconst session = connect('https://api:8443');\nfunction keepWarm() {\n  session.ping((err) => err && console.error(err));\n}\nsetInterval(keepWarm, 60_000).unref();\n`,
    },
    {
      name: 'a ping on a field from a class',
      code: `import http2 from 'http2';\nexport class Api {\n  session = http2.connect('https://api:8443');\n  timer = setInterval(() => this.session.ping(() => {}), 60_000);\n}\n`,
    },
    // (a) a createConnection that enables keepalive
    {
      name: 'createConnection that calls setKeepAlive',
      code: `import http2 from 'http2';\nimport tls from 'tls';\nexport const session = http2.connect('https://api:8443', {\n  createConnection: (url) => {\n    const socket = tls.connect({ host: 'api', port: 8443, ALPNProtocols: ['h2'] });\n    socket.setKeepAlive(true, 30_000);\n    return socket;\n  },\n});\n`,
    },
    {
      name: 'createConnection method with net keepAlive options',
      code: `import http2 from 'http2';\nimport net from 'net';\nexport const session = http2.connect('http://api:8080', {\n  createConnection() {\n    return net.connect({ host: 'api', port: 8080, keepAlive: true, keepAliveInitialDelay: 30_000 });\n  },\n});\n`,
    },
    { name: 'createConnection with tls keepAlive options on Node 24.15', code: TLS_KEEPALIVE_CREATE_CONNECTION, versions: node('24.15.0') },
    // no NAT on the way
    { name: 'a loopback authority', code: `import http2 from 'http2';\nexport const session = http2.connect('http://localhost:8080');\n` },
    { name: 'an IPv6 loopback authority', code: `import http2 from 'http2';\nexport const session = http2.connect('http://[::1]:8080');\n` },
    // short-lived
    {
      name: 'closed when the response ends, in the creating function',
      code: `import http2 from 'http2';\nexport function get(path: string) {\n  const client = http2.connect('https://api:8443');\n  const req = client.request({ ':path': path });\n  req.on('end', () => client.close());\n  req.end();\n}\n`,
    },
    {
      name: 'closed in a finally block',
      code: `import http2 from 'http2';\nexport async function once() {\n  const client = http2.connect('https://api:8443');\n  try {\n    await send(client);\n  } finally {\n    client.close();\n  }\n}\n`,
    },
    { name: 'not stored: discarded', code: `import http2 from 'http2';\nhttp2.connect('https://api:8443').on('error', console.error);\n` },
    // cannot know: silent
    { name: 'spread options', code: `import http2 from 'http2';\nimport { base } from './opts';\nexport const session = http2.connect('https://api:8443', { ...base });\n` },
    { name: 'options from a parameter', code: `import http2 from 'http2';\nexport function open(o: http2.ClientSessionOptions) {\n  return http2.connect('https://api:8443', o);\n}\n` },
    {
      name: 'createConnection from an import',
      code: `import http2 from 'http2';\nimport { dial } from './dial';\nexport const session = http2.connect('https://api:8443', { createConnection: dial });\n`,
    },
    {
      name: 'createConnection that delegates to an unknown function',
      code: `import http2 from 'http2';\nimport { dial } from './dial';\nexport const session = http2.connect('https://api:8443', { createConnection: (url) => dial(url) });\n`,
    },
    {
      name: 'an idle handler imported from elsewhere',
      code: `import http2 from 'http2';\nimport { onIdle } from './idle';\nexport const session = http2.connect('https://api:8443');\nsession.setTimeout(60_000, onIdle);\n`,
    },
    {
      name: 'a ping interval from configuration',
      code: `import http2 from 'http2';\nimport { PING_MS } from './config';\nexport const session = http2.connect('https://api:8443');\nsetInterval(() => session.ping(() => {}), PING_MS);\n`,
    },
    { name: 'a different connect', code: `import { connect } from './h2';\nexport const session = connect('https://api:8443');\n` },
    {
      name: 'suppressed on the line',
      code: `import http2 from 'http2';\n// keepalive-lint-disable-next-line node/http2-keepalive\nexport const session = http2.connect('https://api:8443');\n`,
    },
    { name: 'suppressed in the file', code: `/* keepalive-lint-disable-file */\nimport http2 from 'http2';\nexport const session = http2.connect('https://api:8443');\n` },
  ],
  invalid: [
    {
      name: 'a module-scope session with nothing: default import with node: prefix',
      code: `import http2 from 'node:http2';\nexport const session = http2.connect('https://api.internal:8443');\n`,
      errors: [
        {
          messageId: 'unsafe',
          line: 2,
          column: 24,
          endLine: 2,
          endColumn: 37,
          messageIncludes: ['node:http2 connect()', 'stored in `session` at module scope', '(a) TCP keepalive is off', '(b) idle sockets are never closed', '(c) no heartbeat', 'T=900s', 'session.setTimeout(30_000, () => session.close())'],
        },
      ],
      output: `import http2 from 'node:http2';\nexport const session = http2.connect('https://api.internal:8443');\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'a field assigned in a method, named import with an alias',
      code: `import { connect as h2connect } from 'http2';\nexport class Api {\n  private session: any;\n  start(): void {\n    this.session = h2connect('https://api:8443');\n    this.session.on('error', () => this.session.destroy());\n  }\n}\n`,
      errors: [{ messageId: 'unsafe', line: 5, column: 20, endColumn: 29, messageIncludes: ['stored in the field `session`'] }],
      output: `import { connect as h2connect } from 'http2';\nexport class Api {\n  private session: any;\n  start(): void {\n    this.session = h2connect('https://api:8443');\n    this.session.setTimeout(30_000, () => this.session.close());\n    this.session.on('error', () => this.session.destroy());\n  }\n}\n`,
    },
    {
      name: 'a setTimeout handler that does not close: no automatic fix',
      code: `import http2 from 'http2';\nexport const session = http2.connect('https://api:8443');\nsession.setTimeout(60_000, () => console.warn('idle'));\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 24, messageIncludes: ['(b) idle sockets are never closed'] }],
      output: null,
    },
    {
      name: 'an idle close above T is shortened',
      code: `import http2 from 'http2';\nexport const session = http2.connect('https://api:8443');\nsession.setTimeout(30 * 60_000, () => session.close());\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 24, messageIncludes: ['(b) idle sockets are closed after 1800s'] }],
      output: `import http2 from 'http2';\nexport const session = http2.connect('https://api:8443');\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'a ping interval above T',
      code: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nsetInterval(() => session.ping(() => {}), 20 * 60_000);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 17, messageIncludes: ['(c) a heartbeat every 1200s'] }],
      output: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nsession.setTimeout(30_000, () => session.close());\nsetInterval(() => session.ping(() => {}), 20 * 60_000);\n`,
    },
    {
      name: 'a createConnection that never enables keepalive',
      code: `import http2 from 'http2';\nimport net from 'net';\nconst session = http2.connect('http://api:8080', { createConnection: () => net.connect(8080, 'api') });\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 17, messageIncludes: ['(a) TCP keepalive is off'] }],
      output: `import http2 from 'http2';\nimport net from 'net';\nconst session = http2.connect('http://api:8080', { createConnection: () => net.connect(8080, 'api') });\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'a createConnection whose tls keepAlive options an unknown Node version ignores',
      code: TLS_KEEPALIVE_CREATE_CONNECTION,
      errors: [{ messageId: 'unsafe', line: 3, column: 24, messageIncludes: ['(a) TCP keepalive is off'] }],
      output: `${TLS_KEEPALIVE_CREATE_CONNECTION.slice(0, -1)}\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'a createConnection with setKeepAlive(true) and no delay',
      code: `import http2 from 'http2';\nimport tls from 'tls';\nconst session = http2.connect('https://api:8443', {\n  createConnection: () => tls.connect(8443, 'api').setKeepAlive(true),\n});\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 17, messageIncludes: ['(a) TCP keepalive is on with a delay of 0ms'] }],
      output: `import http2 from 'http2';\nimport tls from 'tls';\nconst session = http2.connect('https://api:8443', {\n  createConnection: () => tls.connect(8443, 'api').setKeepAlive(true),\n});\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'dynamic import with destructuring',
      code: `const { connect } = await import('node:http2');\nexport const session = connect('https://api:8443');\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 24, endColumn: 31 }],
      output: `const { connect } = await import('node:http2');\nexport const session = connect('https://api:8443');\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'import = require, in a function, no semicolons',
      code: `import h2 = require('http2')\nexport function start(url: string) {\n  const session = h2.connect(url)\n  session.on('goaway', () => session.close())\n  return session\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 19, endColumn: 29, messageIncludes: ['stored in `session`'] }],
      output: `import h2 = require('http2')\nexport function start(url: string) {\n  const session = h2.connect(url)\n  session.setTimeout(30_000, () => session.close())\n  session.on('goaway', () => session.close())\n  return session\n}\n`,
    },
    {
      name: 'a field assigned inside an if block of a .js class',
      code: `const http2 = require('http2');\nclass Pool {\n  get() {\n    if (!this.session || this.session.closed) {\n      this.session = http2.connect(this.url);\n      this.session.on('error', () => {});\n    }\n    return this.session;\n  }\n}\nmodule.exports = { Pool };\n`,
      path: '/project/src/pool.js',
      errors: [{ messageId: 'unsafe', line: 5, column: 22 }],
      output: `const http2 = require('http2');\nclass Pool {\n  get() {\n    if (!this.session || this.session.closed) {\n      this.session = http2.connect(this.url);\n      this.session.setTimeout(30_000, () => this.session.close());\n      this.session.on('error', () => {});\n    }\n    return this.session;\n  }\n}\nmodule.exports = { Pool };\n`,
    },
    {
      name: 'returned directly: no statement to insert after',
      code: `import http2 from 'http2';\nexport function open() {\n  return http2.connect('https://api:8443');\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 10, messageIncludes: ['returned to the caller'] }],
      output: null,
    },
    {
      name: 'closed only on SIGTERM: still long-lived',
      code: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nprocess.once('SIGTERM', () => session.close());\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 17 }],
      output: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nsession.setTimeout(30_000, () => session.close());\nprocess.once('SIGTERM', () => session.close());\n`,
    },
    {
      name: 'a tighter T from the config makes a 5-minute idle close unsafe',
      code: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nsession.setTimeout(300_000, () => session.close());\n`,
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'unsafe', line: 2, column: 17, messageIncludes: ['T=240s', 'closed after 300s'] }],
      output: `import http2 from 'http2';\nconst session = http2.connect('https://api:8443');\nsession.setTimeout(30_000, () => session.close());\n`,
    },
    {
      name: 'the URL object authority is another machine',
      code: `import http2 from 'http2';\nconst session = http2.connect(new URL(process.env.API_URL!));\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 17 }],
      output: `import http2 from 'http2';\nconst session = http2.connect(new URL(process.env.API_URL!));\nsession.setTimeout(30_000, () => session.close());\n`,
    },
  ],
});
