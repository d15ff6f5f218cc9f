import rule from '../../../rules/k8s/sysctl-init-unprivileged.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

/** A Deployment whose pod spec (line 8, 4-space indent) gets `body` before its containers. */
const deployment = (body: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
    name: legacy
spec:
    template:
        spec:
${body}            containers:
                - name: app
                  image: app:1
`;

const init = (extra = '', command = '["sysctl", "-w", "net.ipv4.tcp_keepalive_time=60"]') => `            initContainers:
                - name: sysctl
                  image: busybox:1.36
                  command: ${command}
${extra}`;

const privileged = `                  securityContext:
                      privileged: true
`;

ruleTester(rule, {
  valid: [
    { name: 'privileged', code: deployment(init(privileged)) },
    { name: 'no keepalive sysctl', code: deployment(init('', '["sysctl", "-w", "vm.max_map_count=262144"]')) },
    { name: 'an init container that only reads', code: deployment(init('', '["sysctl", "net.ipv4.tcp_keepalive_time"]')) },
    { name: 'suppressed by annotation', code: deployment(init()).replace('    name: legacy\n', '    name: legacy\n    annotations:\n        keepalive-lint.io/ignore: "k8s/sysctl-init-unprivileged"\n') },
  ],
  invalid: [
    {
      name: 'no securityContext: reported at the name entry',
      code: deployment(init()),
      errors: [
        {
          messageId: 'unprivileged',
          line: 9,
          column: 19,
          endLine: 9,
          endColumn: 31,
          messageIncludes: ['"sysctl"', 'Deployment "legacy"', 'read-only'],
          suggestions: [
            deployment(`            securityContext:
                sysctls:
                    - name: net.ipv4.tcp_keepalive_time
                      value: "60"
                    - name: net.ipv4.tcp_keepalive_intvl
                      value: "10"
                    - name: net.ipv4.tcp_keepalive_probes
                      value: "3"
`),
          ],
        },
      ],
      output: deployment(init(privileged).replace(privileged, '').replace('                  image: busybox', `${privileged.trimEnd()}\n                  image: busybox`)),
    },
    {
      name: 'privileged: false is flipped',
      code: deployment(init('                  securityContext:\n                      privileged: false\n')),
      errors: [{ messageId: 'unprivileged', line: 9, column: 19 }],
      output: deployment(init(privileged)),
    },
    {
      name: 'securityContext without privileged gains it',
      code: deployment(init('                  securityContext:\n                      runAsUser: 0\n')),
      errors: [{ messageId: 'unprivileged', line: 9, column: 19 }],
      output: deployment(init('                  securityContext:\n                      privileged: true\n                      runAsUser: 0\n')),
    },
    {
      name: 'an init container that also sets other sysctls offers no move',
      code: deployment(init('', '["sh", "-c", "sysctl -w vm.max_map_count=262144 net.ipv4.tcp_keepalive_time=60"]')),
      errors: [{ messageId: 'unprivileged', line: 9, column: 19, suggestions: [] }],
      output: deployment(
        init('', '["sh", "-c", "sysctl -w vm.max_map_count=262144 net.ipv4.tcp_keepalive_time=60"]').replace(
          '                  image: busybox',
          `${privileged.trimEnd()}\n                  image: busybox`,
        ),
      ),
    },
    {
      name: 'writing /proc/sys counts too; the move keeps the values found',
      code: deployment(init('', '["sh", "-c", "echo 120 > /proc/sys/net/ipv4/tcp_keepalive_time"]')),
      overrides: { kubernetesVersion: '1.31' },
      errors: [
        {
          messageId: 'unprivileged',
          line: 9,
          column: 19,
          suggestions: [
            deployment(`            securityContext:
                sysctls:
                    - name: net.ipv4.tcp_keepalive_time
                      value: "120"
                    - name: net.ipv4.tcp_keepalive_intvl
                      value: "10"
                    - name: net.ipv4.tcp_keepalive_probes
                      value: "3"
`),
          ],
        },
      ],
      output: deployment(
        init('', '["sh", "-c", "echo 120 > /proc/sys/net/ipv4/tcp_keepalive_time"]').replace('                  image: busybox', `${privileged.trimEnd()}\n                  image: busybox`),
      ),
    },
    {
      name: 'below 1.29 there is no move to sysctls',
      code: deployment(init()),
      overrides: { kubernetesVersion: '1.27' },
      errors: [{ messageId: 'unprivileged', line: 9, column: 19, suggestions: [] }],
      output: deployment(init(privileged).replace(privileged, '').replace('                  image: busybox', `${privileged.trimEnd()}\n                  image: busybox`)),
    },
  ],
});
