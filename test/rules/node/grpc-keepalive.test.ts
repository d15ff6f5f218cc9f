import rule from '../../../rules/node/grpc-keepalive.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { versions } from '../../helpers/versions.ts';


const PINGS = `{ 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 }`;

ruleTester(rule, {
  valid: [
    {
      name: 'keepalive pings below T, also between calls',
      code: `import * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), ${PINGS});\n`,
    },
    {
      name: 'an idle timeout below T closes the idle connection',
      code: `import { Channel, credentials } from '@grpc/grpc-js';\nexport const channel = new Channel('api:50051', credentials.createSsl(), { 'grpc.client_idle_timeout_ms': 5 * 60 * 1000 });\n`,
    },
    {
      name: 'options held in a const literal',
      code: `import * as grpc from '@grpc/grpc-js';\nconst KEEPALIVE = { 'grpc.keepalive_time_ms': 60 * 1000, 'grpc.keepalive_permit_without_calls': 1 } as const;\nexport const channel = new grpc.Channel('api:50051', grpc.credentials.createSsl(), KEEPALIVE);\n`,
    },
    {
      name: 'a spread in the options: cannot know',
      code: `import * as grpc from '@grpc/grpc-js';\nimport { baseOptions } from './config';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { ...baseOptions, 'grpc.max_receive_message_length': 1024 });\n`,
    },
    {
      name: 'options from a parameter: cannot know',
      code: `import * as grpc from '@grpc/grpc-js';\nexport function connect(options: grpc.ChannelOptions) {\n  return new grpc.Client('api:50051', grpc.credentials.createInsecure(), options);\n}\n`,
    },
    {
      name: 'options from a call: cannot know',
      code: `import * as grpc from '@grpc/grpc-js';\nimport { channelOptions } from './config';\nnew grpc.Channel('api:50051', grpc.credentials.createInsecure(), channelOptions());\n`,
    },
    {
      name: 'a keepalive time from an import: cannot know',
      code: `import * as grpc from '@grpc/grpc-js';\nimport { PING_MS } from './config';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': PING_MS, 'grpc.keepalive_permit_without_calls': 1 });\n`,
    },
    {
      name: 'an idle timeout from the environment: cannot know',
      code: `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.client_idle_timeout_ms': Number(process.env.GRPC_IDLE_MS) });\n`,
    },
    {
      name: 'a generated client with credentials from a parameter is not recognisable',
      code: `import type { ChannelCredentials } from '@grpc/grpc-js';\nimport { GreeterClient } from './generated';\nexport function make(creds: ChannelCredentials) {\n  return new GreeterClient('api:50051', creds);\n}\n`,
    },
    {
      name: 'credentials of another library',
      code: `import * as grpc from '@grpc/grpc-js';\nimport { credentials } from './my-credentials';\nimport { Thing } from './thing';\nnew Thing('api:50051', credentials.createInsecure());\nexport const server = new grpc.Server();\n`,
    },
    { name: 'a grpc-js Server is not a client', code: `import { Server, ServerCredentials } from '@grpc/grpc-js';\nconst server = new Server({ 'grpc.keepalive_time_ms': 3_600_000 });\n` },
    { name: 'another Client class', code: `import { Client } from 'pg';\nimport '@grpc/grpc-js';\nconst db = new Client({ host: 'db' });\n` },
    {
      name: 'created and closed in the same function',
      code: `import * as grpc from '@grpc/grpc-js';\nexport async function ping(address: string) {\n  const client = new grpc.Client(address, grpc.credentials.createInsecure());\n  await new Promise((resolve) => client.waitForReady(Date.now() + 1000, resolve));\n  client.close();\n}\n`,
    },
    {
      name: 'a longer T: the default 30 min idle timeout is below iptables 86400 s',
      code: `import * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure());\n`,
      config: { middleboxes: ['iptables'] },
    },
    {
      name: 'suppressed on the line',
      code: `import * as grpc from '@grpc/grpc-js';\n// keepalive-lint-disable-next-line node/grpc-keepalive\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure());\n`,
    },
    {
      name: 'suppressed in the file',
      code: `/* keepalive-lint-disable-file */\nimport * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure());\n`,
    },
    {
      name: 'no grpc-js import at all',
      code: `import { GreeterClient, credentials } from './generated';\nimport 'ws';\nnew GreeterClient('api:50051', credentials.createInsecure());\n`,
    },
  ],
  invalid: [
    {
      name: 'namespace import, no options: an options argument is appended',
      code: `import * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure());\n`,
      errors: [
        {
          messageId: 'unsafe',
          line: 2,
          column: 16,
          endLine: 2,
          endColumn: 31,
          messageIncludes: [
            'new grpc.Client(…)',
            '(@grpc/grpc-js)',
            "'grpc.keepalive_time_ms' is not set",
            '(b) idle sockets are closed after 1800s',
            '(c) no heartbeat',
            'T=900s',
            'version not found, newest defaults assumed',
            'GOAWAY too_many_pings',
          ],
          suggestions: [`import * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.client_idle_timeout_ms': 450_000 });\n`],
        },
      ],
      output: `import * as grpc from '@grpc/grpc-js';\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), ${PINGS});\n`,
    },
    {
      name: 'default import, a generated client from another file, double quotes',
      code: `import grpc from "@grpc/grpc-js";\nimport { GreeterClient } from "./generated/greeter";\n\nexport const greeter = new GreeterClient("greeter:50051", grpc.credentials.createSsl());\n`,
      errors: [{ messageId: 'unsafe', line: 4, column: 24, endColumn: 41, messageIncludes: ['service client `new GreeterClient(…)`'] }],
      output: `import grpc from "@grpc/grpc-js";\nimport { GreeterClient } from "./generated/greeter";\n\nexport const greeter = new GreeterClient("greeter:50051", grpc.credentials.createSsl(), { "grpc.keepalive_time_ms": 30_000, "grpc.keepalive_permit_without_calls": 1 });\n`,
    },
    {
      name: 'aliased named import, ChannelCredentials, a keepalive time above T in multiline options',
      code: `import { Channel as GrpcChannel, ChannelCredentials } from '@grpc/grpc-js';\n\nconst channel = new GrpcChannel('dns:///api:443', ChannelCredentials.createSsl(), {\n  'grpc.keepalive_time_ms': 20 * 60 * 1000,\n});\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 17, messageIncludes: ['gRPC channel', "'grpc.keepalive_time_ms' is 1_200_000", "'grpc.keepalive_permit_without_calls' not set"] }],
      output: `import { Channel as GrpcChannel, ChannelCredentials } from '@grpc/grpc-js';\n\nconst channel = new GrpcChannel('dns:///api:443', ChannelCredentials.createSsl(), {\n  'grpc.keepalive_time_ms': 30_000,\n  'grpc.keepalive_permit_without_calls': 1,\n});\n`,
    },
    {
      name: 'require with destructuring: pings below T only during calls',
      path: '/project/src/client.js',
      code: `const { Client, credentials } = require('@grpc/grpc-js');\nconst client = new Client('api:50051', credentials.createInsecure(), { 'grpc.keepalive_time_ms': 30000 });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ["'grpc.keepalive_time_ms' is 30_000", 'pings are only sent while a call is active', '(c) no heartbeat'] }],
      output: `const { Client, credentials } = require('@grpc/grpc-js');\nconst client = new Client('api:50051', credentials.createInsecure(), { 'grpc.keepalive_time_ms': 30000, 'grpc.keepalive_permit_without_calls': 1 });\n`,
    },
    {
      name: 'keepalive_permit_without_calls: true is not 1',
      code: `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 60_000, 'grpc.keepalive_permit_without_calls': true });\n`,
      errors: [{ messageId: 'unsafe', line: 2, column: 1, messageIncludes: ['true (grpc-js only accepts the number 1)'] }],
      output: `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 60_000, 'grpc.keepalive_permit_without_calls': 1 });\n`,
    },
    {
      name: 'a makeGenericClientConstructor class in the same file',
      code: `import * as grpc from '@grpc/grpc-js';\nconst Greeter = grpc.makeGenericClientConstructor({}, 'Greeter');\nexport const client = new Greeter('api:50051', insecure());\nfunction insecure() { return grpc.credentials.createInsecure(); }\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 23, endColumn: 34 }],
      output: `import * as grpc from '@grpc/grpc-js';\nconst Greeter = grpc.makeGenericClientConstructor({}, 'Greeter');\nexport const client = new Greeter('api:50051', insecure(), ${PINGS});\nfunction insecure() { return grpc.credentials.createInsecure(); }\n`,
    },
    {
      name: 'import = require, grpc-js before 1.9 has no idle timeout',
      code: `import grpc = require('@grpc/grpc-js');\nconst channel = new grpc.Channel('api:50051', grpc.credentials.createInsecure(), {});\n`,
      versions: versions({ '@grpc/grpc-js': '1.8.21' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 17, messageIncludes: ['(@grpc/grpc-js 1.8.21)', 'grpc-js before 1.9 has no idle timeout', '(b) idle sockets are never closed'] }],
      output: `import grpc = require('@grpc/grpc-js');\nconst channel = new grpc.Channel('api:50051', grpc.credentials.createInsecure(), ${PINGS});\n`,
    },
    {
      name: 'dynamic import, a known version from 1.9 on',
      code: `const grpc = await import('@grpc/grpc-js');\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure());\n`,
      versions: versions({ '@grpc/grpc-js': '1.10.6' }),
      errors: [{ messageId: 'unsafe', line: 2, column: 16, messageIncludes: ['(@grpc/grpc-js 1.10.6)', 'default 30 min since grpc-js 1.9)', 'closed after 1800s'] }],
      output: `const grpc = await import('@grpc/grpc-js');\nconst client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), ${PINGS});\n`,
    },
    {
      name: 'a service of loadPackageDefinition',
      code: `import * as grpc from '@grpc/grpc-js';\nimport * as protoLoader from '@grpc/proto-loader';\n\nconst definition = protoLoader.loadSync('greeter.proto');\nconst proto = grpc.loadPackageDefinition(definition) as any;\nconst creds = makeCreds();\nexport const client = new proto.helloworld.Greeter('greeter:50051', creds);\n`,
      errors: [{ messageId: 'unsafe', line: 7, column: 23, endColumn: 51 }],
      output: `import * as grpc from '@grpc/grpc-js';\nimport * as protoLoader from '@grpc/proto-loader';\n\nconst definition = protoLoader.loadSync('greeter.proto');\nconst proto = grpc.loadPackageDefinition(definition) as any;\nconst creds = makeCreds();\nexport const client = new proto.helloworld.Greeter('greeter:50051', creds, ${PINGS});\n`,
    },
    {
      name: 'an idle timeout above T: both fixes',
      code: `import { Client, credentials } from '@grpc/grpc-js';\nnew Client('api:50051', credentials.createInsecure(), { 'grpc.client_idle_timeout_ms': 3_600_000 });\n`,
      errors: [
        {
          messageId: 'unsafe',
          line: 2,
          column: 1,
          messageIncludes: ["'grpc.client_idle_timeout_ms' is 3_600_000", 'closed after 3600s'],
          suggestions: [`import { Client, credentials } from '@grpc/grpc-js';\nnew Client('api:50051', credentials.createInsecure(), { 'grpc.client_idle_timeout_ms': 450_000 });\n`],
        },
      ],
      output: `import { Client, credentials } from '@grpc/grpc-js';\nnew Client('api:50051', credentials.createInsecure(), { 'grpc.client_idle_timeout_ms': 3_600_000, 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 });\n`,
    },
    {
      name: 'a class extending grpc.Client in the same file',
      code: `import * as grpc from '@grpc/grpc-js';\nclass InventoryClient extends grpc.Client {}\nconst inventory = new InventoryClient(process.env.INVENTORY_ADDR!, channelCredentials);\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 19 }],
      output: `import * as grpc from '@grpc/grpc-js';\nclass InventoryClient extends grpc.Client {}\nconst inventory = new InventoryClient(process.env.INVENTORY_ADDR!, channelCredentials, ${PINGS});\n`,
    },
    {
      name: 'credentials through a const and compose(), options argument undefined',
      code: `import { credentials } from '@grpc/grpc-js';\nimport { PaymentsClient } from './gen/payments_grpc_pb';\n\nconst channelCreds = credentials.createSsl();\nconst creds = channelCreds.compose(callCreds);\nconst payments = new PaymentsClient('payments:443', creds, undefined);\n`,
      errors: [{ messageId: 'unsafe', line: 6, column: 18 }],
      output: `import { credentials } from '@grpc/grpc-js';\nimport { PaymentsClient } from './gen/payments_grpc_pb';\n\nconst channelCreds = credentials.createSsl();\nconst creds = channelCreds.compose(callCreds);\nconst payments = new PaymentsClient('payments:443', creds, ${PINGS});\n`,
    },
    {
      name: 'new (require(...).Client) with ChannelCredentials from require',
      path: '/project/src/client.cjs',
      code: `const client = new (require('@grpc/grpc-js').Client)('api:50051', require('@grpc/grpc-js').ChannelCredentials.createInsecure());\n`,
      errors: [{ messageId: 'unsafe', line: 1, column: 16, endColumn: 53 }],
      output: `const client = new (require('@grpc/grpc-js').Client)('api:50051', require('@grpc/grpc-js').ChannelCredentials.createInsecure(), ${PINGS});\n`,
    },
    {
      name: 'a tighter T from the config: pings every 300 s are too slow for 240 s',
      code: `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 300_000, 'grpc.keepalive_permit_without_calls': 1 });\n`,
      config: { middleboxes: ['azure-lb'] },
      errors: [
        {
          messageId: 'unsafe',
          line: 2,
          column: 1,
          messageIncludes: ['T=240s', '(c) a heartbeat every 300s', "below 240s (the fix writes 30_000)"],
          suggestions: [
            `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 300_000, 'grpc.keepalive_permit_without_calls': 1, 'grpc.client_idle_timeout_ms': 120_000 });\n`,
          ],
        },
      ],
      output: `import * as grpc from '@grpc/grpc-js';\nnew grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 });\n`,
    },
    {
      name: 'two clients sharing one options const: one edit fixes both',
      code: `import * as grpc from '@grpc/grpc-js';\nconst options = { 'grpc.max_receive_message_length': 1024 };\nconst a = new grpc.Client('a:50051', grpc.credentials.createInsecure(), options);\nconst b = new grpc.Client('b:50051', grpc.credentials.createInsecure(), options);\n`,
      errors: [
        { messageId: 'unsafe', line: 3, column: 11 },
        { messageId: 'unsafe', line: 4, column: 11 },
      ],
      output: `import * as grpc from '@grpc/grpc-js';\nconst options = { 'grpc.max_receive_message_length': 1024, 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 };\nconst a = new grpc.Client('a:50051', grpc.credentials.createInsecure(), options);\nconst b = new grpc.Client('b:50051', grpc.credentials.createInsecure(), options);\n`,
    },
    {
      name: 'a long-lived client stored in a field',
      code: `import * as grpc from '@grpc/grpc-js';\nexport class Api {\n  private readonly client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': -1 });\n}\n`,
      errors: [{ messageId: 'unsafe', line: 3, column: 29, messageIncludes: ["'grpc.keepalive_time_ms' is -1, which disables keepalive pings"] }],
      output: `import * as grpc from '@grpc/grpc-js';\nexport class Api {\n  private readonly client = new grpc.Client('api:50051', grpc.credentials.createInsecure(), { 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_permit_without_calls': 1 });\n}\n`,
    },
  ],
});
