/**
 * How a pod sets its keepalive sysctls: `spec.securityContext.sysctls` entries, and init containers
 * that run `sysctl -w net.ipv4.tcp_keepalive_…=N` or write `/proc/sys/net/ipv4/tcp_keepalive_…`.
 */
import { isScalar, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { OffsetRange } from '../types.ts';
import { nodeRange, type DocContext } from '../yaml/ast.ts';
import type { Workload } from './model.ts';

export const KEEPALIVE_SYSCTLS = ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] as const;
export const KEEPALIVE_TIME = KEEPALIVE_SYSCTLS[0];

type Map = YAMLMap<unknown, unknown>;

export interface SysctlEntry {
  readonly name: string;
  readonly value: string | undefined;
  readonly item: Map;
  readonly namePair: Pair<Scalar, unknown>;
  readonly valueNode: Node | null;
}

/** One `tcp_keepalive_*` assignment found in an init container's command or args. */
export interface InitAssignment {
  readonly sysctl: string;
  readonly value: number;
  /** The digits of the value, in the file. */
  readonly valueRange: OffsetRange;
}

export interface InitSysctlContainer {
  readonly container: Map;
  readonly namePair: Pair<Scalar, unknown> | undefined;
  readonly privileged: boolean;
  readonly assignments: readonly InitAssignment[];
  /** True when every sysctl the container sets is a keepalive one, so moving it to `sysctls` loses nothing. */
  readonly onlyKeepalive: boolean;
}

export interface PodKeepalive {
  readonly securityContextPair: Pair<Scalar, unknown> | undefined;
  readonly sysctlsPair: Pair<Scalar, unknown> | undefined;
  readonly sysctls: readonly SysctlEntry[];
  readonly initContainersPair: Pair<Scalar, unknown> | undefined;
  readonly initContainers: readonly InitSysctlContainer[];
}

const cache = new WeakMap<Workload, PodKeepalive>();

export function podKeepalive(workload: Workload): PodKeepalive {
  let found = cache.get(workload);
  if (!found) {
    found = inspect(workload);
    cache.set(workload, found);
  }
  return found;
}

function inspect(workload: Workload): PodKeepalive {
  const { ctx, podSpec } = workload;
  const securityContextPair = ctx.pair(podSpec, 'securityContext');
  const securityContext = ctx.map(securityContextPair?.value);
  const sysctlsPair = ctx.pair(securityContext, 'sysctls');
  const sysctls: SysctlEntry[] = [];
  for (const itemNode of ctx.items(ctx.seq(sysctlsPair?.value))) {
    const item = ctx.map(itemNode);
    const namePair = ctx.pair(item, 'name');
    const name = ctx.string(namePair?.value);
    if (!item || !namePair || name === undefined) continue;
    sysctls.push({ name: normaliseSysctlName(name), value: ctx.getString(item, 'value'), item, namePair, valueNode: ctx.get(item, 'value') });
  }
  const initContainersPair = ctx.pair(podSpec, 'initContainers');
  const initContainers: InitSysctlContainer[] = [];
  for (const containerNode of ctx.items(ctx.seq(initContainersPair?.value))) {
    const container = ctx.map(containerNode);
    if (!container) continue;
    const found = initAssignments(ctx, container);
    if (found.assignments.length === 0) continue;
    initContainers.push({
      container,
      namePair: ctx.pair(container, 'name'),
      privileged: ctx.getString(ctx.getMap(container, 'securityContext'), 'privileged') === 'true',
      assignments: found.assignments,
      onlyKeepalive: found.onlyKeepalive,
    });
  }
  return { securityContextPair, sysctlsPair, sysctls, initContainersPair, initContainers };
}

