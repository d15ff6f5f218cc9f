// The index update alone, for bench/run.mjs: the server's WorkspaceIndex indexes the tree, then one
// manifest is rewritten (a Service renamed, and back) and `refresh` — the walk check, reading and
// parsing the file, replacing its facts — is timed. Prints JSON. Run with `node --import tsx`.
import { readFileSync, writeFileSync } from 'node:fs';
import { WorkspaceIndex } from '../server/workspace.ts';

const [root, target, countArg] = process.argv.slice(2);
if (!root || !target) throw new Error('usage: index-update.ts <workspace folder> <manifest> [count]');
const count = Number(countArg ?? 100);
const WARMUP = 20;
const index = new WorkspaceIndex({ configFor: async () => undefined, openYaml: () => [], log: () => undefined });
index.setFolders([root]);
await index.scan();
const original = readFileSync(target, 'utf8');
const name = /kind: Service\nmetadata:\n  name: (\S+)/.exec(original)?.[1];
if (!name) throw new Error(`${target}: no Service to rename`);
const namespace = /namespace: (\S+)/.exec(original)?.[1] ?? 'default';
const renamed = original.replace(/kind: Service\nmetadata:\n  name: (\S+)/, 'kind: Service\nmetadata:\n  name: $1-renamed');
const times: number[] = [];
try {
  for (let i = 0; i < count + WARMUP; i++) {
    const rename = i % 2 === 0;
    writeFileSync(target, rename ? renamed : original);
    const started = performance.now();
    const changed = await index.refresh(target);
    const ms = performance.now() - started;
    // The figure only counts if the index now answers the new way.
    const lookup = index.indexFor(target);
    if (!changed || (lookup.service(namespace, `${name}-renamed`) !== undefined) !== rename) throw new Error(`the index did not follow edit ${i + 1}`);
    if (i >= WARMUP) times.push(ms);
  }
} finally {
  writeFileSync(target, original);
}
times.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ files: index.size, samples: times.length, p50: times[Math.floor(times.length / 2)], max: times.at(-1) })}\n`);
