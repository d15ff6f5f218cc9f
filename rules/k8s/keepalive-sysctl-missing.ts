import { describeTimeout } from '../config.ts';
import { createRule } from '../rule.ts';
import { nodeRange } from '../yaml/ast.ts';
import { findEvidence } from './evidence.ts';
import { addInitContainerEdits, addSysctlsEdits, INIT_FIX_TITLE, makeFix, SYSCTLS_FIX_TITLE, titled } from './fixes.ts';
import { keepaliveTimeSettings } from './keepalive.ts';
import { evidenceRelated, sysctlRejection, workloadLabel } from './shared.ts';

export default createRule({
  id: 'k8s/keepalive-sysctl-missing',
  description: 'A workload that calls a ClusterIP Service keeps the pod default tcp_keepalive_time of 7200 s, far above the idle timeout.',
  defaultSeverity: 'warn',
  fixable: true,
  language: 'yaml',
  remediation:
    'Set net.ipv4.tcp_keepalive_time (with intvl and probes) below the idle timeout in spec.securityContext.sysctls (Kubernetes >= 1.29) or with a privileged init container, and enable SO_KEEPALIVE in the client.',
  messages: {
    missing:
      '{{workload}} calls {{target}} through kube-proxy ({{via}}), but its pod keeps the network-namespace default tcp_keepalive_time=7200s, above {{timeout}}. An idle pooled connection is dropped by the middlebox and the next request fails with ECONNRESET. Set net.ipv4.tcp_keepalive_time below {{seconds}}s {{how}} (node sysctls do not reach pods), and enable SO_KEEPALIVE in the client.',
    missingAlways:
      '{{workload}} keeps the network-namespace default tcp_keepalive_time=7200s, above {{timeout}} (serviceEvidence: always). An idle pooled connection is dropped by the middlebox and the next request fails with ECONNRESET. Set net.ipv4.tcp_keepalive_time below {{seconds}}s {{how}}, and enable SO_KEEPALIVE in the client.',
  },
  *check({ file, facts, index, config, timeout }) {
    for (const workload of facts.workloads) {
      // net.* sysctls are not allowed with hostNetwork; the node's own values apply there.
      if (workload.hostNetwork) continue;
      if (keepaliveTimeSettings(workload).length > 0) continue;
      const evidence = findEvidence(workload, index);
      const always = config.serviceEvidence === 'always';
      if (evidence.length === 0 && !always) continue;
      const range = nodeRange(workload.podSpecPair.key);
      if (!range) continue;
      const rejection = sysctlRejection(workload, index, config);
      const oldCluster = rejection !== undefined;
      const how = !rejection
        ? 'in spec.securityContext.sysctls'
        : rejection.reason === 'pod-security'
          ? `with a privileged init container running sysctl -w, or raise the Pod Security enforce-version of Namespace ${rejection.namespace} (${rejection.value}) to v1.29 and use spec.securityContext.sysctls`
          : `with a privileged init container running sysctl -w (Kubernetes ${config.kubernetesVersionText} rejects these sysctls in the pod securityContext before 1.29)`;
      const first = evidence[0];
      yield {
        messageId: first ? 'missing' : 'missingAlways',
        data: {
          workload: workloadLabel(workload),
          target: first ? (first.service ? `Service ${first.service.name}` : first.token) : '',
          via: first ? `${first.via}: ${first.token}` : '',
          timeout: describeTimeout(timeout),
          seconds: timeout.seconds,
          how,
        },
        range,
        related: evidenceRelated(evidence),
        fixes: [
          ...makeFix(file.text, titled(SYSCTLS_FIX_TITLE, config.keepalive), addSysctlsEdits(workload, config.keepalive), !oldCluster),
          ...makeFix(file.text, titled(INIT_FIX_TITLE, config.keepalive), addInitContainerEdits(workload, config.keepalive, config), oldCluster),
        ],
      };
    }
  },
});
