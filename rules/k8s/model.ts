/**
 * The Kubernetes model: what each YAML file declares (workloads, Services, ConfigMaps/Secrets,
 * Namespaces, kube-proxy configuration), and the index of everything linted together so that a
 * workload in one file resolves the Service or ConfigMap it uses in another.
 */
import { isMap, parseDocument, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { OffsetRange } from '../types.ts';
import { nodeRange, type DocContext } from '../yaml/ast.ts';
import type { ParsedYamlFile } from '../yaml/parse.ts';

export const DEFAULT_NAMESPACE = 'default';

type Map = YAMLMap<unknown, unknown>;

export interface K8sResource {
  readonly ctx: DocContext;
  readonly node: Map;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string;
  readonly metadata: Map | undefined;
  readonly range: OffsetRange;
}

export interface Workload {
  readonly resource: K8sResource;
  readonly ctx: DocContext;
  /** The pod spec map, and the `spec` pair that holds it (reported by k8s/keepalive-sysctl-missing). */
  readonly podSpec: Map;
  readonly podSpecPair: Pair<Scalar, unknown>;
  readonly podLabels: ReadonlyMap<string, string>;
  /** Annotations of the workload object and of its pod template. */
  readonly annotations: readonly { key: string; value: string }[];
  readonly hostNetwork: boolean;
}

export interface Service {
  readonly name: string;
  readonly namespace: string;
  readonly headless: boolean;
  readonly externalName: boolean;
  readonly type: string;
  readonly selector: ReadonlyMap<string, string>;
  readonly path: string;
  readonly range: OffsetRange;
}

export interface ConfigEntry {
  readonly key: string;
  readonly value: string;
  readonly path: string;
  readonly range: OffsetRange;
}

export interface ConfigSource {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly namespace: string;
  readonly entries: readonly ConfigEntry[];
}

export interface NamespaceInfo {
  readonly name: string;
  /** `pod-security.kubernetes.io/enforce`: privileged (the default), baseline or restricted. */
  readonly enforceLevel?: string;
  readonly enforceVersion?: { readonly value: string; readonly path: string; readonly range: OffsetRange };
}

export interface KubeProxyTimeout {
  readonly seconds: number;
  readonly path: string;
  readonly range: OffsetRange;
}

/** What one file contributes to the project index. Cheap to recompute when the file changes. */
export interface FileFacts {
  readonly path: string;
  readonly resources: readonly K8sResource[];
  readonly workloads: readonly Workload[];
  readonly services: readonly Service[];
  readonly configs: readonly ConfigSource[];
  readonly namespaces: readonly NamespaceInfo[];
  readonly kubeProxy: readonly KubeProxyTimeout[];
}

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

export function extractFacts(file: ParsedYamlFile): FileFacts {
  const resources: K8sResource[] = [];
  for (const ctx of file.docs) collectResources(ctx, ctx.map(ctx.doc.contents), resources, 0);
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const configs: ConfigSource[] = [];
  const namespaces: NamespaceInfo[] = [];
  const kubeProxy: KubeProxyTimeout[] = [];
  for (const resource of resources) {
    const workload = toWorkload(resource);
    if (workload) workloads.push(workload);
    switch (resource.kind) {
      case 'Service': {
        const service = toService(resource);
        if (service) services.push(service);
        break;
      }
      case 'ConfigMap':
      case 'Secret': {
        const config = toConfigSource(resource);
        if (config) {
          configs.push(config);
          const proxy = kubeProxyFromConfigMap(config);
          if (proxy) kubeProxy.push(proxy);
        }
        break;
      }
      case 'Namespace': {
        const ns = toNamespace(resource);
        if (ns) namespaces.push(ns);
        break;
      }
      case 'KubeProxyConfiguration': {
        const proxy = kubeProxyFromResource(resource);
        if (proxy) kubeProxy.push(proxy);
        break;
      }
    }
  }
  return { path: file.path, resources, workloads, services, configs, namespaces, kubeProxy };
}

function collectResources(ctx: DocContext, node: Map | undefined, out: K8sResource[], depth: number): void {
  if (!node || depth > 4) return;
  const kind = ctx.getString(node, 'kind');
  if (!kind) return;
  const items = ctx.getSeq(node, 'items');
  if (items && (kind === 'List' || kind.endsWith('List'))) {
    for (const item of ctx.items(items)) if (isMap(item)) collectResources(ctx, item, out, depth + 1);
    return;
  }
  const metadata = ctx.getMap(node, 'metadata');
  const namespace = ctx.getString(metadata, 'namespace');
  out.push({
    ctx,
    node,
    kind,
    name: ctx.getString(metadata, 'name'),
    namespace: namespace && namespace.length > 0 ? namespace : DEFAULT_NAMESPACE,
    metadata,
    range: nodeRange(node) ?? { start: 0, end: 0 },
  });
}

/** Finds the pod template of any workload kind, including CRDs that embed one (Argo Rollout). */
function locatePodTemplate(resource: K8sResource): { metadata: Map | undefined; specPair: Pair<Scalar, unknown> } | undefined {
  const { ctx, node, kind } = resource;
  if (kind === 'Pod') {
    const specPair = ctx.pair(node, 'spec');
    return specPair ? { metadata: resource.metadata, specPair } : undefined;
  }
  let template: Map | undefined;
  if (kind === 'PodTemplate') template = ctx.getMap(node, 'template');
  else if (kind === 'CronJob') template = ctx.getMap(ctx.getMap(ctx.getMap(ctx.getMap(node, 'spec'), 'jobTemplate'), 'spec'), 'template');
  else template = ctx.getMap(ctx.getMap(node, 'spec'), 'template');
  if (!template) return undefined;
  const specPair = ctx.pair(template, 'spec');
  if (!specPair) return undefined;
  // A CRD counts only when its template really is a pod template.
  if (!POD_TEMPLATE_KINDS.has(kind) && kind !== 'CronJob' && kind !== 'PodTemplate' && !ctx.getSeq(ctx.map(specPair.value), 'containers')) {
    return undefined;
  }
  return { metadata: ctx.getMap(template, 'metadata'), specPair };
}

function toWorkload(resource: K8sResource): Workload | undefined {
  const located = locatePodTemplate(resource);
  if (!located) return undefined;
  const { ctx } = resource;
  const podSpec = ctx.map(located.specPair.value);
  if (!podSpec || !ctx.getSeq(podSpec, 'containers')) return undefined;
  const podLabels = new globalThis.Map<string, string>();
  for (const entry of ctx.stringEntries(ctx.getMap(located.metadata, 'labels'))) podLabels.set(entry.key, entry.value);
  const annotations = [resource.metadata, located.metadata === resource.metadata ? undefined : located.metadata].flatMap((meta) =>
    ctx.stringEntries(ctx.getMap(meta, 'annotations')).map(({ key, value }) => ({ key, value })),
  );
  return {
    resource,
    ctx,
    podSpec,
    podSpecPair: located.specPair,
    podLabels,
    annotations,
    hostNetwork: ctx.getString(podSpec, 'hostNetwork') === 'true',
  };
}

function toService(resource: K8sResource): Service | undefined {
  const { ctx, name } = resource;
  if (!name) return undefined;
  const spec = ctx.getMap(resource.node, 'spec');
  const type = ctx.getString(spec, 'type') ?? 'ClusterIP';
  const clusterIP = ctx.getString(spec, 'clusterIP');
  const selector = new globalThis.Map<string, string>();
  for (const entry of ctx.stringEntries(ctx.getMap(spec, 'selector'))) selector.set(entry.key, entry.value);
  const namePair = ctx.pair(resource.metadata, 'name');
  return {
    name,
    namespace: resource.namespace,
    type,
    headless: clusterIP === 'None' && type !== 'ExternalName',
    externalName: type === 'ExternalName',
    selector,
    path: ctx.path,
    range: nodeRange(namePair?.value) ?? resource.range,
  };
}

function decodeBase64(value: string): string | undefined {
  try {
    const binary = atob(value.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function toConfigSource(resource: K8sResource): ConfigSource | undefined {
  const { ctx, name } = resource;
  if (!name) return undefined;
  const kind = resource.kind as 'ConfigMap' | 'Secret';
  const entries: ConfigEntry[] = [];
  for (const key of ['data', 'stringData']) {
    const encoded = kind === 'Secret' && key === 'data';
    for (const entry of ctx.stringEntries(ctx.getMap(resource.node, key))) {
      const value = encoded ? decodeBase64(entry.value) : entry.value;
      if (value === undefined) continue;
      entries.push({ key: entry.key, value, path: ctx.path, range: nodeRange(entry.valueNode) ?? nodeRange(entry.keyNode) ?? resource.range });
    }
  }
  return { kind, name, namespace: resource.namespace, entries };
}

function toNamespace(resource: K8sResource): NamespaceInfo | undefined {
  const { ctx, name } = resource;
  if (!name) return undefined;
  const labels = ctx.getMap(resource.metadata, 'labels');
  const level = ctx.getString(labels, 'pod-security.kubernetes.io/enforce');
  const pair = ctx.pair(labels, 'pod-security.kubernetes.io/enforce-version');
  const value = ctx.string(pair?.value);
  const base = level === undefined ? { name } : { name, enforceLevel: level };
  if (!pair || value === undefined) return base;
  return { ...base, enforceVersion: { value, path: ctx.path, range: nodeRange(pair.value) ?? resource.range } };
}

/** Go durations as kube-proxy writes them: "900s", "15m0s", "1h". Undefined when not a duration. */
export function parseGoDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };
  const pattern = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = pattern.exec(trimmed); match; match = pattern.exec(trimmed)) {
    total += Number(match[1]) * unit[match[2]!]!;
    consumed = pattern.lastIndex;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

function kubeProxyTimeout(ctx: DocContext, config: Map | undefined): { seconds: number; node: unknown } | undefined {
  if (!config || ctx.getString(config, 'mode') !== 'ipvs') return undefined;
  const pair = ctx.pair(ctx.getMap(config, 'ipvs'), 'tcpTimeout');
  const text = ctx.string(pair?.value);
  if (!pair || text === undefined) return undefined;
  const seconds = parseGoDurationSeconds(text);
  // 0 means "keep the node's value": the kernel default, which the ipvs profile already is.
  if (seconds === undefined || seconds < 1) return undefined;
  return { seconds: Math.floor(seconds), node: pair.value };
}

function kubeProxyFromResource(resource: K8sResource): KubeProxyTimeout | undefined {
  const found = kubeProxyTimeout(resource.ctx, resource.node);
  if (!found) return undefined;
  return { seconds: found.seconds, path: resource.ctx.path, range: nodeRange(found.node) ?? resource.range };
}

/** kubeadm keeps the KubeProxyConfiguration as text under `config.conf` in the kube-proxy ConfigMap. */
function kubeProxyFromConfigMap(config: ConfigSource): KubeProxyTimeout | undefined {
  if (config.kind !== 'ConfigMap') return undefined;
  for (const entry of config.entries) {
    if (!/KubeProxyConfiguration/.test(entry.value)) continue;
    const doc = parseDocument(entry.value, { prettyErrors: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) continue;
    let data: Record<string, unknown> | null;
    try {
      data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
    } catch {
      continue; // an alias bomb (more than 100 aliases to expand) or other hostile text: not a usable config
    }
    if (!data || data['kind'] !== 'KubeProxyConfiguration' || data['mode'] !== 'ipvs') continue;
    const ipvs = data['ipvs'] as Record<string, unknown> | undefined;
    const timeout = ipvs?.['tcpTimeout'];
    const seconds = typeof timeout === 'string' ? parseGoDurationSeconds(timeout) : undefined;
    if (seconds !== undefined && seconds >= 1) return { seconds: Math.floor(seconds), path: entry.path, range: entry.range };
  }
  return undefined;
}

/** What a file adds to the project index: plain data without the syntax tree, so it can cross threads and outlive the parse. */
export type IndexFacts = Pick<FileFacts, 'path' | 'services' | 'configs' | 'namespaces' | 'kubeProxy'>;

export function indexFacts(facts: IndexFacts): IndexFacts {
  return { path: facts.path, services: facts.services, configs: facts.configs, namespaces: facts.namespaces, kubeProxy: facts.kubeProxy };
}

/** The questions rules ask of everything linted together. */
export interface ProjectLookup {
  /** The tightest IPVS idle timeout of the kube-proxy configurations in the set. */
  readonly kubeProxy: KubeProxyTimeout | undefined;
  /** The first definition of that Service, in file order. */
  service(namespace: string, name: string): Service | undefined;
  /** Every definition of that ConfigMap or Secret in the set (overlays may define one twice), in file order. */
  configs(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): readonly ConfigSource[];
  /** The last definition of that Namespace, in file order. */
  namespace(name: string): NamespaceInfo | undefined;
}

/** An entry of a lookup table: `rank` is its file's place in file order, `seq` its place in the file. */
interface Ranked<T> {
  readonly rank: number;
  readonly seq: number;
  readonly value: T;
}

function insertRanked<T>(table: globalThis.Map<string, Ranked<T>[]>, key: string, entry: Ranked<T>): void {
  const list = table.get(key);
  if (!list) {
    table.set(key, [entry]);
    return;
  }
  let at = list.length;
  while (at > 0 && (list[at - 1]!.rank > entry.rank || (list[at - 1]!.rank === entry.rank && list[at - 1]!.seq > entry.seq))) at--;
  list.splice(at, 0, entry);
}

function removeRanked<T>(table: globalThis.Map<string, Ranked<T>[]>, key: string, rank: number): void {
  const list = table.get(key);
  if (!list) return;
  const kept = list.filter((entry) => entry.rank !== rank);
  if (kept.length === 0) table.delete(key);
  else table.set(key, kept);
}

const serviceKey = (namespace: string, name: string): string => `${namespace}/${name}`;
const configKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/**
 * Everything linted together, resolved together. Updated by difference: `set` replaces one file's
 * facts and `delete` drops them, at a cost proportional to that file, so an editor keeps one index
 * for a whole workspace and changes it on each keystroke or file event. A file keeps its place in
 * file order when it is replaced; a new file goes last.
 */
export class ProjectIndex implements ProjectLookup {
  private readonly files = new globalThis.Map<string, { readonly rank: number; readonly facts: IndexFacts }>();
  private nextRank = 0;
  private readonly servicesByKey = new globalThis.Map<string, Ranked<Service>[]>();
  private readonly configsByKey = new globalThis.Map<string, Ranked<ConfigSource>[]>();
  private readonly namespacesByName = new globalThis.Map<string, Ranked<NamespaceInfo>[]>();
  /** Files that hold a kube-proxy configuration: few, so the tightest is found by a scan. */
  private readonly kubeProxyFiles = new Set<string>();
  private kubeProxyCache: { value: KubeProxyTimeout | undefined } | undefined;
  private changes = 0;

  /** Files given twice (the same path) count as one file, in the place of the first. */
  constructor(facts: readonly IndexFacts[] = []) {
    const byPath = new globalThis.Map<string, IndexFacts>();
    for (const file of facts) {
      const seen = byPath.get(file.path);
      byPath.set(
        file.path,
        seen
          ? {
              path: file.path,
              services: [...seen.services, ...file.services],
              configs: [...seen.configs, ...file.configs],
              namespaces: [...seen.namespaces, ...file.namespaces],
              kubeProxy: [...seen.kubeProxy, ...file.kubeProxy],
            }
          : file,
      );
    }
    for (const file of byPath.values()) this.set(file);
  }

  /** Bumped by every change: what a cache of lint results keys on. */
  get revision(): number {
    return this.changes;
  }

  get size(): number {
    return this.files.size;
  }

  /** Adds a file's facts, or replaces the facts of a file already in the index (keeping its place). */
  set(facts: IndexFacts): void {
    const previous = this.files.get(facts.path);
    const rank = previous?.rank ?? this.nextRank++;
    if (previous) this.unlink(previous.rank, previous.facts);
    const file = indexFacts(facts);
    this.files.set(file.path, { rank, facts: file });
    file.services.forEach((value, seq) => insertRanked(this.servicesByKey, serviceKey(value.namespace, value.name), { rank, seq, value }));
    file.configs.forEach((value, seq) => insertRanked(this.configsByKey, configKey(value.kind, value.namespace, value.name), { rank, seq, value }));
    file.namespaces.forEach((value, seq) => insertRanked(this.namespacesByName, value.name, { rank, seq, value }));
    if (file.kubeProxy.length > 0) this.kubeProxyFiles.add(file.path);
    this.changed();
  }

  delete(path: string): boolean {
    const previous = this.files.get(path);
    if (!previous) return false;
    this.unlink(previous.rank, previous.facts);
    this.files.delete(path);
    this.changed();
    return true;
  }

  private unlink(rank: number, facts: IndexFacts): void {
    for (const service of facts.services) removeRanked(this.servicesByKey, serviceKey(service.namespace, service.name), rank);
    for (const config of facts.configs) removeRanked(this.configsByKey, configKey(config.kind, config.namespace, config.name), rank);
    for (const ns of facts.namespaces) removeRanked(this.namespacesByName, ns.name, rank);
    this.kubeProxyFiles.delete(facts.path);
  }

  private changed(): void {
    this.changes++;
    this.kubeProxyCache = undefined;
  }

  get kubeProxy(): KubeProxyTimeout | undefined {
    this.kubeProxyCache ??= { value: this.tightestKubeProxy() };
    return this.kubeProxyCache.value;
  }

  /**
   * Several kube-proxy configs (one per node pool): the tightest applies; on a tie, the first in file
   * order. `replaced` stands in for the file of its path (at `rank`).
   */
  tightestKubeProxy(replaced?: { readonly rank: number; readonly facts: IndexFacts }): KubeProxyTimeout | undefined {
    let best: { rank: number; value: KubeProxyTimeout } | undefined;
    const consider = (rank: number, list: readonly KubeProxyTimeout[]): void => {
      for (const proxy of list) if (!best || proxy.seconds < best.value.seconds || (proxy.seconds === best.value.seconds && rank < best.rank)) best = { rank, value: proxy };
    };
    for (const path of this.kubeProxyFiles) {
      if (path === replaced?.facts.path) continue;
      const file = this.files.get(path)!;
      consider(file.rank, file.facts.kubeProxy);
    }
    if (replaced) consider(replaced.rank, replaced.facts.kubeProxy);
    return best?.value;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.servicesByKey.get(serviceKey(namespace, name))?.[0]?.value;
  }

  configs(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): readonly ConfigSource[] {
    return this.configsByKey.get(configKey(kind, namespace, name))?.map((entry) => entry.value) ?? [];
  }

  namespace(name: string): NamespaceInfo | undefined {
    return this.namespacesByName.get(name)?.at(-1)?.value;
  }

  /** This index with one file's facts in place of its own (a fix candidate being checked), without copying it. */
  withFile(facts: IndexFacts): ProjectLookup {
    return new ReplacedFileLookup(this, this.files.get(facts.path)?.rank ?? this.nextRank, facts);
  }

  /** For ReplacedFileLookup: the raw ranked entries. */
  ranked(): {
    services: ReadonlyMap<string, readonly Ranked<Service>[]>;
    configs: ReadonlyMap<string, readonly Ranked<ConfigSource>[]>;
    namespaces: ReadonlyMap<string, readonly Ranked<NamespaceInfo>[]>;
  } {
    return { services: this.servicesByKey, configs: this.configsByKey, namespaces: this.namespacesByName };
  }
}

/** A view of an index with one file replaced. The file keeps the rank it has in the index. */
class ReplacedFileLookup implements ProjectLookup {
  readonly kubeProxy: KubeProxyTimeout | undefined;

  constructor(
    private readonly base: ProjectIndex,
    private readonly rank: number,
    private readonly file: IndexFacts,
  ) {
    this.kubeProxy = base.tightestKubeProxy({ rank, facts: file });
  }

  private merged<T>(list: readonly Ranked<T>[] | undefined, own: readonly T[]): Ranked<T>[] {
    const out = (list ?? []).filter((entry) => entry.rank !== this.rank);
    own.forEach((value, seq) => out.push({ rank: this.rank, seq, value }));
    return out.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
  }

  service(namespace: string, name: string): Service | undefined {
    const own = this.file.services.filter((s) => s.namespace === namespace && s.name === name);
    return this.merged(this.base.ranked().services.get(serviceKey(namespace, name)), own)[0]?.value;
  }

  configs(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): readonly ConfigSource[] {
    const own = this.file.configs.filter((c) => c.kind === kind && c.namespace === namespace && c.name === name);
    return this.merged(this.base.ranked().configs.get(configKey(kind, namespace, name)), own).map((entry) => entry.value);
  }

  namespace(name: string): NamespaceInfo | undefined {
    const own = this.file.namespaces.filter((ns) => ns.name === name);
    return this.merged(this.base.ranked().namespaces.get(name), own).at(-1)?.value;
  }
}
