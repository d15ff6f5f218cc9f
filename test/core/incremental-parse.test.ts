/**
 * Re-parsing from the previous parse (the language server's path on each keystroke) must give what a
 * parse from scratch gives: the same tree, the same problem and the same findings with the same fixes,
 * over chains of random edits — in strings, comments and template literals, at the start and the end,
 * edits that add or remove a client import, and edits that break the syntax.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { prng } from '../../bench/generate.mjs';
import { resolveConfig } from '../../rules/config.ts';
import { analyseCode, buildIndex, lintCode, type AnalysedCode, type FileLintResult } from '../../rules/lint.ts';
import { UNKNOWN_VERSIONS } from '../../rules/node/versions.ts';
import { isCodePath, parseTsFile, reparseTsFile, textChange } from '../../rules/ts/parse.ts';
import { seedCases } from '../helpers/fuzz.ts';

type Rng = ReturnType<typeof prng>;

const resolved = resolveConfig({});
if (!resolved.ok) throw new Error('default config does not resolve');
const config = resolved.config;
const index = buildIndex([]);

/** Text typed or pasted: single characters that open or close constructs, and whole client snippets. */
const INSERTS = [
  'x',
  ' ',
  '\n',
  '{',
  '}',
  '(',
  ')',
  '[',
  "'",
  '"',
  '`',
  '${',
  '/*',
  '*/',
  '//',
  ';',
  ',',
  '.',
  '=',
  '0',
  '30_000',
  'const ',
  'await ',
  'socket',
  '\r\n',
  '\u{1F600}',
  "import WebSocket from 'ws';\n",
  "import http from 'node:http';\n",
  "const net = require('net');\n",
  'export const extra = new http.Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });\n',
  "export const feed = new WebSocket('ws://feed:8080');\n",
  'socket.setKeepAlive(true, 500);\n',
  'setInterval(() => ws.ping(), 30_000);\n',
  "'http'",
  "'ws'",
  '`${x}`',
];

/** Offsets where edits are most likely to confuse an incremental parser: in and next to strings, comments and templates. */
function interestingOffsets(text: string): number[] {
  const offsets = [0, text.length];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '{' || c === '}' || (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*'))) offsets.push(i, i + 1);
  }
  return offsets;
}

function offset(r: Rng, text: string): number {
  return r.chance(0.5) ? Math.min(text.length, r.pick(interestingOffsets(text))) : r.int(0, text.length);
}

/**
 * One random edit that mostly keeps the file parsing (most keystrokes in an editor do, and a file
 * with a syntax error is parsed from scratch next time), and breaks it one time in five.
 */
function edit(r: Rng, path: string, text: string): string {
  const breaks = r.chance(0.2);
  let candidate = anyEdit(r, text);
  for (let attempt = 0; attempt < 20 && !breaks && parseTsFile({ path, text: candidate }).problem; attempt++) candidate = anyEdit(r, text);
  return candidate;
}

