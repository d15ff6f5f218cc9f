/**
 * `npm run test:electron`: the standard extension-host suite (mocha + @vscode/test-electron) for
 * contributors whose machines can download VS Code. Where VS Code cannot be downloaded (or run), it
 * says so in one line and exits 0: it is not the project's editor proof — `npm run test:e2e` is.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const cache = join(root, '.vscode-test');
const PREFIX = 'test:electron:';

function skip(reason: string): never {
  process.stdout.write(`${PREFIX} skipped — ${reason}; the real-editor proof is \`npm run test:e2e\`\n`);
  process.exit(0);
}

function firstLine(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const text = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return text.split('\n')[0]!.slice(0, 200);
}

let testElectron: typeof import('@vscode/test-electron');
try {
  testElectron = await import('@vscode/test-electron');
} catch {
  skip('@vscode/test-electron is not installed (npm ci installs it)');
}

const cached = existsSync(cache) && readdirSync(cache).some((name) => name.startsWith('vscode-'));
if (!cached) {
  try {
    const response = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) skip(`VS Code cannot be downloaded here (update.code.visualstudio.com answered ${response.status})`);
  } catch (error) {
    skip(`VS Code cannot be downloaded here (update.code.visualstudio.com: ${firstLine(error)})`);
  }
}
if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) skip('no display to run VS Code on (run it under xvfb-run)');

const suite = join(root, 'dist', 'test-electron', 'index.cjs');
await build({
  entryPoints: [join(root, 'test', 'electron', 'suite', 'index.ts')],
  outfile: suite,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});

let vscodeExecutablePath: string;
try {
  vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode({ cachePath: cache });
} catch (error) {
  skip(`VS Code cannot be downloaded here (${firstLine(error)})`);
}
const code = await testElectron
  .runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [join(root, 'examples'), '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  })
  .then(
    () => 0,
    (error: unknown) => {
      process.stderr.write(`${PREFIX} the extension-host suite failed: ${firstLine(error)}\n`);
      return 1;
    },
  );
process.exit(code);
