/** The `keepalive-lint` executable: wires the process to cli/run.ts and sets the exit code. */
import { run } from './run.ts';
import { isLintWorker, serveLintWorker } from './worker.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

if (isLintWorker()) {
  // Large runs start this same script on worker threads (cli/engine.ts).
  serveLintWorker();
} else {
  const code = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin,
  });
  process.exitCode = code;
}
