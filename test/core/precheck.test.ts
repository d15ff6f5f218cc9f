/**
 * The textual pre-check that keeps most of a monorepo unparsed must never skip a file the rules
 * could report on: whenever the import table binds a client module, the pre-check says yes. And it
 * stays linear on hostile text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { prng } from '../../bench/generate.mjs';
import { ImportTable, normaliseModule } from '../../rules/ts/imports.ts';
import { CLIENT_MODULES, mentionsClientModule } from '../../rules/ts/parse.ts';

describe('the client-module pre-check', () => {
  const cases: [string, boolean][] = [
    [`import http from 'node:http';`, true],
    [`import * as https from "https";`, true],
    [`import 'ws';`, true],
    [`export { Agent } from 'undici';`, true],
    [`import type { PoolConfig } from 'pg';`, true],
    [`const { Pool } = require('pg');`, true],
    [`const m = await import(\n  'node:net'\n);`, true],
    [`import tls = require('tls');`, true],
    [`import x from /* why */ '@grpc/grpc-js';`, true],
    [`import x from // why\n  'ioredis';`, true],
    [`const a = require?.('ws');`, true],
    [`const r = require ( "redis/dist/index.js" );`, true],
    [`new (require('https').Agent)();`, true],
    ['const s = require(`mongodb`);', true],
    [`requ\\u0069re('http');`, true],
    [`import { a } from './network';`, false],
    [`const s = 'the net result';`, false],
    [`const scheme = secure ? 'https' : 'http';`, false],
    [`switch (dialect) { case 'pg': case 'mysql2': return 1; }`, false],
    [`const url = 'ws://feed:8080'; fn('redis');`, false],
    [`import { http } from './http';`, false],
  ];
  for (const [code, expected] of cases) {
    it(`${expected ? 'parses' : 'skips'} ${JSON.stringify(code)}`, () => assert.equal(mentionsClientModule(code), expected));
  }

  it('says yes whenever the import table binds a client module (random programs)', () => {
    const r = prng(20_251_125);
    const gaps = [' ', '  ', '\n', '\t', ' /* c */ ', '/**/', ' // c\n', '\r\n', '\n\n  '];
    const gap = () => r.pick(gaps);
    const modules = [...CLIENT_MODULES, 'node:http', 'node:net', 'fs', 'path', './local', 'lodash', 'httpx', 'ws-client'];
    const forms = [
      (m: string) => `import x${gap()}from${gap()}'${m}';`,
      (m: string) => `import${gap()}*${gap()}as y${gap()}from${gap()}"${m}";`,
      (m: string) => `import${gap()}{ Agent as A }${gap()}from${gap()}'${m}';`,
      (m: string) => `const z = require${gap()}(${gap()}'${m}'${gap()});`,
      (m: string) => `const w = await import${gap()}(${gap()}'${m}');`,
      (m: string) => `import q = require${gap()}(${gap()}'${m}');`,
      (m: string) => `const v = require?.${gap()}('${m}');`,
      (m: string) => `const d = { kind: '${m}', list: ['${m}'] };`,
      (m: string) => `call('${m}', \`${m}\`);`,
      (m: string) => `// import x from '${m}'`,
    ];
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      const parts: string[] = [];
      for (let j = 0, n = r.int(1, 4); j < n; j++) parts.push(r.pick(forms)(r.pick(modules)));
      const code = parts.join(gap());
      const bound = new ImportTable(ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true)).modules;
      const client = [...bound].some((m) => (CLIENT_MODULES as readonly string[]).includes(normaliseModule(m)) || (CLIENT_MODULES as readonly string[]).includes(normaliseModule(m).replace(/\/.*$/, '')));
      if (client) {
        checked++;
        assert.equal(mentionsClientModule(code), true, code);
      }
    }
    assert.ok(checked > 1000, `${checked} programs bound a client module`);
  });

  it('stays linear on hostile text', () => {
    const texts = [
      `require${' '.repeat(2_000_000)}x'http'`,
      `${"\n'http'".repeat(300_000)}`,
      `${'a'.repeat(2_000_000)}\n'http'\n'https'`,
      `${"from /* 'http' ".repeat(100_000)}`,
      `${"x // c\n'ws' ".repeat(200_000)}`,
    ];
    for (const text of texts) {
      const started = performance.now();
      mentionsClientModule(text);
      // Linear work on a few megabytes is milliseconds; quadratic would be minutes.
      assert.ok(performance.now() - started < 5_000, `${text.slice(0, 30)}…`);
    }
  });
});
