/** Small pieces the Kubernetes rules share. */
import { versionBelow, type ResolvedConfig } from '../config.ts';
import type { RelatedLocation } from '../types.ts';
import type { Evidence } from './evidence.ts';
import type { ProjectLookup, Workload } from './model.ts';

export function workloadLabel(workload: Workload): string {
  return `${workload.resource.kind} "${workload.resource.name ?? '(unnamed)'}"`;
}

export function evidenceRelated(evidence: readonly Evidence[]): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  for (const item of evidence) {
    related.push({ path: item.path, range: item.range, message: `Evidence: ${item.via} names ${item.token}` });
    if (item.service) {
      related.push({
        path: item.service.path,
        range: item.service.range,
        message: `Service ${item.service.namespace}/${item.service.name} (${item.service.type}) is reached through kube-proxy`,
      });
    }
  }
  return related;
}

export type SysctlRejection =
  | { readonly reason: 'version' }
  | { readonly reason: 'hostNetwork' }
  | { readonly reason: 'pod-security'; readonly namespace: string; readonly value: string; readonly related: RelatedLocation };

/** Why the cluster would reject keepalive sysctls in this pod's securityContext, if it would. */
export function sysctlRejection(workload: Workload, index: ProjectLookup, config: ResolvedConfig): SysctlRejection | undefined {
  if (workload.hostNetwork) return { reason: 'hostNetwork' };
  if (versionBelow(config.kubernetesVersion, 1, 29)) return { reason: 'version' };
  const ns = index.namespace(workload.resource.namespace);
  const enforce = ns?.enforceVersion;
  // The version pin matters only where a level that checks sysctls is enforced (the default level is privileged).
  if (enforce && (ns.enforceLevel === 'baseline' || ns.enforceLevel === 'restricted')) {
    const match = /^v?(\d+)\.(\d+)/.exec(enforce.value);
    if (match && versionBelow({ major: Number(match[1]), minor: Number(match[2]) }, 1, 29)) {
      return {
        reason: 'pod-security',
        namespace: ns.name,
        value: enforce.value,
        related: { path: enforce.path, range: enforce.range, message: `Namespace ${ns.name} enforces Pod Security policy version ${enforce.value}` },
      };
    }
  }
  return undefined;
}
