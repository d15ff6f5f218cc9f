/** Temporary workspaces for the language-server tests. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEPLOYMENT = `apiVersion: apps/v1
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
            - name: BACKEND_URL
              value: http://backend:8080
`;
/** Where k8s/keepalive-sysctl-missing reports DEPLOYMENT: the pod template's `spec` key (0-based). */
export const DEPLOYMENT_FINDING = { start: { line: 12, character: 4 }, end: { line: 12, character: 8 } };

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: backend
spec:
  selector:
    app: backend
  ports:
    - port: 8080
`;

/** A pod that lowers tcp_keepalive_time to `seconds`: fine under T=900, too long under T=300. */
export function podWithKeepalive(seconds: number): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: worker
spec:
  securityContext:
    sysctls:
      - name: net.ipv4.tcp_keepalive_time
        value: "${seconds}"
  containers:
    - name: worker
      image: busybox
`;
}

export const TS_CLIENT = `import http from 'node:http';

export function makeAgent() {
  return new http.Agent({ keepAlive: true, keepAliveMsecs: 3_600_000 });
}
`;
/** Where node/http-agent-keepalive reports TS_CLIENT. */
export const TS_FINDING_LINE = 3;

export class Workspace {
  readonly root: string;

  constructor(files: Record<string, string> = {}) {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'kl-lsp-')));
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }

  path(name: string): string {
    return join(this.root, name);
  }

  write(name: string, text: string): string {
    const path = this.path(name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  }

  remove(name: string): string {
    const path = this.path(name);
    rmSync(path, { force: true });
    return path;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
