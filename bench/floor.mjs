// The parse floor: read every file and parse it with the parsers keepalive-lint uses, with the same
// options, and nothing else. This is the unavoidable cost of analysing every file.
//
//   node bench/floor.mjs ROOT [--count-only]
//
// Walks ROOT like the CLI does (skipping node_modules and .git), reads each .yaml/.yml and TS/JS
// file, decodes it as UTF-8, and parses it: yaml's parseAllDocuments, or ts.createSourceFile with
// parent pointers (as rules/ts/parse.ts does). Prints {"ms": …, "files": …, "bytes": …} on stdout.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

const started = performance.now();
const root = process.argv[2];
const CODE = /\.(?:[cm]?[tj]s|[tj]sx)$/;
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile() && (/\.ya?ml$/.test(entry.name) || (CODE.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)))) files.push(path);
  }
};
walk(root);

function scriptKind(path) {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

if (process.argv.includes('--count-only')) {
  // For the benchmark's table: how many files and bytes, nothing parsed.
  let total = 0;
  for (const path of files) total += statSync(path).size;
  process.stdout.write(`${JSON.stringify({ files: files.length, bytes: total })}\n`);
  process.exit(0);
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
let bytes = 0;
let nodes = 0;
for (const path of files) {
  const buffer = readFileSync(path);
  bytes += buffer.length;
  const text = decoder.decode(buffer);
  if (/\.ya?ml$/.test(path)) {
    nodes += parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, keepSourceTokens: false }).length;
  } else {
    nodes += ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path)).statements.length;
  }
}
process.stdout.write(`${JSON.stringify({ ms: Math.round(performance.now() - started), files: files.length, bytes, nodes })}\n`);
