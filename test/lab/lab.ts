/**
 * The NAT lab's network (the recipe of shared/notes/nat-lab.md): two client namespaces (pods), a
 * router that holds a virtual IP DNAT-ed to a server namespace, conntrack that forgets idle
 * connections after IDLE_TIMEOUT_S and picks up no mid-stream packets. TEST-NET addresses only, all
 * inside namespaces this process creates; every setting is per namespace, the host's are untouched.
 * Everything here is synchronous, so teardown also runs from signal and exit handlers.
 */
import { spawnSync } from 'node:child_process';

/**
 * The middlebox idle timeout T, scaled down from 900 s so that every default the cases depend on
 * falls on the same side of it as of 900 s: 1 s and 4 s below, 60 s (libuv's pre-connect keepalive,
 * undici's connect keepalive) below, 30 min and 7200 s above. See docs/truth-table.md.
 */
export const IDLE_TIMEOUT_S = 90;
/** net.ipv4.tcp_keepalive_time of the tuned pod: the pod sysctl, below T (the value the YAML fixes write). */
export const POD_KEEPALIVE_TIME_S = 60;

/** TEST-NET-2: the Service's virtual IP ("ClusterIP"), held by the router like kube-ipvs0. */
export const VIRTUAL_IP = '198.51.100.10';
/** TEST-NET-3: the server pod. */
export const SERVER_IP = '203.0.113.2';
const ROUTER_SERVER_SIDE = '203.0.113.1';
/** TEST-NET-1, split in two /30 links: one per client pod. */
const POD_LINKS = {
  default: { pod: '192.0.2.2', router: '192.0.2.1' },
  sysctl: { pod: '192.0.2.6', router: '192.0.2.5' },
} as const;

export const PORTS = { echo: 8080, http: 8081, h2: 8082, grpc: 8083, ws: 8084, tls: 8443 } as const;

export type Pod = keyof typeof POD_LINKS;

export interface LabNetwork {
  readonly namespaces: { readonly router: string; readonly server: string; readonly pods: Readonly<Record<Pod, string>> };
  /** The iptables binary that worked in the router namespace, with its version and backend. */
  readonly iptables: string;
}

/** Thrown when this machine cannot host the lab at all: the caller says so in one line and exits 0. */
export class LabUnavailable extends Error {}

const PREFIX = 'kllab';
const COMMAND_TIMEOUT_MS = 15_000;

