import rule from '../../../rules/node/db-client-keepalive.ts';
import type { CodeVersions, Semver } from '../../../rules/node/versions.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

function semver(text: string): Semver {
  const [major, minor, patch] = text.split('.').map(Number);
  return { major: major!, minor: minor ?? 0, patch: patch ?? 0 };
}

/** Library versions as a lockfile gives them, and optionally the Node version from engines.node. */
const versions = (libraries: Record<string, string>, node?: string): CodeVersions => ({
  node: node === undefined ? undefined : { version: semver(node), source: 'engines.node in package.json' },
  libraries: new Map(Object.entries(libraries).map(([name, v]) => [name, { version: semver(v), source: 'package-lock.json' }])),
});

ruleTester(rule, {
  valid: [
    // pg
    { name: 'pg Pool: idle clients closed after 10 s by default', code: `import { Pool } from 'pg';\nexport const pool = new Pool({ host: 'db' });\n` },
    { name: 'pg Pool with a short idleTimeoutMillis', code: `import pg from 'pg';\nexport const pool = new pg.Pool({ host: 'db', idleTimeoutMillis: 30_000 });\n` },
    { name: 'pg Pool without options', code: `const { Pool } = require('pg');\nconst pool = new Pool();\n` },
    { name: 'pg Pool with the idle timeout off but keepalive below T', code: `import { Pool } from 'pg';\nnew Pool({ host: 'db', idleTimeoutMillis: 0, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });\n` },
    { name: 'pg Client with keepalive and a folded delay', code: `import { Client } from 'pg';\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30 * 1000 });\n` },
    { name: 'pg Client with a same-file const delay', code: `import { Client } from 'pg';\nconst DELAY = 10_000;\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: DELAY });\n` },
    { name: 'pg Client config from a parameter: cannot know', code: `import { Client } from 'pg';\nexport function connect(config) {\n  return new Client(config);\n}\n` },
    { name: 'pg Client options spread: cannot know', code: `import { Client } from 'pg';\nimport { base } from './config';\nexport const client = new Client({ ...base });\n` },
    { name: 'pg Client delay from an import: cannot know', code: `import { Client } from 'pg';\nimport { DELAY } from './config';\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: DELAY });\n` },
    { name: 'pg Client keepAlive from a call: cannot know', code: `import { Client } from 'pg';\nexport const client = new Client({ host: 'db', keepAlive: flag('pg') });\n` },
    { name: 'pg Client connection string from a parameter: cannot know', code: `import pg from 'pg';\nexport const open = (url: string) => new pg.Client(url);\n` },
    { name: 'pg Client on loopback: no middlebox', code: `import { Client } from 'pg';\nexport const client = new Client({ host: 'localhost' });\n` },
    { name: 'pg Client on a Unix socket', code: `import { Client } from 'pg';\nexport const client = new Client('postgres:///app?host=/var/run/postgresql');\n` },
    {
      name: 'pg Client created and ended in one function: short-lived',
      code: `import { Client } from 'pg';\nexport async function count() {\n  const client = new Client({ host: 'db' });\n  await client.connect();\n  try {\n    return await client.query('select 1');\n  } finally {\n    await client.end();\n  }\n}\n`,
    },
    { name: 'a Client that is not pg', code: `import { Client } from './db';\nexport const client = new Client({ host: 'db' });\n` },
    { name: 'a Pool that is not pg', code: `import { Pool } from 'generic-pool';\nexport const pool = new Pool({ idleTimeoutMillis: 0 });\n` },
    { name: 'a higher T: iptables', code: `import { Client } from 'pg';\nnew Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 3_600_000 });\n`, config: { middleboxes: ['iptables'] } },
    { name: 'suppressed on the line', code: `import { Client } from 'pg';\n// keepalive-lint-disable-next-line node/db-client-keepalive\nexport const client = new Client({ host: 'db' });\n` },
    { name: 'suppressed in the file', code: `/* keepalive-lint-disable-file */\nimport { Client } from 'pg';\nexport const client = new Client({ host: 'db' });\n` },

    // mysql2
    { name: 'mysql2 pool with a keepalive delay below T', code: `import mysql from 'mysql2/promise';\nexport const pool = mysql.createPool({ host: 'db', keepAliveInitialDelay: 10_000 });\n` },
    {
      name: 'mysql2 3.4: maxIdle below connectionLimit arms the idle timeout',
      code: `import * as mysql from 'mysql2';\nexport const pool = mysql.createPool({ host: 'db', connectionLimit: 10, maxIdle: 5, idleTimeout: 60_000 });\n`,
      versions: versions({ mysql2: '3.4.0' }),
    },
    { name: 'mysql2 pool with maxIdle below the default connectionLimit', code: `import mysql from 'mysql2';\nexport const pool = mysql.createPool({ host: 'db', maxIdle: 0 });\n` },
    { name: 'mysql2 on a Unix socket', code: `import mysql from 'mysql2';\nexport const conn = mysql.createConnection({ socketPath: '/var/run/mysqld/mysqld.sock' });\n` },
    { name: 'mysql2 without a host connects to localhost', code: `import mysql from 'mysql2';\nexport const pool = mysql.createPool({ user: 'app', database: 'app' });\n` },
    { name: 'mysql2 options spread: cannot know', code: `import mysql from 'mysql2';\nimport { db } from './config';\nexport const pool = mysql.createPool({ ...db, connectionLimit: 5 });\n` },
    { name: 'mysql2 url that sets keepAliveInitialDelay', code: `import mysql from 'mysql2';\nexport const pool = mysql.createPool('mysql://app@db:3306/app?keepAliveInitialDelay=10000');\n` },
    { name: 'mysql (not mysql2)', code: `import mysql from 'mysql';\nexport const pool = mysql.createPool({ host: 'db' });\n` },

    // ioredis
    { name: 'ioredis 6 defaults to a 30 s keepalive', code: `import Redis from 'ioredis';\nexport const redis = new Redis(6379, 'redis');\n`, versions: versions({ ioredis: '6.0.0' }) },
    { name: 'ioredis version unknown: the newest major (6) defaults', code: `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'redis' });\n` },
    { name: 'ioredis 5 with a numeric keepAlive', code: `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'redis', keepAlive: 30_000 });\n`, versions: versions({ ioredis: '5.3.2' }) },
    { name: 'ioredis 5 without a host connects to localhost', code: `import Redis from 'ioredis';\nexport const redis = new Redis();\n`, versions: versions({ ioredis: '5.3.2' }) },
    { name: 'ioredis 5 on a loopback url', code: `import Redis from 'ioredis';\nexport const redis = new Redis('redis://127.0.0.1:6379/0');\n`, versions: versions({ ioredis: '5.3.2' }) },
    { name: 'ioredis 5 on a Unix socket', code: `import Redis from 'ioredis';\nexport const redis = new Redis({ path: '/run/redis.sock' });\n`, versions: versions({ ioredis: '5.3.2' }) },
    {
      name: 'ioredis 5 Cluster with redisOptions.keepAlive',
      code: `import { Cluster } from 'ioredis';\nexport const cluster = new Cluster(['redis-0:6379'], { redisOptions: { keepAlive: 10_000 } });\n`,
      versions: versions({ ioredis: '5.3.2' }),
    },
    { name: 'ioredis 5 options from a parameter', code: `import Redis from 'ioredis';\nexport const make = (options: object) => new Redis(options);\n`, versions: versions({ ioredis: '5.3.2' }) },

    // node-redis
    { name: 'redis 4 sets keepalive after the TLS handshake', code: `import { createClient } from 'redis';\nexport const client = createClient({ url: 'rediss://cache:6380' });\n`, versions: versions({ redis: '4.6.0' }) },
    {
      name: '@redis/client 1.x is node-redis 4',
      code: `import { createClient } from '@redis/client';\nexport const client = createClient({ socket: { host: 'cache', tls: true } });\n`,
      versions: versions({ '@redis/client': '1.5.14' }),
    },
    { name: 'redis 5 without TLS: keepalive passed to net.connect', code: `import { createClient } from 'redis';\nexport const client = createClient({ url: 'redis://cache:6379' });\n`, versions: versions({ redis: '5.0.0' }) },
    {
      name: 'redis 5 over TLS on Node 24.15',
      code: `import { createClient } from 'redis';\nexport const client = createClient({ socket: { host: 'cache', tls: true } });\n`,
      versions: versions({ redis: '5.0.0' }),
      config: { nodeVersion: '24.15' },
    },
    { name: 'redis 5 with a url from the environment: TLS unknown', code: `import { createClient } from 'redis';\nexport const client = createClient({ url: process.env.REDIS_URL });\n`, versions: versions({ redis: '5.0.0' }) },
    {
      name: 'redis 5 over TLS with a PING heartbeat below T',
      code: `import { createClient } from 'redis';\nexport const client = createClient({ url: 'rediss://cache:6380', pingInterval: 60_000 });\n`,
      versions: versions({ redis: '5.0.0' }),
    },
    { name: 'redis 3 with socket_initial_delay below T', code: `import redis from 'redis';\nexport const client = redis.createClient({ host: 'cache', socket_initial_delay: 30_000 });\n`, versions: versions({ redis: '3.1.2' }) },
    { name: 'node-redis without options connects to localhost', code: `import { createClient } from 'redis';\nexport const client = createClient();\n` },

    // mongodb
    { name: 'mongodb version unknown: the newest (≥ 7.2) defaults', code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb+srv://cluster0.example.net/app');\n` },
    {
      name: 'mongodb 6.16 probes after 300 s, below T=900 s',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb+srv://cluster0.example.net/app');\n`,
      versions: versions({ mongodb: '6.16.0' }, '20.11'),
    },
    {
      name: 'mongodb 6.17 over TLS on Node 24.15',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb+srv://cluster0.example.net/app');\n`,
      versions: versions({ mongodb: '6.17.0' }, '24.15'),
    },
    {
      name: 'mongodb 7.2 sets keepalive on the TLS socket',
      code: `const { MongoClient } = require('mongodb');\nconst client = new MongoClient(process.env.MONGO_URL, { tls: true });\n`,
      versions: versions({ mongodb: '7.2.0' }, '20.0'),
    },
    {
      name: 'mongodb 7.1 without TLS: keepalive passed to net.connect',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb://db:27017/app');\n`,
      versions: versions({ mongodb: '7.1.0' }, '20.0'),
    },
    {
      name: 'mongodb 6.17 with a url from the environment: TLS unknown',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient(process.env.MONGO_URL);\n`,
      versions: versions({ mongodb: '6.17.0' }),
    },
    {
      name: 'mongodb 6.17 over TLS with maxIdleTimeMS below T',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb+srv://cluster0.example.net/app', { maxIdleTimeMS: 60_000 });\n`,
      versions: versions({ mongodb: '6.17.0' }),
    },
    { name: 'mongodb 5 defaults (120 s)', code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb://db:27017/app');\n`, versions: versions({ mongodb: '5.9.2' }) },
    {
      name: 'mongodb 6.17 without TLS at T=240 s: 120 s',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb://db:27017/app');\n`,
      versions: versions({ mongodb: '6.17.0' }, '20.0'),
      config: { middleboxes: ['azure-lb'] },
    },
    {
      name: 'mongodb 7.1 with the url from a config object: TLS unknown',
      code: `import { MongoClient } from 'mongodb';\nimport { config } from './config';\nexport const client = new MongoClient(config.mongoUrl);\n`,
      versions: versions({ mongodb: '7.1.0' }),
    },
    { name: 'mongodb on loopback', code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb://localhost:27017/app');\n`, versions: versions({ mongodb: '6.17.0' }) },
  ],
  invalid: [
    // pg: every import form at least once across the library cases
    {
      name: 'pg Client (ESM default import) with keepAlive but no delay',
      code: `import pg from 'pg';\nexport const client = new pg.Client({ host: 'db', keepAlive: true });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 23, endColumn: 36, messageIncludes: ['pg Client', 'pg version not found', 'delay of 0ms', '7200s', 'T=900s'] }],
      output: `import pg from 'pg';\nexport const client = new pg.Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client (named import) without options',
      code: `import { Client } from 'pg';\nconst client = new Client();\n`,
      versions: versions({ pg: '8.11.3' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, endColumn: 26, messageIncludes: ['pg 8.11.3, read from package-lock.json', 'TCP keepalive is off'] }],
      output: `import { Client } from 'pg';\nconst client = new Client({ keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client (namespace import) constructed without parentheses',
      code: `import * as pg from 'pg';\nconst client = new pg.Client;\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16 }],
      output: `import * as pg from 'pg';\nconst client = new pg.Client({ keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client (require destructuring with an alias), multi-line, double quotes, no semicolons',
      code: `const { Client: PgClient } = require("pg")\nexport const db = new PgClient({\n  host: "db.internal",\n  keepAlive: false\n})\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 19, messageIncludes: ['TCP keepalive is off'] }],
      output: `const { Client: PgClient } = require("pg")\nexport const db = new PgClient({\n  host: "db.internal",\n  keepAlive: true,\n  keepAliveInitialDelayMillis: 30_000\n})\n`,
    },
    {
      name: 'pg Client from new (require(...).Client)',
      code: `const client = new (require('pg').Client)({ host: 'db' });\n`,
      errors: [{ messageId: 'unsafe', line: 1, column: 16 }],
      output: `const client = new (require('pg').Client)({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client with a connection string: no fix can add options',
      code: `import { Client } from 'pg';\nconst client = new Client(process.env.DATABASE_URL);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['connection string cannot turn keepalive on', 'connectionString'] }],
      output: null,
    },
    {
      name: 'pg Pool (import = require) with the idle timeout disabled',
      code: `import pg = require('pg');\nexport const pool = new pg.Pool({ host: 'db', idleTimeoutMillis: 0 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 21, messageIncludes: ['pg Pool', 'idle sockets are never closed'] }],
      output: `import pg = require('pg');\nexport const pool = new pg.Pool({ host: 'db', idleTimeoutMillis: 0, keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Pool with an idle timeout at or above T (folded)',
      code: `const { Pool } = require('pg');\nconst pool = new Pool({ host: 'db', idleTimeoutMillis: 60 * 60 * 1000 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14, messageIncludes: ['closed after 3600s'] }],
      output: `const { Pool } = require('pg');\nconst pool = new Pool({ host: 'db', idleTimeoutMillis: 60 * 60 * 1000, keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client (dynamic import) with a delay under one second',
      code: `const { Client } = await import('pg');\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 500 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 23, messageIncludes: ['delay of 500ms'] }],
      output: `const { Client } = await import('pg');\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'a tighter T from the config makes a 300 s delay unsafe',
      code: `import { Client } from 'pg';\nconst client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 300_000 });\n`,
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['probes after 300s', 'T=240s'] }],
      output: `import { Client } from 'pg';\nconst client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg options in a same-file const: the fix edits the literal',
      code: `import { Client } from 'pg';\nconst config = { host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 0 };\nexport const client = new Client(config);\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 23 }],
      output: `import { Client } from 'pg';\nconst config = { host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 };\nexport const client = new Client(config);\n`,
    },
    {
      name: 'pg shorthand keepAlive property',
      code: `import { Client } from 'pg';\nconst keepAlive = false;\nexport const client = new Client({ host: 'db', keepAlive });\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 23 }],
      output: `import { Client } from 'pg';\nconst keepAlive = false;\nexport const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },
    {
      name: 'pg Client ended only from a shutdown handler: long-lived',
      code: `import { Client } from 'pg';\nexport async function main() {\n  const client = new Client({ host: 'db' });\n  await client.connect();\n  process.on('SIGTERM', () => client.end());\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 18 }],
      output: `import { Client } from 'pg';\nexport async function main() {\n  const client = new Client({ host: 'db', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n  await client.connect();\n  process.on('SIGTERM', () => client.end());\n}\n`,
    },
    {
      name: 'two clients in one file: one finding each',
      code: `import { Client, Pool } from 'pg';\nexport const a = new Client({ host: 'a' });\nexport const pool = new Pool({ host: 'b' });\nexport const b = new Client({ host: 'b' });\n`,
      errors: [
        { messageId: 'unsafe', line: 2, column: 18 },
        { messageId: 'unsafe', line: 4, column: 18 },
      ],
      output: `import { Client, Pool } from 'pg';\nexport const a = new Client({ host: 'a', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\nexport const pool = new Pool({ host: 'b' });\nexport const b = new Client({ host: 'b', keepAlive: true, keepAliveInitialDelayMillis: 30_000 });\n`,
    },

    // mysql2
    {
      name: 'mysql2/promise pool (require namespace) with defaults, multi-line with a trailing comma',
      code: `const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({\n  host: 'mysql',\n  user: 'app',\n});\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14, endColumn: 30, messageIncludes: ['mysql2 createPool', 'mysql2 version not found', 'delay of 0ms', 'idle sockets are never closed', 'maxIdle'] }],
      output: `const mysql = require('mysql2/promise');\nconst pool = mysql.createPool({\n  host: 'mysql',\n  user: 'app',\n  enableKeepAlive: true,\n  keepAliveInitialDelay: 30_000,\n});\n`,
    },
    {
      name: 'mysql2 createConnection (named import with an alias) with a delay under one second',
      code: `import { createConnection as connect } from 'mysql2/promise';\nexport const conn = await connect({ host: 'db', keepAliveInitialDelay: 500 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 27, endColumn: 34, messageIncludes: ['mysql2 createConnection', 'delay of 500ms'] }],
      output: `import { createConnection as connect } from 'mysql2/promise';\nexport const conn = await connect({ host: 'db', keepAliveInitialDelay: 30_000, enableKeepAlive: true });\n`,
    },
    {
      name: 'mysql2 3.3: maxIdle and idleTimeout are not read, keepalive is not on by default',
      code: `import * as mysql from 'mysql2';\nexport const pool = mysql.createPool({ host: 'db', connectionLimit: 10, maxIdle: 5, idleTimeout: 60_000 });\n`,
      versions: versions({ mysql2: '3.3.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 21, messageIncludes: ['mysql2 3.3.0', 'TCP keepalive is off', 'idle sockets are never closed'] }],
      output: `import * as mysql from 'mysql2';\nexport const pool = mysql.createPool({ host: 'db', connectionLimit: 10, maxIdle: 5, idleTimeout: 60_000, enableKeepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'mysql2 armed idle timeout at or above T',
      code: `import mysql from 'mysql2';\nconst pool = mysql.createPool({ host: 'db', maxIdle: 2, idleTimeout: 3_600_000 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14, messageIncludes: ['closed after 3600s'] }],
      output: `import mysql from 'mysql2';\nconst pool = mysql.createPool({ host: 'db', maxIdle: 2, idleTimeout: 3_600_000, enableKeepAlive: true, keepAliveInitialDelay: 30_000 });\n`,
    },
    {
      name: 'mysql2 pool from a url string: no fix',
      code: `import mysql from 'mysql2/promise';\nconst pool = mysql.createPool(process.env.DATABASE_URL);\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 14, messageIncludes: ['pass a config object with uri'] }],
      output: null,
    },
    {
      name: 'the fix delay follows T: min(30 s, T/2)',
      code: `import mysql from 'mysql2';\nconst conn = mysql.createConnection({ host: 'db' });\n`,
      config: { idleTimeoutSeconds: 40, keepalive: { time: 20 } },
      errors: [{ messageId: 'unsafe', line: 2, column: 14, endColumn: 36, messageIncludes: ['T=40s', '20_000'] }],
      output: `import mysql from 'mysql2';\nconst conn = mysql.createConnection({ host: 'db', enableKeepAlive: true, keepAliveInitialDelay: 20_000 });\n`,
    },

    // ioredis
    {
      name: 'ioredis 5 without keepAlive (default 0 → 7200 s)',
      code: `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'redis', port: 6379 });\n`,
      versions: versions({ ioredis: '5.3.2' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 22, endColumn: 31, messageIncludes: ['ioredis Redis (ioredis 5.3.2, read from package-lock.json)', 'delay of 0ms'] }],
      output: `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'redis', port: 6379, keepAlive: 30_000 });\n`,
    },
    {
      name: 'ioredis 5.9 (port, host): the last version before the 30 s default',
      code: `import Redis from 'ioredis';\nexport const redis = new Redis(6379, 'redis');\n`,
      versions: versions({ ioredis: '5.9.9' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 22 }],
      output: `import Redis from 'ioredis';\nexport const redis = new Redis(6379, 'redis', { keepAlive: 30_000 });\n`,
    },
    {
      name: 'ioredis 6 with keepAlive: 0 set explicitly',
      code: `const Redis = require('ioredis');\nconst redis = new Redis({ host: 'redis', keepAlive: 0 });\n`,
      versions: versions({ ioredis: '6.0.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 15, messageIncludes: ['ioredis 6.0.0'] }],
      output: `const Redis = require('ioredis');\nconst redis = new Redis({ host: 'redis', keepAlive: 30_000 });\n`,
    },
    {
      name: 'ioredis 4 with a url from the environment: the fix appends options',
      code: `import IORedis from 'ioredis';\nconst redis = new IORedis(process.env.REDIS_URL);\n`,
      versions: versions({ ioredis: '4.28.5' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 15 }],
      output: `import IORedis from 'ioredis';\nconst redis = new IORedis(process.env.REDIS_URL, { keepAlive: 30_000 });\n`,
    },
    {
      name: 'ioredis 5 keepAlive: true is not a number: keepalive stays off',
      code: `import { Redis } from 'ioredis';\nconst redis = new Redis(6380, 'cache', { keepAlive: true });\n`,
      versions: versions({ ioredis: '5.3.2' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 15, messageIncludes: ['TCP keepalive is off'] }],
      output: `import { Redis } from 'ioredis';\nconst redis = new Redis(6380, 'cache', { keepAlive: 30_000 });\n`,
    },
    {
      name: 'ioredis 5 Cluster without redisOptions',
      code: `import Redis from 'ioredis';\nconst cluster = new Redis.Cluster([{ host: 'redis-0', port: 6379 }]);\n`,
      versions: versions({ ioredis: '5.3.2' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 17, endColumn: 34, messageIncludes: ['ioredis Cluster'] }],
      output: `import Redis from 'ioredis';\nconst cluster = new Redis.Cluster([{ host: 'redis-0', port: 6379 }], { redisOptions: { keepAlive: 30_000 } });\n`,
    },

    // node-redis
    {
      name: 'redis 3 (port, host): setKeepAlive(true) without a delay',
      code: `const redis = require('redis');\nconst client = redis.createClient(6379, 'cache');\n`,
      versions: versions({ redis: '3.1.2' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, endColumn: 34, messageIncludes: ['node-redis createClient (redis 3.1.2', 'delay of 0ms'] }],
      output: `const redis = require('redis');\nconst client = redis.createClient(6379, 'cache', { socket_initial_delay: 30_000 });\n`,
    },
    {
      name: 'redis 2 has no delay option: no fix',
      code: `import redis from 'redis';\nconst client = redis.createClient({ host: 'cache' });\n`,
      versions: versions({ redis: '2.8.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['redis 2.8.0', 'upgrade'] }],
      output: null,
    },
    {
      name: 'redis 5 over TLS with the Node version unknown',
      code: `import { createClient } from 'redis';\nconst client = createClient({ socket: { host: 'cache', tls: true } });\n`,
      versions: versions({ redis: '5.0.0' }),
      errors: [{ messageId: 'tlsIgnored', line: 2, column: 16, endColumn: 28, messageIncludes: ['redis 5.0.0', 'socket.tls: true', 'Node version is unknown', 'Node 24.15', 'T=900s'] }],
      output: null,
    },
    {
      name: '@redis/client 5 with a rediss:// url on Node 22',
      code: `import { createClient } from '@redis/client';\nexport const cache = createClient({ url: 'rediss://cache:6380' });\n`,
      versions: versions({ '@redis/client': '5.1.0' }, '22.0'),
      errors: [{ messageId: 'tlsIgnored', line: 2, column: 22, messageIncludes: ['@redis/client 5.1.0', 'a rediss:// url', 'Node 22.0.0, read from engines.node in package.json'] }],
      output: null,
    },
    {
      name: 'redis version unknown (newest: 5+) over TLS on Node 24.14',
      code: `import { createClient } from 'redis';\nexport const client = createClient({ socket: { host: 'cache', tls: true } });\n`,
      versions: versions({}, '24.14'),
      errors: [{ messageId: 'tlsIgnored', line: 2, column: 23, messageIncludes: ['redis version not found', 'Node 24.14.0'] }],
      output: null,
    },
    {
      name: 'redis 4 with socket keepalive turned off',
      code: `import { createClient } from 'redis';\nconst client = createClient({ url: 'redis://cache:6379', socket: { keepAlive: false } });\n`,
      versions: versions({ redis: '4.6.0' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['redis 4.6.0', 'TCP keepalive is off'] }],
      output: `import { createClient } from 'redis';\nconst client = createClient({ url: 'redis://cache:6379', socket: { keepAlive: 30_000 } });\n`,
    },

    // mongodb
    {
      name: 'mongodb 6.17 with mongodb+srv (implies TLS), Node unknown',
      code: `import { MongoClient } from 'mongodb';\nexport const mongo = new MongoClient('mongodb+srv://cluster0.example.net/app');\n`,
      versions: versions({ mongodb: '6.17.0' }),
      errors: [{ messageId: 'tlsIgnored', line: 2, column: 22, endColumn: 37, messageIncludes: ['mongodb 6.17.0', 'mongodb+srv', 'maxIdleTimeMS'] }],
      output: null,
    },
    {
      name: 'mongodb 7.1 with tls: true on Node 20',
      code: `const { MongoClient } = require('mongodb');\nconst client = new MongoClient(process.env.MONGO_URL, { tls: true });\n`,
      versions: versions({ mongodb: '7.1.9' }, '20.0'),
      errors: [{ messageId: 'tlsIgnored', line: 2, column: 16, messageIncludes: ['mongodb 7.1.9', 'tls: true', 'Node 20.0.0', '7.2'] }],
      output: null,
    },
    {
      name: 'mongodb 6.0–6.16 probe after 300 s: unsafe at T=240 s',
      code: `import { MongoClient } from 'mongodb';\nexport const client = new MongoClient('mongodb://db:27017/app');\n`,
      versions: versions({ mongodb: '6.16.0' }),
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'unsafe', line: 2, column: 23, messageIncludes: ['mongodb 6.16.0', 'probes after 300s', 'T=240s'] }],
      output: null,
    },
    {
      name: 'mongodb 6.17 MongoClient.connect over TLS, returned from a function',
      code: `import { MongoClient } from 'mongodb';\nexport async function connect() {\n  return MongoClient.connect('mongodb+srv://cluster0.example.net/app');\n}\n`,
      versions: versions({ mongodb: '6.17.0' }, '20.11'),
      errors: [{ messageId: 'tlsIgnored', line: 3, column: 10, endColumn: 29 }],
      output: null,
    },
    {
      name: 'mongodb 6.0 with the url from a config object: 300 s is unsafe at T=240 s whatever the url',
      code: `import { MongoClient } from 'mongodb';\nimport { config } from './config';\nexport const client = new MongoClient(config.mongoUrl);\n`,
      versions: versions({ mongodb: '6.0.0' }),
      config: { middleboxes: ['azure-lb'] },
      errors: [{ messageId: 'unsafe', line: 3, column: 23, messageIncludes: ['mongodb 6.0.0', 'probes after 300s'] }],
      output: null,
    },
    {
      name: 'mongodb 5 (ESM default import) with keepAlive: false',
      code: `import mongodb from 'mongodb';\nconst client = new mongodb.MongoClient('mongodb://db:27017', { keepAlive: false });\n`,
      versions: versions({ mongodb: '5.9.2' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['TCP keepalive is off'] }],
      output: null,
    },
  ],
});
