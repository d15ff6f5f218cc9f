import { describeTimeout } from '../config.ts';
import { createRule } from '../rule.ts';
import { replaceScalar } from '../yaml/edit.ts';
import { makeFix } from './fixes.ts';
import { KEEPALIVE_TIME, podKeepalive } from './keepalive.ts';
import { workloadLabel } from './shared.ts';

export default createRule({
  id: 'k8s/keepalive-sysctl-too-long',
  description: 'tcp_keepalive_time is set, but not below the idle timeout, so the first probe comes too late.',
  defaultSeverity: 'error',
  fixable: true,
  language: 'yaml',
  remediation: 'Lower net.ipv4.tcp_keepalive_time below the idle timeout of the tightest middlebox on the path.',
  messages: {
    tooLong:
      '{{workload}} sets tcp_keepalive_time={{value}}s ({{via}}), not below {{timeout}}. The first keepalive probe would leave after the middlebox has already dropped the idle connection, so the next request still fails with ECONNRESET. Use a value below {{seconds}}s, such as {{suggested}}.',
  },
  *check({ file, facts, config, timeout }) {
    const suggested = config.keepalive.time;
    for (const workload of facts.workloads) {
      const state = podKeepalive(workload);
      const reportData = (value: number, via: string) => ({
        workload: workloadLabel(workload),
        value,
        via,
        timeout: describeTimeout(timeout),
        seconds: timeout.seconds,
        suggested,
      });
      const title = `Set tcp_keepalive_time to ${suggested}`;
      // With hostNetwork the entry is rejected outright (k8s/sysctl-rejected): its value is moot.
      for (const entry of workload.hostNetwork ? [] : state.sysctls) {
        if (entry.name !== KEEPALIVE_TIME || entry.value === undefined || !/^\s*\d+\s*$/.test(entry.value)) continue;
        const value = Number(entry.value);
        const range = entry.valueNode?.range;
        if (value < timeout.seconds || !range) continue;
        yield {
          messageId: 'tooLong',
          data: reportData(value, 'spec.securityContext.sysctls'),
          range: { start: range[0], end: range[1] },
          fixes: makeFix(file.text, title, [replaceScalar(workload.ctx, entry.valueNode, String(suggested))], true),
        };
      }
      for (const init of state.initContainers) {
        for (const assignment of init.assignments) {
          if (assignment.sysctl !== KEEPALIVE_TIME || assignment.value < timeout.seconds) continue;
          yield {
            messageId: 'tooLong',
            data: reportData(assignment.value, `init container ${workload.ctx.string(init.namePair?.value) ?? ''}`.trim()),
            range: assignment.valueRange,
            fixes: makeFix(file.text, title, [{ ...assignment.valueRange, newText: String(suggested) }], true),
          };
        }
      }
    }
  },
});
