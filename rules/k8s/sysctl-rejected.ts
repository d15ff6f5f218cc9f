import { createRule } from '../rule.ts';
import { pairRange } from '../yaml/ast.ts';
import { addInitContainerEdits, deleteItemsEdits, INIT_FIX_TITLE, makeFix, titled } from './fixes.ts';
import { KEEPALIVE_SYSCTLS, KEEPALIVE_TIME, podKeepalive } from './keepalive.ts';
import { sysctlRejection, workloadLabel } from './shared.ts';

const KEEPALIVE_NAMES = new Set<string>(KEEPALIVE_SYSCTLS);

export default createRule({
  id: 'k8s/sysctl-rejected',
  description: 'Keepalive sysctls in spec.securityContext.sysctls that this cluster will reject, so the pod never runs.',
  defaultSeverity: 'error',
  fixable: true,
  language: 'yaml',
  remediation:
    'Before Kubernetes 1.29 use a privileged init container (or allow the sysctls on the kubelet); with hostNetwork tune the node instead; where a Namespace pins Pod Security enforce-version below v1.29, raise it to v1.29 or later.',
  messages: {
    oldCluster:
      '{{sysctl}} in {{workload}} is an unsafe sysctl on Kubernetes {{version}} (safe only from 1.29): the kubelet rejects the pod with SysctlForbidden unless it runs with --allowed-unsafe-sysctls. Set it with a privileged init container instead, or set kubernetesVersion if the cluster is 1.29 or newer.',
    hostNetwork:
      '{{sysctl}} in {{workload}} cannot be set: net.* sysctls are not allowed in pods with hostNetwork: true, so the pod is rejected. Such a pod shares the node network namespace; tune tcp_keepalive_time on the node instead and remove this entry.',
    podSecurity:
      '{{sysctl}} in {{workload}} is rejected by Pod Security admission: Namespace {{namespace}} enforces policy version {{enforceVersion}}, and keepalive sysctls are allowed only from v1.29. Raise pod-security.kubernetes.io/enforce-version to v1.29 or later (or latest).',
  },
  *check({ file, facts, index, config }) {
    for (const workload of facts.workloads) {
      const rejection = sysctlRejection(workload, index, config);
      if (!rejection) continue;
      const state = podKeepalive(workload);
      const keepalive = state.sysctls.filter((entry) => KEEPALIVE_NAMES.has(entry.name));
      if (keepalive.length === 0) continue;
      const fixes = [];
      if (rejection.reason === 'version') {
        const values = { ...config.keepalive };
        for (const entry of keepalive) {
          const key = entry.name.replace('net.ipv4.tcp_keepalive_', '') as 'time' | 'intvl' | 'probes';
          if (entry.value !== undefined && /^\s*\d+\s*$/.test(entry.value)) values[key] = Number(entry.value);
        }
        const remove = deleteItemsEdits(workload, state.sysctlsPair, keepalive.map((e) => e.item), state.securityContextPair);
        // An init container that already sets the time makes a second one redundant: just drop the entries.
        const existing = state.initContainers.find((init) => init.assignments.some((a) => a.sysctl === KEEPALIVE_TIME));
        if (existing) {
          const name = workload.ctx.string(existing.namePair?.value) ?? 'an init container';
          fixes.push(...makeFix(file.text, `Remove the rejected sysctls (init container "${name}" already sets tcp_keepalive_time)`, remove, true));
        } else {
          const add = addInitContainerEdits(workload, values, config);
          fixes.push(...makeFix(file.text, titled(INIT_FIX_TITLE, values).replace('Add', 'Move the keepalive sysctls to'), remove && add ? [...remove, ...add] : undefined, true));
        }
      }
      for (const entry of keepalive) {
        const range = pairRange(entry.namePair);
        if (!range) continue;
        const data = { sysctl: entry.name, workload: workloadLabel(workload), version: config.kubernetesVersionText };
        if (rejection.reason === 'pod-security') {
          yield { messageId: 'podSecurity', data: { ...data, namespace: rejection.namespace, enforceVersion: rejection.value }, range, related: [rejection.related] };
        } else {
          yield { messageId: rejection.reason === 'version' ? 'oldCluster' : 'hostNetwork', data, range, fixes };
        }
      }
    }
  },
});
