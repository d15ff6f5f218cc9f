import rule from '../../../rules/node/http-agent-keepalive.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { versions } from '../../helpers/versions.ts';


ruleTester(rule, {
  valid: [
    {
      name: 'keepAliveMsecs under one second leaves the pod sysctl, set below T (osKeepaliveTimeSeconds)',
      code: `const https = require("https");\nhttps.globalAgent = new https.Agent({\n  keepAlive: true,\n  keepAliveMsecs: 500,\n});\n`,
      config: { osKeepaliveTimeSeconds: 300 },
    },
    { name: 'no keepAlive: no pooling', code: `import http from 'node:http';\nconst agent = new http.Agent();\n` },
    { name: 'keepAlive false', code: `import * as http from 'http';\nexport const agent = new http.Agent({ keepAlive: false });\n` },
    { name: 'keepAlive true with the default 1 s probe', code: `import https from 'https';\nconst agent = new https.Agent({ keepAlive: true });\n` },
    { name: 'keepAliveMsecs below T', code: `const { Agent } = require('http');\nconst agent = new Agent({ keepAlive: true, keepAliveMsecs: 30 * 1000 });\n` },
    { name: 'a long probe but a free-socket timeout below T', code: `import { Agent } from 'http';\nnew Agent({ keepAlive: true, keepAliveMsecs: 3_600_000, timeout: 60_000 });\n` },
    { name: 'spread options: cannot know', code: `import { Agent } from 'http';\nexport function make(o) { return new Agent({ keepAlive: true, ...o }); }\n` },
    { name: 'options from a parameter: cannot know', code: `import { Agent } from 'http';\nexport function make(o: object) { return new Agent(o); }\n` },
    { name: 'keepAliveMsecs from an import: cannot know', code: `import { Agent } from 'http';\nimport { DELAY } from './config';\nnew Agent({ keepAlive: true, keepAliveMsecs: DELAY });\n` },
    { name: 'a different Agent class', code: `import { Agent } from './my-agent';\nnew Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n` },
    { name: 'agentkeepalive defaults (4 s free socket timeout)', code: `import Agent from 'agentkeepalive';\nconst a = new Agent();\n` },
    { name: 'agentkeepalive with a string timeout', code: `const Agent = require('agentkeepalive');\nnew Agent.HttpsAgent({ keepAliveMsecs: '2h', freeSocketTimeout: '30s' });\n` },
    { name: 'undici defaults', code: `import { Agent, setGlobalDispatcher } from 'undici';\nsetGlobalDispatcher(new Agent());\n` },
    { name: 'undici with keepalive off but a short keepAliveTimeout', code: `import { Pool } from 'undici';\nnew Pool('http://api', { connect: { keepAlive: false } });\n` },
    { name: 'undici long keepAliveTimeout but connect keepalive on by default', code: `import { Client } from 'undici';\nnew Client('http://api', { keepAliveTimeout: 3_600_000 });\n` },
    { name: 'undici MockAgent is not a pool', code: `import { MockAgent } from 'undici';\nnew MockAgent({ keepAliveTimeout: 3_600_000 });\n` },
    { name: 'got without http2', code: `import got from 'got';\nawait got('http://api', { timeout: { request: 1000 } });\n` },
    { name: 'a higher T: iptables', code: `import { Agent } from 'http';\nnew Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n`, config: { middleboxes: ['iptables'] } },
    { name: 'suppressed on the line', code: `import { Agent } from 'http';\n// keepalive-lint-disable-next-line node/http-agent-keepalive\nnew Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n` },
  ],
  invalid: [
    {
      name: 'keepAliveMsecs at or above T with no timeout',
      code: `import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 900_000 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 22, endColumn: 36, messageIncludes: ['node:http Agent', 'probes after 900s', 'T=900s', 'idle sockets are never closed'] }],
      output: `import http from 'node:http';\nexport const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 30_000 });\n`,
    },
    {
      name: 'keepAliveMsecs under one second leaves the 7200 s default',
      code: `const https = require("https");\nhttps.globalAgent = new https.Agent({\n  keepAlive: true,\n  keepAliveMsecs: 500,\n});\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 21, messageIncludes: ['delay of 500ms', '7200s'] }],
      output: `const https = require("https");\nhttps.globalAgent = new https.Agent({\n  keepAlive: true,\n  keepAliveMsecs: 30_000,\n});\n`,
    },
    {
      name: 'new (require(...).Agent) with a const delay',
      code: `const HOUR = 60 * 60 * 1000;\nconst agent = new (require('https').Agent)({ keepAlive: true, keepAliveMsecs: HOUR });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 15 }],
      output: `const HOUR = 60 * 60 * 1000;\nconst agent = new (require('https').Agent)({ keepAlive: true, keepAliveMsecs: 30_000 });\n`,
    },
    {
      name: 'agentkeepalive with free-socket timeout off and a long probe',
      code: `import Agent, { HttpsAgent } from 'agentkeepalive';\nexport const a = new HttpsAgent({ keepAliveMsecs: '1h', freeSocketTimeout: '20m' });\n`,
      versions: versions({ agentkeepalive: '4.5.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 18, messageIncludes: ['agentkeepalive 4.5.0', 'closed after 1200s'] }],
      output: `import Agent, { HttpsAgent } from 'agentkeepalive';\nexport const a = new HttpsAgent({ keepAliveMsecs: 30_000, freeSocketTimeout: '20m' });\n`,
    },
    {
      name: 'undici connect keepAlive false with a long keepAliveTimeout',
      code: `import { Agent, setGlobalDispatcher } from 'undici';\nsetGlobalDispatcher(new Agent({ keepAliveTimeout: 30 * 60_000, connect: { keepAlive: false } }));\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 21, messageIncludes: ['undici Agent', 'TCP keepalive is off', 'closed after 1800s'] }],
      output: `import { Agent, setGlobalDispatcher } from 'undici';\nsetGlobalDispatcher(new Agent({ keepAliveTimeout: 30 * 60_000, connect: { keepAlive: true, keepAliveInitialDelay: 30_000 } }));\n`,
    },
    {
      name: 'undici before 5.18 has no connect keepalive by default',
      code: `import { Pool } from 'undici';\nconst pool = new Pool('http://api:8080', { keepAliveTimeout: 3_600_000 });\n`,
      versions: versions({ undici: '5.10.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 14, messageIncludes: ['undici Pool 5.10.0'] }],
      output: `import { Pool } from 'undici';\nconst pool = new Pool('http://api:8080', { keepAliveTimeout: 3_600_000, connect: { keepAlive: true, keepAliveInitialDelay: 30_000 } });\n`,
    },
    {
      name: 'undici custom connector that never enables keepalive',
      code: `import { Client, buildConnector } from 'undici';\nconst connector = buildConnector({});\nnew Client('http://api', {\n  keepAliveTimeout: 3_600_000,\n  connect: (opts, cb) => connector(opts, cb),\n});\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 1 }],
      output: null,
    },
    {
      name: 'got with http2: true',
      code: `import got from 'got';\nexport const api = got.extend({ prefixUrl: 'https://api', http2: true });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 20, endColumn: 30, messageIncludes: ['got (http2: true)'] }],
      output: null,
    },
    {
      name: 'a tighter T from the config changes the verdict',
      code: `import { Agent } from 'http';\nnew Agent({ keepAlive: true, keepAliveMsecs: 300_000 });\n`,
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'unsafe', line: 2, column: 1, messageIncludes: ['T=240s'] }],
      output: `import { Agent } from 'http';\nnew Agent({ keepAlive: true, keepAliveMsecs: 30_000 });\n`,
    },
  ],
});
