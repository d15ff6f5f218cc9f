/**
 * Evidence that a workload talks to a Service through kube-proxy: host tokens in what its containers
 * are given (env, args, command, ConfigMap/Secret data they read or mount) that name a ClusterIP
 * Service, a `*.svc[.cluster.local]` host, or a `$(X_SERVICE_HOST)` variable.
 */
import type { Node } from 'yaml';
import type { OffsetRange } from '../types.ts';
import { nodeRange } from '../yaml/ast.ts';
import type { ProjectLookup, Service, Workload } from './model.ts';

export interface Evidence {
  /** The host as written (`redis:6379`, `$(REDIS_SERVICE_HOST)`). */
  readonly token: string;
  /** Where the workload got it: `env REDIS_ADDR`, `args`, `ConfigMap app-config key DB_URL`. */
  readonly via: string;
  readonly path: string;
  readonly range: OffsetRange;
  readonly service?: Service;
}

interface Candidate {
  readonly text: string;
  /** The env name or flag the text was given under: listen/bind addresses are not peers. */
  readonly label: string | undefined;
  readonly via: string;
  readonly path: string;
  readonly range: OffsetRange;
}

const SERVICE_HOST_VARIABLE = /\$(?:\(|\{)?([A-Z][A-Z0-9_]*)_SERVICE_HOST\b/;
const LISTEN_LABEL = /listen|bind/i;
/** Keys whose values are names, not addresses: `MYSQL_DATABASE=wordpress`, `OTEL_SERVICE_NAME=frontend`. */
const NAME_LIKE_LABEL =
  /(?:^|[_.-])(?:database|db|db_?name|schema|user(?:name)?|password|passwd|secret|token|key|bucket|topic|queue|table|index|realm|tenant|role|id|namespace|group|channel|app|env|environment|mode|level|type|kind|version|prefix|path|file|dir|image|label|(?<!host[_.-])name)$/i;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export interface HostToken {
  readonly host: string;
  /** Written as `host:port` or `scheme://host`: a connection target, not just a word. */
  readonly shaped: boolean;
  /** The token is the whole value (`REDIS_HOST=redis`). */
  readonly whole: boolean;
}

/** The hosts named in a free-text value, whole tokens only. */
export function hostTokens(text: string): HostToken[] {
  const tokens: HostToken[] = [];
  const trimmed = text.trim();
  // Parentheses and braces stay inside tokens: `redis:$(REDIS_PORT)`, `api.$(NS).svc` are one token each.
  for (const raw of text.split(/[\s,;"'`=<>|\[\]\\]+/)) {
    const parsed = hostOf(raw);
    if (parsed) tokens.push({ ...parsed, whole: raw === trimmed });
  }
  return tokens;
}

function hostOf(piece: string): { host: string; shaped: boolean } | undefined {
  let rest = piece.trim();
  if (!rest) return undefined;
  const schemed = SCHEME.exec(rest);
  if (schemed) rest = rest.slice(schemed[0].length);
  const slash = rest.search(/[/?#]/);
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  // Without a scheme, `a/b` is a path, unless it reads `host:port/…`.
  if (!schemed && slash >= 0 && !/:\d+$/.test(authority)) return undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) return undefined; // IPv6 literal
  let port = false;
  const colon = authority.indexOf(':');
  if (colon >= 0) {
    // `host:port` or `host:$(PORT)`; anything else (`key:value`, `image:tag`) is no host.
    if (!/^(\d{1,5}|\$\([A-Za-z0-9_]+\)|\$\{[A-Za-z0-9_]+\})$/.test(authority.slice(colon + 1))) return undefined;
    authority = authority.slice(0, colon);
    port = true;
  }
  const host = authority.replace(/\.$/, '').toLowerCase();
  if (!host || host.length > 253) return undefined;
  const labels = host.split('.');
  if (!labels.every((label) => DNS_LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined; // an IPv4 address or a number
  return { host, shaped: port || schemed !== null };
}

function isSelf(service: Service, workload: Workload): boolean {
  if (service.namespace !== workload.resource.namespace || service.selector.size === 0) return false;
  for (const [key, value] of service.selector) if (workload.podLabels.get(key) !== value) return false;
  return true;
}

type Verdict = { readonly evidence: true; readonly service?: Service } | { readonly evidence: false };

/** Whether one host is evidence of a kube-proxy-routed connection from this workload. */
export function judgeHost(host: string, workload: Workload, index: ProjectLookup): Verdict {
  const labels = host.split('.');
  const serviceVerdict = (service: Service | undefined): Verdict | undefined => {
    if (!service) return undefined;
    if (service.headless || service.externalName || isSelf(service, workload)) return { evidence: false };
    return { evidence: true, service };
  };
  const ns = workload.resource.namespace;
  const clusterSuffix = host.endsWith('.svc.cluster.local') ? 3 : host.endsWith('.svc') ? 1 : 0;
  const nameLabels = labels.slice(0, labels.length - clusterSuffix);
  if (clusterSuffix === 0) {
    if (labels.length === 1) return serviceVerdict(index.service(ns, labels[0]!)) ?? { evidence: false };
    if (labels.length === 2) return serviceVerdict(index.service(labels[1]!, labels[0]!)) ?? { evidence: false };
    return { evidence: false };
  }
  if (nameLabels.length === 2) {
    return serviceVerdict(index.service(nameLabels[1]!, nameLabels[0]!)) ?? { evidence: true };
  }
  // pod.svc.ns.svc: the DNS name of one pod behind a headless Service, reached without kube-proxy.
  if (nameLabels.length === 3) return { evidence: false };
  return nameLabels.length >= 1 ? { evidence: true } : { evidence: false };
}

export function findEvidence(workload: Workload, index: ProjectLookup, limit = 5): Evidence[] {
  const found: Evidence[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates(workload, index)) {
    if (candidate.label && LISTEN_LABEL.test(candidate.label)) continue;
    const variable = SERVICE_HOST_VARIABLE.exec(candidate.text);
    if (variable) {
      push(found, seen, { token: variable[0], via: candidate.via, path: candidate.path, range: candidate.range });
    }
    for (const { host, shaped, whole } of hostTokens(candidate.text)) {
      // A lone word names a host only when it is the whole value or written host:port / scheme://host;
      // otherwise `wordpress` in prose, a dashboard or a database name would count.
      if (!host.includes('.') && !shaped && (!whole || (candidate.label && NAME_LIKE_LABEL.test(candidate.label)))) continue;
      const verdict = judgeHost(host, workload, index);
      if (verdict.evidence) {
        push(found, seen, { token: host, via: candidate.via, path: candidate.path, range: candidate.range, ...(verdict.service ? { service: verdict.service } : {}) });
      }
    }
    if (found.length >= limit) break;
  }
  return found.slice(0, limit);
}

function push(found: Evidence[], seen: Set<string>, evidence: Evidence): void {
  const key = `${evidence.token}@${evidence.path}:${evidence.range.start}`;
  if (seen.has(key)) return;
  seen.add(key);
  found.push(evidence);
}

/** Every string a workload's long-running containers are given, with where it came from. */
function* candidates(workload: Workload, index: ProjectLookup): Generator<Candidate> {
  const { ctx, podSpec } = workload;
  const ns = workload.resource.namespace;
  const path = ctx.path;
  const at = (node: Node | null | undefined): OffsetRange => nodeRange(node) ?? workload.resource.range;
  const configEntries = function* (kind: 'ConfigMap' | 'Secret', name: string | undefined, key: string | undefined, how: string): Generator<Candidate> {
    if (!name) return;
    for (const entry of index.configs(kind, ns, name).flatMap((source) => source.entries)) {
      if (key !== undefined && entry.key !== key) continue;
      yield { text: entry.value, label: entry.key, via: `${kind} ${name} key ${entry.key} (${how})`, path: entry.path, range: entry.range };
    }
  };
  const volumes = new Map<string, { kind: 'ConfigMap' | 'Secret'; name: string }[]>();
  for (const volume of ctx.items(ctx.getSeq(podSpec, 'volumes'))) {
    const volumeMap = ctx.map(volume);
    const volumeName = ctx.getString(volumeMap, 'name');
    if (!volumeName) continue;
    const sources: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
    const configMapName = ctx.getString(ctx.getMap(volumeMap, 'configMap'), 'name');
    if (configMapName) sources.push({ kind: 'ConfigMap', name: configMapName });
    const secretName = ctx.getString(ctx.getMap(volumeMap, 'secret'), 'secretName');
    if (secretName) sources.push({ kind: 'Secret', name: secretName });
    for (const projected of ctx.items(ctx.getSeq(ctx.getMap(volumeMap, 'projected'), 'sources'))) {
      const projectedMap = ctx.map(projected);
      const cm = ctx.getString(ctx.getMap(projectedMap, 'configMap'), 'name');
      if (cm) sources.push({ kind: 'ConfigMap', name: cm });
      const secret = ctx.getString(ctx.getMap(projectedMap, 'secret'), 'name');
      if (secret) sources.push({ kind: 'Secret', name: secret });
    }
    volumes.set(volumeName, sources);
  }

  // Init containers connect once and exit, so their own env and args are no evidence; but the
  // config they mount is often rendered for the main container (redis-ha's haproxy), so it is.
  for (const containerNode of ctx.items(ctx.getSeq(podSpec, 'initContainers'))) {
    yield* mountedConfig(ctx.map(containerNode));
  }
  function* mountedConfig(container: ReturnType<typeof ctx.map>): Generator<Candidate> {
    for (const mountNode of ctx.items(ctx.getSeq(container, 'volumeMounts'))) {
      const volumeName = ctx.getString(ctx.map(mountNode), 'name');
      for (const source of (volumeName && volumes.get(volumeName)) || []) {
        yield* configEntries(source.kind, source.name, undefined, `volume ${volumeName}`);
      }
    }
  }
  for (const containerNode of ctx.items(ctx.getSeq(podSpec, 'containers'))) {
    const container = ctx.map(containerNode);
    if (!container) continue;
    for (const envNode of ctx.items(ctx.getSeq(container, 'env'))) {
      const env = ctx.map(envNode);
      const name = ctx.getString(env, 'name');
      const valueNode = ctx.get(env, 'value');
      const value = ctx.string(valueNode);
      if (value !== undefined) {
        yield { text: value, label: name, via: `env ${name ?? '?'}`, path, range: at(valueNode) };
        continue;
      }
      const valueFrom = ctx.getMap(env, 'valueFrom');
      const cmRef = ctx.getMap(valueFrom, 'configMapKeyRef');
      if (cmRef) yield* configEntries('ConfigMap', ctx.getString(cmRef, 'name'), ctx.getString(cmRef, 'key') ?? '', `env ${name ?? '?'}`);
      const secretRef = ctx.getMap(valueFrom, 'secretKeyRef');
      if (secretRef) yield* configEntries('Secret', ctx.getString(secretRef, 'name'), ctx.getString(secretRef, 'key') ?? '', `env ${name ?? '?'}`);
    }
    for (const fromNode of ctx.items(ctx.getSeq(container, 'envFrom'))) {
      const from = ctx.map(fromNode);
      yield* configEntries('ConfigMap', ctx.getString(ctx.getMap(from, 'configMapRef'), 'name'), undefined, 'envFrom');
      yield* configEntries('Secret', ctx.getString(ctx.getMap(from, 'secretRef'), 'name'), undefined, 'envFrom');
    }
    for (const key of ['command', 'args'] as const) {
      let previousFlag: string | undefined;
      for (const argNode of ctx.items(ctx.getSeq(container, key))) {
        const arg = ctx.string(argNode);
        if (arg === undefined) continue;
        const flag = /^--?([A-Za-z0-9][\w.-]*)=/.exec(arg)?.[1];
        yield { text: arg, label: flag ?? previousFlag, via: key, path, range: at(argNode) };
        previousFlag = /^--?[A-Za-z][\w.-]*$/.test(arg) ? arg : undefined;
      }
    }
    yield* mountedConfig(container);
  }
}
