import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ConstTable, fold, humanMs, optionsOf } from '../../rules/ts/fold.ts';
import { ImportTable } from '../../rules/ts/imports.ts';
import { mentionsClientModule } from '../../rules/ts/parse.ts';

/** Resolves the callee of the last `new X()` / `X()` in the code. */
function resolveLast(code: string): string | undefined {
  const sourceFile = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const table = new ImportTable(sourceFile);
  let last: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) || (ts.isCallExpression(node) && node.expression.kind !== ts.SyntaxKind.ImportKeyword && !(ts.isIdentifier(node.expression) && node.expression.text === 'require'))) last = node.expression;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const ref = last && table.resolve(last);
  return ref ? [ref.module, ...ref.path].join(':') : undefined;
}

describe('import forms', () => {
  const cases: [string, string | undefined][] = [
    [`import http from 'http'; new http.Agent();`, 'http:Agent'],
    [`import * as https from 'node:https'; new https.Agent();`, 'https:Agent'],
    [`import { Agent as A } from 'undici'; new A();`, 'undici:Agent'],
    [`import WebSocket from 'ws'; new WebSocket('x');`, 'ws:default'],
    [`import { default as Redis } from 'ioredis'; new Redis();`, 'ioredis:default'],
    [`const { Socket } = require('net'); new Socket();`, 'net:Socket'],
    [`const { Agent: KA } = require('agentkeepalive'); new KA();`, 'agentkeepalive:Agent'],
    [`const net = require('node:net'); net.connect(1);`, 'net:connect'],
    [`new (require('https').Agent)();`, 'https:Agent'],
    [`import tls = require('tls'); tls.connect(1);`, 'tls:connect'],
    [`const { connect } = await import('node:http2'); connect('x');`, 'http2:connect'],
    [`const grpc = await import('@grpc/grpc-js'); new grpc.Client('a', c);`, '@grpc/grpc-js:Client'],
    [`import http from 'http'; const Agent = http.Agent; new Agent();`, 'http:Agent'],
    [`import * as pg from 'pg'; new pg.default.Client();`, 'pg:default:Client'],
    [`import { Agent } from './local'; new Agent();`, './local:Agent'],
    [`let http = require('http'); http = other; new http.Agent();`, undefined],
    [`function f(Agent) { return new Agent(); }`, undefined],
  ];
  for (const [code, expected] of cases) {
    it(code, () => assert.equal(resolveLast(code), expected));
  }
});

describe('folding', () => {
  const valueOf = (code: string) => {
    const sourceFile = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
    const statement = sourceFile.statements[sourceFile.statements.length - 1] as ts.ExpressionStatement;
    return fold(statement.expression, new ConstTable(sourceFile));
  };

  it('folds numbers, separators, arithmetic and file consts', () => {
    assert.deepEqual(valueOf('30_000'), { kind: 'number', value: 30000 });
    assert.deepEqual(valueOf('(30 * 1000) + 5'), { kind: 'number', value: 30005 });
    assert.deepEqual(valueOf('const S = 1000; const M = 60 * S;\nM * 15'), { kind: 'number', value: 900000 });
    assert.deepEqual(valueOf("'30s'"), { kind: 'string', value: '30s' });
    assert.deepEqual(valueOf('true'), { kind: 'boolean', value: true });
  });

  it('is unknown for what it cannot see', () => {
    assert.equal(valueOf('let x = 5; x').kind, 'unknown');
    assert.equal(valueOf("import { D } from './c';\nD").kind, 'unknown');
    assert.equal(valueOf('Number(process.env.DELAY)').kind, 'unknown');
    assert.equal(valueOf('const a = 1;\nfunction f() { const a = 2; }\na').kind, 'unknown');
  });

  it('reads options objects and knows when a spread hides keys', () => {
    const sourceFile = ts.createSourceFile('x.ts', 'const base = {};\nconst o = { keepAlive: true, ...base, timeout: 5 };\no', ts.ScriptTarget.Latest, true);
    const consts = new ConstTable(sourceFile);
    const options = optionsOf((sourceFile.statements[2] as ts.ExpressionStatement).expression, consts);
    assert.ok(options !== 'absent' && options !== 'unknown');
    assert.deepEqual(options.get('timeout'), { kind: 'number', value: 5 });
    assert.equal(options.get('keepAliveMsecs').kind, 'unknown');
    assert.equal(options.open, true);
  });

  it("reads agentkeepalive's human durations", () => {
    assert.equal(humanMs({ kind: 'string', value: '30s' }), 30000);
    assert.equal(humanMs({ kind: 'string', value: '2h' }), 7200000);
    assert.equal(humanMs({ kind: 'string', value: '500' }), 500);
    assert.equal(humanMs({ kind: 'number', value: 10 }), 10);
    assert.equal(humanMs({ kind: 'string', value: 'soon' }), undefined);
  });
});

describe('the pre-check', () => {
  it('parses only files that name a client module', () => {
    assert.equal(mentionsClientModule(`import http from 'node:http';`), true);
    assert.equal(mentionsClientModule(`const x = require("@grpc/grpc-js")`), true);
    assert.equal(mentionsClientModule('import x from `ws`'), true);
    assert.equal(mentionsClientModule(`import { a } from './network';`), false);
    assert.equal(mentionsClientModule(`const s = 'the net result';`), false);
  });
});