function run(command: string, args: readonly string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`.trim();
  return { ok: result.status === 0, out };
}

function must(command: string, args: readonly string[]): string {
  const result = run(command, args);
  if (!result.ok) throw new Error(`lab setup: ${command} ${args.join(' ')} failed: ${result.out}`);
  return result.out;
}

/** Sets a sysctl inside a namespace through its /proc/sys (no procps needed), and reads it back. */
function sysctl(ns: string, key: string, value: number): void {
  const path = `/proc/sys/${key.replace(/\./g, '/')}`;
  must('ip', ['netns', 'exec', ns, 'sh', '-c', `echo ${value} > ${path}`]);
  const read = must('ip', ['netns', 'exec', ns, 'cat', path]);
  if (read.trim() !== String(value)) throw new Error(`lab setup: ${key} in ${ns} reads ${read}, expected ${value}`);
}

function listNamespaces(): string[] {
  const result = run('ip', ['netns', 'list']);
  return result.ok ? result.out.split('\n').map((line) => line.split(' ')[0]!).filter(Boolean) : [];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends the processes still inside a namespace (ours: the lab starts every one of them), then removes it. */
function removeNamespace(ns: string): void {
  const pids = run('ip', ['netns', 'pids', ns]);
  if (pids.ok) {
    for (const pid of pids.out.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  run('ip', ['netns', 'del', ns]);
}

/** Namespaces of an earlier lab run whose process died without cleaning up (SIGKILL, power loss). */
function removeOrphans(): void {
  for (const ns of listNamespaces()) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(ns);
    if (match && Number(match[1]) !== process.pid && !alive(Number(match[1]))) removeNamespace(ns);
  }
}

function ownNamespaces(): string[] {
  return listNamespaces().filter((ns) => ns.startsWith(`${PREFIX}${process.pid}-`));
}

/** Removes every namespace this process created (and what runs in them). Idempotent. */
export function teardown(): void {
  for (const ns of ownNamespaces()) removeNamespace(ns);
}

function findIptables(router: string): string {
  const rule = ['-t', 'nat', '-A', 'PREROUTING', '-d', `${VIRTUAL_IP}/32`, '-p', 'tcp', '-j', 'DNAT', '--to-destination', SERVER_IP];
  const tried: string[] = [];
  // Debian's default `iptables` is the nft backend; fall back to legacy when nft is not usable here.
  for (const binary of ['iptables', 'iptables-legacy', 'iptables-nft']) {
    const result = run('ip', ['netns', 'exec', router, binary, ...rule]);
    if (result.ok) return run(binary, ['-V']).out.split('\n')[0] || binary;
    tried.push(`${binary}: ${result.out.split('\n')[0] || 'failed'}`);
  }
  throw new LabUnavailable(`no working iptables (${tried.join('; ')})`);
}

/** Builds the network. Throws LabUnavailable when the machine cannot (not root, no netns, no iptables). */
export function createNetwork(): LabNetwork {
  if (process.platform !== 'linux') throw new LabUnavailable(`this is ${process.platform}, not Linux`);
  if (process.getuid?.() !== 0) throw new LabUnavailable('not running as root');
  if (!run('ip', ['-V']).ok) throw new LabUnavailable('no `ip` command (iproute2)');
  removeOrphans();
  const base = `${PREFIX}${process.pid}`;
  const namespaces = { router: `${base}-router`, server: `${base}-server`, pods: { default: `${base}-pod`, sysctl: `${base}-podsysctl` } };
  const first = run('ip', ['netns', 'add', namespaces.router]);
  if (!first.ok) throw new LabUnavailable(`cannot create a network namespace (${first.out})`);
  try {
    const { router, server, pods } = namespaces;
    must('ip', ['netns', 'add', server]);
    for (const pod of Object.values(pods)) must('ip', ['netns', 'add', pod]);
    // veth pairs are created inside the namespaces: nothing appears in the host's namespace.
    must('ip', ['-n', server, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'srv', 'netns', router]);
    must('ip', ['-n', server, 'addr', 'add', `${SERVER_IP}/24`, 'dev', 'eth0']);
    must('ip', ['-n', router, 'addr', 'add', `${ROUTER_SERVER_SIDE}/24`, 'dev', 'srv']);
    for (const [name, link] of Object.entries(POD_LINKS) as [Pod, (typeof POD_LINKS)[Pod]][]) {
      const ns = pods[name];
      const peer = `pod-${name}`; // the router's end of this pod's link
      must('ip', ['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', peer, 'netns', router]);
      must('ip', ['-n', ns, 'addr', 'add', `${link.pod}/30`, 'dev', 'eth0']);
      must('ip', ['-n', router, 'addr', 'add', `${link.router}/30`, 'dev', peer]);
      must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      must('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      must('ip', ['-n', router, 'link', 'set', peer, 'up']);
      must('ip', ['-n', ns, 'route', 'add', 'default', 'via', link.router]);
    }
    for (const ns of [router, server]) must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    must('ip', ['-n', server, 'link', 'set', 'eth0', 'up']);
    must('ip', ['-n', router, 'link', 'set', 'srv', 'up']);
    must('ip', ['-n', server, 'route', 'add', 'default', 'via', ROUTER_SERVER_SIDE]);
    // The virtual IP is local to the router, like kube-ipvs0: a packet that conntrack does not
    // translate reaches the router's own stack, which has no socket there and answers with RST.
    must('ip', ['-n', router, 'addr', 'add', `${VIRTUAL_IP}/32`, 'dev', 'lo']);
    sysctl(router, 'net.ipv4.ip_forward', 1);
    const iptables = findIptables(router); // adds the DNAT rule, which also starts conntrack here
    sysctl(router, 'net.netfilter.nf_conntrack_tcp_loose', 0); // no mid-stream pickup, as IPVS without sloppy_tcp
    sysctl(router, 'net.netfilter.nf_conntrack_tcp_timeout_established', IDLE_TIMEOUT_S);
    sysctl(pods.sysctl, 'net.ipv4.tcp_keepalive_time', POD_KEEPALIVE_TIME_S); // the pod sysctl
    return { namespaces, iptables };
  } catch (error) {
    teardown();
    throw error;
  }
}
