/**
 * `keepalive-lint-server`: the language server executable. `--stdio` (editors in general),
 * `--node-ipc` (VS Code) or `--socket=PORT`, as vscode-languageserver reads them from argv.
 */
import { readFileSync } from 'node:fs';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { isIndexWorker, serveIndexWorker } from './index-worker.ts';
import { KeepaliveLintServer } from './server.ts';

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

if (isIndexWorker()) serveIndexWorker();
else serve();

function serve(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: keepalive-lint-server --stdio | --node-ipc | --socket=PORT\n\nThe keepalive-lint language server (LSP).\n');
    process.exit(0);
  }
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
    process.exit(0);
  }

  const connection = createConnection(ProposedFeatures.all);
  // Bad input never takes the server down: whatever escapes a handler is logged, and the server carries on.
  process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  new KeepaliveLintServer(connection, { version: packageVersion() }).listen();
}
