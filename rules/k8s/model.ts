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

/** Everything linted in one run, resolved together. */
export class ProjectIndex {
  private readonly servicesByKey = new globalThis.Map<string, Service[]>();
  private readonly configsByKey = new globalThis.Map<string, ConfigSource[]>();
  private readonly namespacesByName = new globalThis.Map<string, NamespaceInfo>();
  readonly kubeProxy: KubeProxyTimeout | undefined;

  constructor(readonly facts: readonly FileFacts[]) {
    let kubeProxy: KubeProxyTimeout | undefined;
    for (const file of facts) {
      for (const service of file.services) {
        const key = `${service.namespace}/${service.name}`;
        const list = this.servicesByKey.get(key) ?? [];
        list.push(service);
        this.servicesByKey.set(key, list);
      }
      for (const config of file.configs) {
        const key = `${config.kind}/${config.namespace}/${config.name}`;
        const list = this.configsByKey.get(key) ?? [];
        list.push(config);
        this.configsByKey.set(key, list);
      }
      for (const ns of file.namespaces) this.namespacesByName.set(ns.name, ns);
      // Several kube-proxy configs (one per node pool): the tightest applies.
      for (const proxy of file.kubeProxy) if (!kubeProxy || proxy.seconds < kubeProxy.seconds) kubeProxy = proxy;
    }
    this.kubeProxy = kubeProxy;
  }

  service(namespace: string, name: string): Service | undefined {
    return this.servicesByKey.get(`${namespace}/${name}`)?.[0];
  }

  /** Every definition of that ConfigMap or Secret in the set (overlays may define one twice). */
  configs(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): readonly ConfigSource[] {
    return this.configsByKey.get(`${kind}/${namespace}/${name}`) ?? [];
  }

  namespace(name: string): NamespaceInfo | undefined {
    return this.namespacesByName.get(name);
  }
}