/** `net/ipv4/tcp_keepalive_time` and `net.ipv4.tcp_keepalive_time` name the same sysctl. */
export function normaliseSysctlName(name: string): string {
  return name.trim().replace(/\//g, '.');
}

const SYSCTL_ASSIGNMENT = /\bnet[./]ipv4[./](tcp_keepalive_(?:time|intvl|probes))\s*=\s*["']?(\d+)/g;
const PROC_WRITE = /\becho\s+(?:-n\s+)?["']?(\d+)["']?\s*>{1,2}\s*\/proc\/sys\/net\/ipv4\/(tcp_keepalive_(?:time|intvl|probes))\b/g;
const ANY_SYSCTL_ASSIGNMENT = /\b([a-z][a-z0-9_]*(?:[./][a-z0-9_-]+)+)\s*=\s*\S/g;

function initAssignments(ctx: DocContext, container: Map): { assignments: InitAssignment[]; onlyKeepalive: boolean } {
  const assignments: InitAssignment[] = [];
  let otherSysctls = false;
  for (const key of ['command', 'args']) {
    const value = ctx.get(container, key);
    const scalars: Scalar[] = [];
    const seq = ctx.seq(value);
    if (seq) for (const item of ctx.items(seq as YAMLSeq<unknown>)) if (isScalar(item)) scalars.push(item);
    if (isScalar(value)) scalars.push(value);
    for (const scalar of scalars) {
      const range = nodeRange(scalar);
      if (!range || typeof scalar.value !== 'string') continue;
      const source = ctx.text.slice(range.start, range.end);
      const mentionsSysctl = /\bsysctl\b/.test(scalar.value);
      for (const match of source.matchAll(SYSCTL_ASSIGNMENT)) {
        const digitsAt = range.start + match.index + match[0].length - match[2]!.length;
        assignments.push({ sysctl: `net.ipv4.${match[1]}`, value: Number(match[2]), valueRange: { start: digitsAt, end: digitsAt + match[2]!.length } });
      }
      for (const match of source.matchAll(PROC_WRITE)) {
        const digitsAt = range.start + match.index + match[0].indexOf(match[1]!);
        assignments.push({ sysctl: `net.ipv4.${match[2]}`, value: Number(match[1]), valueRange: { start: digitsAt, end: digitsAt + match[1]!.length } });
      }
      if (mentionsSysctl || /\/proc\/sys\//.test(scalar.value)) {
        for (const match of scalar.value.matchAll(ANY_SYSCTL_ASSIGNMENT)) {
          if (!/^net[./]ipv4[./]tcp_keepalive_/.test(match[1]!)) otherSysctls = true;
        }
        if (/\/proc\/sys\/(?!net\/ipv4\/tcp_keepalive_)/.test(scalar.value)) otherSysctls = true;
      }
    }
  }
  return { assignments, onlyKeepalive: !otherSysctls };
}

export interface KeepaliveTimeSetting {
  readonly via: 'sysctls' | 'init';
  readonly value: number | undefined;
  readonly valueText: string | undefined;
  readonly range: OffsetRange;
}

/** Every place this pod tries to set tcp_keepalive_time, valid or not. */
export function keepaliveTimeSettings(workload: Workload): KeepaliveTimeSetting[] {
  const state = podKeepalive(workload);
  const settings: KeepaliveTimeSetting[] = [];
  for (const entry of state.sysctls) {
    if (entry.name !== KEEPALIVE_TIME) continue;
    const range = nodeRange(entry.valueNode) ?? nodeRange(entry.namePair.value) ?? { start: 0, end: 0 };
    const numeric = entry.value !== undefined && /^\s*\d+\s*$/.test(entry.value) ? Number(entry.value) : undefined;
    settings.push({ via: 'sysctls', value: numeric, valueText: entry.value, range });
  }
  for (const init of state.initContainers) {
    for (const assignment of init.assignments) {
      if (assignment.sysctl !== KEEPALIVE_TIME) continue;
      settings.push({ via: 'init', value: assignment.value, valueText: String(assignment.value), range: assignment.valueRange });
    }
  }
  return settings;
}
