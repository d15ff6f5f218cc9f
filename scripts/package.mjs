// `npm run package`: builds client and server with esbuild and packs the VS Code extension with
// @vscode/vsce (offline: --no-dependencies, everything is bundled). Prints the .vsix path and size and
// fails when it is over 5 MB or misses a file the extension needs.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
const LIMIT = 5 * 1024 * 1024;
const REQUIRED = ['extension/package.json', 'extension/dist/client.cjs', 'extension/dist/server.js', 'extension/icon.png', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt'];

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--out', out], { cwd: root, stdio: 'inherit', env: { ...process.env, VSCE_TELEMETRY: 'false' } });
if (result.status !== 0) process.exit(result.status ?? 1);

// The entries of the zip, read from its central directory (no unzip needed).
const zip = readFileSync(out);
const entries = [];
const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
let at = zip.readUInt32LE(end + 16);
for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
  const nameLength = zip.readUInt16LE(at + 28);
  entries.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
  at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
}
const missing = REQUIRED.filter((entry) => !entries.some((e) => e.toLowerCase() === entry.toLowerCase()));
const size = statSync(out).size;
process.stdout.write(`${out}: ${(size / 1024 / 1024).toFixed(2)} MB, ${entries.length} files (${entries.join(', ')})\n`);
if (missing.length > 0) {
  process.stderr.write(`package: the .vsix lacks ${missing.join(', ')}\n`);
  process.exit(1);
}
if (size > LIMIT) {
  process.stderr.write(`package: the .vsix is over 5 MB; check .vscodeignore\n`);
  process.exit(1);
}
