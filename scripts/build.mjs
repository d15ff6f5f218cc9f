// Bundles each adapter's entry into dist/. Runs from `prepare`, so `npm ci` leaves a working CLI.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';

const entries = [
  { in: 'cli/main.ts', out: 'dist/cli.js', bin: true },
  { in: 'server/main.ts', out: 'dist/server.js', bin: true },
];

for (const entry of entries.filter((e) => existsSync(e.in))) {
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    logLevel: 'warning',
    // Some dependencies are CommonJS and call require() or read __filename/__dirname (typescript
    // does at load time); give the ESM bundle all three.
    banner: {
      js:
        `${entry.bin ? '#!/usr/bin/env node\n' : ''}import { createRequire as __klCreateRequire } from 'node:module'; ` +
        `import { fileURLToPath as __klFileURLToPath } from 'node:url'; import { dirname as __klDirname } from 'node:path'; ` +
        `const require = __klCreateRequire(import.meta.url); const __filename = __klFileURLToPath(import.meta.url); const __dirname = __klDirname(__filename);`,
    },
  });
  if (entry.bin) chmodSync(entry.out, 0o755);
}

// The VS Code extension's client: CommonJS, as the extension host loads it with require(); `.cjs`
// because this package is "type": "module" (a CommonJS `.js` here would be read as ESM). `vscode` is
// provided by the host. It starts dist/server.js above.
if (existsSync('client/extension.ts')) {
  await build({
    entryPoints: ['client/extension.ts'],
    outfile: 'dist/client.cjs',
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