/** An insertion, a deletion, a replacement, or a client module renamed (so the pre-check flips). */
function anyEdit(r: Rng, text: string): string {
  const at = offset(r, text);
  switch (r.int(0, 7)) {
    case 0:
    case 1:
    case 2:
      return text.slice(0, at) + r.pick(INSERTS) + text.slice(at);
    case 3:
    case 4:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + r.logInt(1, 200)));
    case 5:
    case 6:
      return text.slice(0, at) + r.pick(INSERTS) + text.slice(Math.min(text.length, at + r.int(1, 12)));
    default: {
      const modules = [...text.matchAll(/(['"])(?:node:)?(ws|http|https|net|tls|http2|pg|ioredis|redis|mongodb|mysql2|undici|@grpc\/grpc-js)\1/g)];
      if (modules.length === 0) return text.slice(0, at) + "import http from 'http';\n" + text.slice(at);
      const match = r.pick(modules);
      const renamed = match[2] === 'ws' ? 'wx' : `${match[2]}-local`;
      return text.slice(0, match.index + 1) + renamed + text.slice(match.index + match[0].length - 1);
    }
  }
}

/** Flags the compiler computes lazily and caches on a node: a reused node may have them set already. */
const CACHED_FLAGS = ts.NodeFlags.HasAggregatedChildData | ts.NodeFlags.ThisNodeOrAnySubNodesHasError;

/** Every node's kind, range and flags, with its parent's: what the rules see of a tree. */
function shape(sourceFile: ts.SourceFile): string {
  const parts: string[] = [];
  const visit = (node: ts.Node, parent: ts.Node): void => {
    assert.equal(node.parent, parent, `parent of ${ts.SyntaxKind[node.kind]} at ${node.pos}`);
    parts.push(`${node.kind}:${node.pos}-${node.end}:${node.flags & ~CACHED_FLAGS}`);
    ts.forEachChild(node, (child) => visit(child, node));
  };
  ts.forEachChild(sourceFile, (child) => visit(child, sourceFile));
  return parts.join(' ');
}

/** The result with rule failures reduced to their ids: their stacks hold paths and line numbers of this run. */
function comparable(result: FileLintResult): unknown {
  return { ...result, ruleFailures: result.ruleFailures.map((failure) => failure.ruleId) };
}

const seeds = seedCases().filter((seed) => isCodePath(seed.path));

describe('textChange', () => {
  it('spans exactly the edit, without the prefix and suffix overlapping in repeated text', () => {
    const cases: [string, string, number, number, number][] = [
      ['abc', 'abc', 3, 0, 0],
      ['aa', 'aaa', 2, 0, 1],
      ['aaa', 'aa', 2, 1, 0],
      ['abab', 'ab', 2, 2, 0],
      ['', 'x', 0, 0, 1],
      ['x', '', 0, 1, 0],
      ['abcdef', 'abXYef', 2, 2, 2],
      ['ab', 'ba', 0, 2, 2],
    ];
    for (const [before, after, start, length, newLength] of cases) {
      const change = textChange(before, after);
      assert.deepEqual([change.span.start, change.span.length, change.newLength], [start, length, newLength], `${before} → ${after}`);
      // Applying the change to the old text gives the new text.
      assert.equal(before.slice(0, start) + after.slice(start, start + newLength) + before.slice(start + length), after);
    }
  });

  it('never splits a surrogate pair', () => {
    const change = textChange('a\u{1F600}b', 'a\u{1F601}b');
    assert.deepEqual([change.span.start, change.span.length, change.newLength], [1, 2, 2]);
  });
});

describe('incremental re-parse', () => {
  it('reuses nothing it should not: an unchanged text gives the previous parse, another path parses afresh', () => {
    const text = "import http from 'http';\nexport const a = new http.Agent({ keepAlive: true });\n";
    const first = parseTsFile({ path: 'a.ts', text });
    assert.equal(reparseTsFile(first, { path: 'a.ts', text }), first);
    const other = reparseTsFile(first, { path: 'b.js', text });
    assert.notEqual(other.sourceFile, first.sourceFile);
    assert.equal(other.sourceFile.fileName, 'b.js');
  });

  it('parses a file with a problem afresh', () => {
    const broken = parseTsFile({ path: 'a.ts', text: "import http from 'http';\nconst = ;\n" });
    assert.ok(broken.problem);
    const fixed = reparseTsFile(broken, { path: 'a.ts', text: "import http from 'http';\nconst a = 1;\n" });
    assert.equal(fixed.problem, undefined);
    assert.equal(shape(fixed.sourceFile), shape(parseTsFile({ path: 'a.ts', text: "import http from 'http';\nconst a = 1;\n" }).sourceFile));
  });

  for (const seed of seeds) {
    it(`gives the findings, fixes and tree of a parse from scratch after random edits: ${seed.name}`, () => {
      const r = prng(seed.name.length * 7919 + seed.text.length);
      let text = seed.text;
      let previous: AnalysedCode = analyseCode({ path: seed.path, text });
      let reused = 0;
      let lastGood = text;
      for (let step = 0; step < 150; step++) {
        // Now and then start over from the seed: long chains drift into text no rule looks at.
        // Back to a text that parses, now and then, as the user finishes what they were typing.
        const stuck = previous.file === undefined || previous.file.problem !== undefined;
        const next = step % 50 === 49 ? seed.text : stuck && r.chance(0.6) ? lastGood : edit(r, seed.path, text);
        const incremental = analyseCode({ path: seed.path, text: next }, previous);
        const scratch = analyseCode({ path: seed.path, text: next });
        const where = `${seed.name}, step ${step}`;
        assert.equal(incremental.file === undefined, scratch.file === undefined, `${where}: pre-check`);
        if (incremental.file && scratch.file) {
          if (previous.file && !previous.file.problem) reused++;
          assert.deepEqual(incremental.file.problem, scratch.file.problem, `${where}: problem`);
          assert.equal(shape(incremental.file.sourceFile), shape(scratch.file.sourceFile), `${where}: tree`);
        }
        const expected = comparable(lintCode(scratch, index, config, UNKNOWN_VERSIONS));
        assert.deepEqual(comparable(lintCode(incremental, index, config, UNKNOWN_VERSIONS)), expected, `${where}: findings`);
        // Linting the same analysis again gives the same answer: nothing was cached on a node that went stale.
        assert.deepEqual(comparable(lintCode(incremental, index, config, UNKNOWN_VERSIONS)), expected, `${where}: second lint`);
        text = next;
        previous = incremental;
        if (incremental.file && !incremental.file.problem) lastGood = next;
      }
      // The chains must exercise the incremental parser, not only the fallbacks.
      assert.ok(reused >= 30, `${seed.name}: only ${reused} incremental parses`);
    });
  }
});
