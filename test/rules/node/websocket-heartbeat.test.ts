import rule from '../../../rules/node/websocket-heartbeat.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { versions } from '../../helpers/versions.ts';


/** The two lines the fix inserts for a client stored as `name`. */
const beat = (name: string, indent = '', semi = ';', quote = "'", id = `${name}Heartbeat`) =>
  `${indent}const ${id} = setInterval(() => ${name}.readyState === ${name}.OPEN && ${name}.ping(), 30_000)${semi}\n${indent}${name}.on(${quote}close${quote}, () => clearInterval(${id}))${semi}\n`;

ruleTester(rule, {
  valid: [
    {
      name: 'a ping interval below T, cleared on close',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://stream.example.com/feed');\nconst heartbeat = setInterval(() => ws.ping(), 30_000);\nws.on('close', () => clearInterval(heartbeat));\n`,
    },
    {
      name: 'a field pinged from a class timer',
      code: `import WebSocket from 'ws';\nexport class Feed {\n  private ws = new WebSocket('wss://feed');\n  private timer = setInterval(() => this.ws.ping(), 25_000);\n}\n`,
    },
    {
      name: 'a field assigned in a method, pinged through a method',
      code: `import { WebSocket } from 'ws';\nexport class Feed {\n  private ws!: WebSocket;\n  connect() {\n    this.ws = new WebSocket('wss://feed');\n    setInterval(() => this.beat(), 20_000);\n  }\n  private beat() {\n    this.ws.ping();\n  }\n}\n`,
    },
    {
      name: 'the timer callback is a function declared in the module',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nfunction heartbeat() {\n  ws.ping();\n}\nsetInterval(heartbeat, 30 * 1000);\n`,
    },
    { name: 'ws.ping.bind(ws)', code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(ws.ping.bind(ws), 30_000);\n` },
    {
      name: 'an application heartbeat with send()',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.send(JSON.stringify({ type: 'ping' })), 20_000);\n`,
    },
    {
      name: 'a setTimeout chain that pings',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nfunction beat() {\n  ws.ping();\n  setTimeout(beat, 30_000);\n}\nws.on('open', beat);\n`,
    },
    {
      name: 'the interval starts in the open handler',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nws.on('open', () => {\n  const timer = setInterval(() => ws.ping(), 30_000);\n  ws.once('close', () => clearInterval(timer));\n});\n`,
    },
    {
      name: 'a helper that pings whatever socket it is given',
      code: `import WebSocket from 'ws';\nfunction keepAlive(socket: WebSocket) {\n  setInterval(() => socket.ping(), 30_000);\n  return socket;\n}\nexport const feed = keepAlive(new WebSocket('wss://feed'));\n`,
    },
    {
      name: 'the server pings: a ping listener (ws README heartbeat client)',
      code: `const WebSocket = require('ws');\nfunction heartbeat() {\n  clearTimeout(this.pingTimeout);\n  this.pingTimeout = setTimeout(() => this.terminate(), 31_000);\n}\nconst client = new WebSocket('wss://websocket-echo.com/');\nclient.on('open', heartbeat);\nclient.on('ping', heartbeat);\n`,
      path: '/project/src/client.js',
    },
    { name: 'a ping interval from the config: cannot know', code: `import WebSocket from 'ws';\nimport { config } from './config';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), config.pingMs);\n` },
    { name: 'the client handed to an imported helper in a timer: cannot know', code: `import WebSocket from 'ws';\nimport { sendHeartbeat } from './heartbeat';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => sendHeartbeat(ws), 30_000);\n` },
    { name: 'options from a parameter: cannot know', code: `import WebSocket from 'ws';\nexport function open(url: string, options: WebSocket.ClientOptions) {\n  return new WebSocket(url, options);\n}\n` },
    { name: 'a custom agent', code: `import WebSocket from 'ws';\nimport { agent } from './agent';\nexport const ws = new WebSocket('wss://feed', { agent });\n` },
    { name: 'a spread in the options', code: `import WebSocket from 'ws';\nimport { defaults } from './defaults';\nexport const ws = new WebSocket('wss://feed', [], { ...defaults, handshakeTimeout: 5000 });\n` },
    { name: 'TCP keepalive set by hand on upgrade', code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nws.on('upgrade', (res) => res.socket.setKeepAlive(true, 30_000));\n` },
    { name: 'loopback: no middlebox', code: `import WebSocket from 'ws';\nconst ws = new WebSocket('ws://127.0.0.1:8080/debug');\nconst local = new WebSocket('ws://localhost:9229');\n` },
    { name: 'a Unix socket: no middlebox', code: `import WebSocket from 'ws';\nconst ws = new WebSocket('ws+unix:///run/app.sock');\n` },
    {
      name: 'created and closed in the same function',
      code: `import WebSocket from 'ws';\nimport { once } from 'node:events';\nexport async function send(url: string, message: string) {\n  const ws = new WebSocket(url);\n  await once(ws, 'open');\n  ws.send(message);\n  ws.close();\n}\n`,
    },
    { name: 'a server is not a client', code: `import { WebSocketServer } from 'ws';\nconst wss = new WebSocketServer({ port: 8080 });\n` },
    { name: 'WebSocket.Server is not a client', code: `const WebSocket = require('ws');\nconst wss = new WebSocket.Server({ noServer: true });\n`, path: '/project/src/server.cjs' },
    { name: 'the browser global WebSocket is not ws', code: `import type { RawData } from 'ws';\nexport const socket = new WebSocket('wss://feed');\nexport type Data = RawData;\n` },
    { name: 'a slow interval is fine with a longer T', code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), 3_600_000);\n`, config: { middleboxes: ['iptables'] } },
    { name: 'suppressed on the line', code: `import WebSocket from 'ws';\n// keepalive-lint-disable-next-line node/websocket-heartbeat\nconst ws = new WebSocket('wss://feed');\n` },
    { name: 'suppressed in the file', code: `/* keepalive-lint-disable-file */\nimport WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\n` },
  ],
  invalid: [
    {
      name: 'default import, a module-level client with no ping',
      code: `import WebSocket from 'ws';\n\nconst ws = new WebSocket('wss://stream.example.com/feed');\nws.on('message', (data) => console.log(data.toString()));\n`,
      errors: [
        {
          messageId: 'unsafe',
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 25,
          messageIncludes: ['WebSocket client `new WebSocket(…)`', '(ws)', 'No timer in this module pings it', '(a) TCP keepalive is off', '(c) no heartbeat', 'T=900s', 'below 900s (the fix writes 30_000 ms)'],
        },
      ],
      output: `import WebSocket from 'ws';\n\nconst ws = new WebSocket('wss://stream.example.com/feed');\n${beat('ws')}ws.on('message', (data) => console.log(data.toString()));\n`,
    },
    {
      name: 'require, new ws(url), no semicolons, double quotes',
      path: '/project/src/client.js',
      code: `const ws = require("ws")\nconst socket = new ws("wss://feed.example.com")\nsocket.on("message", handle)\n`,
      versions: versions({ ws: '8.18.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, endColumn: 22, messageIncludes: ['(ws 8.18.0)'] }],
      output: `const ws = require("ws")\nconst socket = new ws("wss://feed.example.com")\n${beat('socket', '', '', '"')}socket.on("message", handle)\n`,
    },
    {
      name: 'aliased named import, a field assigned in a method, four-space indent',
      code: `import { WebSocket as WS } from 'ws';\n\nexport class Feed {\n    private ws!: WS;\n\n    connect(url: string): void {\n        this.ws = new WS(url);\n        this.ws.on('message', () => {});\n    }\n}\n`,
      errors: [{ messageId: 'unsafe', line: 7, column: 19, endColumn: 25 }],
      output: `import { WebSocket as WS } from 'ws';\n\nexport class Feed {\n    private ws!: WS;\n\n    connect(url: string): void {\n        this.ws = new WS(url);\n        const wsHeartbeat = setInterval(() => this.ws.readyState === this.ws.OPEN && this.ws.ping(), 30_000);\n        this.ws.on('close', () => clearInterval(wsHeartbeat));\n        this.ws.on('message', () => {});\n    }\n}\n`,
    },
    {
      name: 'a ping interval at T: its delay is rewritten',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), 15 * 60 * 1000);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 12, messageIncludes: ['(c) a heartbeat every 900s', 'runs every 900_000 ms'] }],
      output: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), 30_000);\n`,
    },
    {
      name: 'a ping interval from a const above T: no automatic fix',
      code: `import WebSocket from 'ws';\nconst PING_MS = 20 * 60 * 1000;\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), PING_MS);\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 12, messageIncludes: ['runs every 1_200_000 ms'] }],
      output: null,
    },
    {
      name: 'namespace import, an exported client',
      code: `import * as WebSocket from 'ws';\nexport const feed = new WebSocket('wss://feed');\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 21 }],
      output: `import * as WebSocket from 'ws';\nexport const feed = new WebSocket('wss://feed');\n${beat('feed')}`,
    },
    {
      name: 'import = require with a let variable',
      code: `import WebSocket = require('ws');\nlet socket = new WebSocket('wss://feed');\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14 }],
      output: `import WebSocket = require('ws');\nlet socket = new WebSocket('wss://feed');\n${beat('socket')}`,
    },
    {
      name: 'dynamic import with destructuring and a protocols argument',
      code: `const { WebSocket } = await import('ws');\nconst socket = new WebSocket('wss://feed', ['v1.feed']);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16 }],
      output: `const { WebSocket } = await import('ws');\nconst socket = new WebSocket('wss://feed', ['v1.feed']);\n${beat('socket')}`,
    },
    {
      name: 'require namespace, WS.WebSocket with plain options',
      path: '/project/src/client.cjs',
      code: `const WS = require('ws');\nconst client = new WS.WebSocket('wss://feed', { headers: { authorization: 'Bearer x' } });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, endColumn: 32 }],
      output: `const WS = require('ws');\nconst client = new WS.WebSocket('wss://feed', { headers: { authorization: 'Bearer x' } });\n${beat('client')}`,
    },
    {
      name: 'the heartbeat name is taken',
      code: `import WebSocket from 'ws';\nconst wsHeartbeat = 'unrelated';\nconst ws = new WebSocket('wss://feed');\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 12 }],
      output: `import WebSocket from 'ws';\nconst wsHeartbeat = 'unrelated';\nconst ws = new WebSocket('wss://feed');\n${beat('ws', '', ';', "'", 'wsHeartbeat2')}`,
    },
    {
      name: 'two clients: only the one not pinged is reported',
      code: `import WebSocket from 'ws';\nconst a = new WebSocket('wss://a');\nconst b = new WebSocket('wss://b');\nsetInterval(() => a.ping(), 30_000);\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 11 }],
      output: `import WebSocket from 'ws';\nconst a = new WebSocket('wss://a');\nconst b = new WebSocket('wss://b');\n${beat('b')}setInterval(() => a.ping(), 30_000);\n`,
    },
    {
      name: 'a returned client: reported without a fix',
      code: `import WebSocket from 'ws';\nexport function connect(url: string) {\n  return new WebSocket(url);\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 10 }],
      output: null,
    },
    {
      name: 'a reconnecting client in a function',
      code: `import WebSocket from 'ws';\n\nlet socket: WebSocket;\nfunction connect() {\n  socket = new WebSocket('wss://feed');\n  socket.on('close', () => setTimeout(connect, 1000));\n}\nconnect();\n`,
      errors: [{ messageId: 'unsafe', line: 5, column: 12 }],
      output: `import WebSocket from 'ws';\n\nlet socket: WebSocket;\nfunction connect() {\n  socket = new WebSocket('wss://feed');\n${beat('socket', '  ')}  socket.on('close', () => setTimeout(connect, 1000));\n}\nconnect();\n`,
    },
    {
      name: 'a tighter T from the config: a 10 min interval is too slow for 350 s',
      code: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), 600_000);\n`,
      config: { middleboxes: ['aws-nlb'] },
      errors: [{ messageId: 'unsafe', line: 2, column: 12, messageIncludes: ['T=350s', '(c) a heartbeat every 600s'] }],
      output: `import WebSocket from 'ws';\nconst ws = new WebSocket('wss://feed');\nsetInterval(() => ws.ping(), 30_000);\n`,
    },
    {
      name: 'a client created inside an if: reported, no fix outside the branch',
      code: `import WebSocket from 'ws';\nlet ws: WebSocket | undefined;\nif (process.env.FEED_URL) ws = new WebSocket(process.env.FEED_URL);\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 32 }],
      output: null,
    },
  ],
});
