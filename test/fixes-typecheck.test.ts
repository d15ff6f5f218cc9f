/**
 * Fixed code must compile: node-core fixtures are linted, their preferred fixes applied until stable,
 * and the result type-checked against @types/node with the compiler's full checker.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';
import { resolveConfig } from '../rules/config.ts';
import { fixUntilStable } from '../rules/fix.ts';
import { analyseCode, buildIndex, lintCode } from '../rules/lint.ts';
import { UNKNOWN_VERSIONS } from '../rules/node/versions.ts';

const fixtures = join(import.meta.dirname, 'fixtures', 'typecheck');

function typeErrors(files: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
    typeRoots: [join(import.meta.dirname, '..', 'node_modules', '@types')],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = files.get(name);
    return text !== undefined ? ts.createSourceFile(name, text, language, true) : getSourceFile(name, language, onError, create);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => `${d.file!.fileName}:${d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

it('node-core fixtures type-check before and after their fixes', () => {
  const config = resolveConfig({});
  assert.ok(config.ok);
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  let fixedFiles = 0;
  for (const name of readdirSync(fixtures).filter((n) => n.endsWith('.ts')).sort()) {
    const path = join(fixtures, name);
    const text = readFileSync(path, 'utf8');
    const lint = (source: string) => lintCode(analyseCode({ path, text: source }), buildIndex([]), config.config, UNKNOWN_VERSIONS).findings;
    assert.ok(lint(text).length > 0, `${name} should have findings`);
    const fixed = fixUntilStable(text, lint);
    if (fixed.text !== text) fixedFiles++;
    before.set(path, text);
    after.set(path.replace(/\.ts$/, '.fixed.ts'), fixed.text);
  }
  assert.ok(fixedFiles >= 1, 'no fixture was fixed');
  assert.deepEqual(typeErrors(before), [], 'fixtures must compile before fixing');
  assert.deepEqual(typeErrors(after), [], 'fixed fixtures must compile');
});
