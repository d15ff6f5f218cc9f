import { createRule } from '../rule.ts';
import type { TextEdit } from '../types.ts';
import { nodeRange, pairRange } from '../yaml/ast.ts';
import { addToPairMap, fillEmptyValue, insertIntoMap } from '../yaml/edit.ts';
import { addSysctlsEdits, deleteItemsEdits, makeFix } from './fixes.ts';
import { podKeepalive, type InitSysctlContainer } from './keepalive.ts';
import type { Workload } from './model.ts';
import { sysctlRejection, workloadLabel } from './shared.ts';

function privilegedEdit(workload: Workload, init: InitSysctlContainer): TextEdit | undefined {
  const { ctx } = workload;
  const pair = ctx.pair(init.container, 'securityContext');
  if (!pair) return insertIntoMap(ctx, init.container, { securityContext: { privileged: true } });
  const privileged = ctx.pair(ctx.map(pair.value), 'privileged');
  const range = nodeRange(privileged?.value);
  if (privileged && range && range.end > range.start) return { ...range, newText: 'true' };
  if (privileged) return fillEmptyValue(ctx, privileged, true);
  return addToPairMap(ctx, pair, { privileged: true });
}

export default createRule({
  id: 'k8s/sysctl-init-unprivileged',
  description: 'An init container sets keepalive sysctls without privileged: true, so it fails and the pod never starts.',
  defaultSeverity: 'error',
  fixable: true,
  language: 'yaml',
  remediation:
    'Give the init container securityContext.privileged: true, or on Kubernetes >= 1.29 drop it and set the keepalive sysctls in spec.securityContext.sysctls.',
  messages: {
    unprivileged:
      'Init container "{{name}}" of {{workload}} writes {{sysctls}} but is not privileged. /proc/sys is read-only in an unprivileged container, so sysctl -w fails, the init container exits non-zero and the pod never starts. Add securityContext.privileged: true, or on Kubernetes >= 1.29 move the values to spec.securityContext.sysctls (no privileged container needed).',
  },
  *check({ file, facts, index, config }) {
    for (const workload of facts.workloads) {
      const state = podKeepalive(workload);
      for (const init of state.initContainers) {
        if (init.privileged) continue;
        const range = init.namePair ? pairRange(init.namePair) : nodeRange(init.container);
        if (!range) continue;
        const fixes = makeFix(file.text, 'Add securityContext.privileged: true to the init container', [privilegedEdit(workload, init)], true);
        if (init.onlyKeepalive && !sysctlRejection(workload, index, config)) {
          const values = { ...config.keepalive };
          for (const assignment of init.assignments) {
            const key = assignment.sysctl.replace('net.ipv4.tcp_keepalive_', '') as 'time' | 'intvl' | 'probes';
            values[key] = assignment.value;
          }
          const remove = deleteItemsEdits(workload, state.initContainersPair, [init.container]);
          const add = addSysctlsEdits(workload, values);
          fixes.push(
            ...makeFix(file.text, 'Move the keepalive values to spec.securityContext.sysctls and remove the init container', remove && add ? [...remove, ...add] : undefined, false),
          );
        }
        yield {
          messageId: 'unprivileged',
          data: {
            name: workload.ctx.string(init.namePair?.value) ?? '(unnamed)',
            workload: workloadLabel(workload),
            sysctls: [...new Set(init.assignments.map((a) => a.sysctl))].join(', '),
          },
          range,
          fixes,
        };
      }
    }
  },
});
