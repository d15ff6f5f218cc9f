/**
 * The edits the Kubernetes rules offer: keepalive sysctls in the pod securityContext, a privileged
 * init container, and the conversions between the two.
 */
import type { KeepaliveValues, ResolvedConfig } from '../config.ts';
import type { Node, Pair, Scalar } from 'yaml';
import type { Fix, TextEdit } from '../types.ts';
import { addToPairMap, appendToSeq, fillEmptyValue, insertIntoMap, normaliseEdits, pairLines, seqItemLines, type YamlValue } from '../yaml/edit.ts';
import { KEEPALIVE_SYSCTLS, podKeepalive } from './keepalive.ts';
import type { Workload } from './model.ts';

export const INIT_CONTAINER_NAME = 'tcp-keepalive-sysctl';

function sysctlValues(values: KeepaliveValues): Record<(typeof KEEPALIVE_SYSCTLS)[number], number> {
  return {
    'net.ipv4.tcp_keepalive_time': values.time,
    'net.ipv4.tcp_keepalive_intvl': values.intvl,
    'net.ipv4.tcp_keepalive_probes': values.probes,
  };
}

/** Edits that add the keepalive sysctls the pod does not set yet to `spec.securityContext.sysctls`. */
export function addSysctlsEdits(workload: Workload, values: KeepaliveValues): TextEdit[] | undefined {
  const { ctx, podSpec } = workload;
  const state = podKeepalive(workload);
  const present = new Set(state.sysctls.map((s) => s.name));
  const entries: YamlValue[] = Object.entries(sysctlValues(values))
    .filter(([name]) => !present.has(name))
    .map(([name, value]) => ({ name, value: String(value) }));
  if (entries.length === 0) return [];
  let edit: TextEdit | undefined;
  if (!state.securityContextPair) {
    edit = insertIntoMap(ctx, podSpec, { securityContext: { sysctls: entries } });
  } else {
    if (!state.sysctlsPair) edit = addToPairMap(ctx, state.securityContextPair, { sysctls: entries });
    else {
      const sysctls = ctx.seq(state.sysctlsPair.value);
      edit = sysctls && sysctls.items.length > 0 ? appendToSeq(ctx, sysctls, entries) : fillEmptyValue(ctx, state.sysctlsPair, entries);
    }
  }
  return edit ? [edit] : undefined;
}

function initContainerName(workload: Workload): string {
  const { ctx, podSpec } = workload;
  const taken = new Set<string>();
  for (const key of ['initContainers', 'containers']) {
    for (const item of ctx.items(ctx.getSeq(podSpec, key))) {
      const name = ctx.getString(ctx.map(item), 'name');
      if (name) taken.add(name);
    }
  }
  let name = INIT_CONTAINER_NAME;
  for (let n = 2; taken.has(name); n++) name = `${INIT_CONTAINER_NAME}-${n}`;
  return name;
}

/** Edits that add a privileged init container running `sysctl -w` for the keepalive values. */
export function addInitContainerEdits(workload: Workload, values: KeepaliveValues, config: ResolvedConfig): TextEdit[] | undefined {
  const { ctx, podSpec } = workload;
  const container: YamlValue = {
    name: initContainerName(workload),
    image: config.initContainerImage,
    command: ['sysctl', '-w', ...Object.entries(sysctlValues(values)).map(([name, value]) => `${name}=${value}`)],
    securityContext: { privileged: true },
  };
  const state = podKeepalive(workload);
  let edit: TextEdit | undefined;
  if (!state.initContainersPair) edit = insertIntoMap(ctx, podSpec, { initContainers: [container] });
  else {
    const list = ctx.seq(state.initContainersPair.value);
    edit = list && list.items.length > 0 ? appendToSeq(ctx, list, [container]) : fillEmptyValue(ctx, state.initContainersPair, [container]);
  }
  return edit ? [edit] : undefined;
}

export const SYSCTLS_FIX_TITLE = 'Add keepalive sysctls to the pod securityContext (tcp_keepalive_time={{time}})';
export const INIT_FIX_TITLE =
  'Add a privileged init container running sysctl -w tcp_keepalive_time={{time}} (pre-1.29 clusters; Pod Security "baseline" and kube-linter/Polaris/Checkov reject privileged containers)';

export function titled(template: string, values: KeepaliveValues): string {
  return template.replace('{{time}}', String(values.time));
}

/** Builds a fix when its edits exist and do not overlap; a fix that cannot be made is left out. */
export function makeFix(text: string, title: string, edits: readonly (TextEdit | undefined)[] | undefined, preferred: boolean): Fix[] {
  if (!edits) return [];
  const normalised = normaliseEdits(text, edits);
  if (!normalised || normalised.length === 0) return [];
  return [{ title, edits: normalised, preferred }];
}

/**
 * Deletes sequence items; when they are all the items, the whole `key:` instead, and when that key is
 * the only one of its parent mapping (`parentPair`), the parent entry too.
 */
export function deleteItemsEdits(
  workload: Workload,
  pair: Pair<Scalar, unknown> | undefined,
  items: readonly Node[],
  parentPair?: Pair<Scalar, unknown>,
): TextEdit[] | undefined {
  const { ctx } = workload;
  const seq = ctx.seq(pair?.value);
  if (!pair || !seq || items.length === 0) return undefined;
  if (ctx.items(seq).length === items.length) {
    const parent = ctx.map(parentPair?.value);
    const target = parentPair && parent && parent.items.length === 1 ? parentPair : pair;
    const range = pairLines(ctx, target);
    return range ? [{ ...range, newText: '' }] : undefined;
  }
  const edits: TextEdit[] = [];
  for (const item of items) {
    const lines = seqItemLines(ctx, item);
    if (!lines) return undefined;
    edits.push({ ...lines, newText: '' });
  }
  return edits;
}
