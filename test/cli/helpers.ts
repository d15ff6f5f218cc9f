/** Shared pieces of the CLI tests: temporary project folders, a fake io, and the fixtures. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type CliIO } from '../../cli/run.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_CLI = join(REPO_ROOT, 'dist', 'cli.js');

const created: string[] = [];

/** A fresh folder under the OS temp folder, filled with `files` (path → text or bytes). */
export function project(files: Readonly<Record<string, string | Uint8Array>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'keepalive-lint-cli-'));
  created.push(dir);
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Readonly<Record<string, string | Uint8Array>>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Removes every folder made by project(); call it from an `after` hook. */
export function cleanup(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** How many times readStdin() was called. */
  readonly stdinReads: number;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly tty?: boolean;
  readonly env?: Record<string, string | undefined>;
  /** Called by --fix just before a fixed file replaces the one on disk. */
  readonly beforeFixWrite?: (path: string) => void;
}

/** Runs the CLI in-process with `cwd` as its working folder, capturing what it prints. */
export async function cli(cwd: string, argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let stdinReads = 0;
  const io: CliIO = {
    cwd,
    env: options.env ?? {},
    stdoutIsTTY: options.tty === true,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => {
      stdinReads++;
      return options.stdin ?? '';
    },
    ...(options.beforeFixWrite ? { beforeFixWrite: options.beforeFixWrite } : {}),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, stdinReads };
}

/** Runs the built executable as a real process. */
export function spawnCli(cwd: string, argv: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [DIST_CLI, ...argv], {
    cwd,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export interface EslintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fatal?: true;
  messageId?: string;
  fix?: { range: [number, number]; text: string };
  suggestions?: { desc: string; fix: { range: [number, number]; text: string } }[];
  relatedInformation?: { filePath: string; message: string; line: number; column: number; endLine: number; endColumn: number }[];
}

export interface EslintFileResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  output?: string;
}

export function parseJson(stdout: string): EslintFileResult[] {
  return JSON.parse(stdout) as EslintFileResult[];
}

export const MISSING = 'k8s/keepalive-sysctl-missing';
export const TOO_LONG = 'k8s/keepalive-sysctl-too-long';
export const INIT_UNPRIVILEGED = 'k8s/sysctl-init-unprivileged';
export const REJECTED = 'k8s/sysctl-rejected';

/**
 * The minimal flagged manifest. Positions (1-based) worked out by hand:
 * - line 13 `    spec:` (the pod template's spec key): columns 5–9 → the k8s/keepalive-sysctl-missing finding;
 * - line 19 `              value: http://api:8080`: the value spans columns 22–37 (evidence);
 * - line 24 `  name: api`: the Service name spans columns 9–12.
 */
export const FLAGGED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          env:
            - name: API_URL
              value: http://api:8080
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 8080
`;

/** The same workload split over two files: the Deployment here, the Service in SERVICE_ONLY. */
export const DEPLOYMENT_ONLY = FLAGGED.slice(0, FLAGGED.indexOf('---\n'));
export const SERVICE_ONLY = FLAGGED.slice(FLAGGED.indexOf('---\n') + 4);

/** A Deployment that calls nothing: no finding at all. */
export const CLEAN = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: quiet
spec:
  template:
    spec:
      containers:
        - name: quiet
          image: nginx
`;

/**
 * Errors only. Positions (1-based):
 * - line 10 `          - name: net.ipv4.tcp_keepalive_time`: the name entry spans 10:13–10:46 (k8s/sysctl-rejected on 1.28);
 * - line 11 `            value: "7200"`: the value spans 11:20–11:26 (k8s/keepalive-sysctl-too-long);
 * - line 13 `        - name: tune`: the init container's name entry spans 13:11–13:21 (k8s/sysctl-init-unprivileged);
 * - line 15: `1000` in the init container's command starts at column 66 (k8s/keepalive-sysctl-too-long).
 */
export const ERRORS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      securityContext:
        sysctls:
          - name: net.ipv4.tcp_keepalive_time
            value: "7200"
      initContainers:
        - name: tune
          image: busybox
          command: ["sysctl", "-w", "net.ipv4.tcp_keepalive_time=1000"]
      containers:
        - name: web
          image: nginx
`;

/** A Deployment with keepalive sysctls that Kubernetes < 1.29 rejects (clean on 1.29). */
export const SYSCTLS_SET = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      securityContext:
        sysctls:
          - name: net.ipv4.tcp_keepalive_time
            value: "60"
      containers:
        - name: web
          image: nginx
`;

/** Line `n` (1-based) of a text. */
export function lineOf(text: string, n: number): string {
  return text.split('\n')[n - 1] ?? '';
}
