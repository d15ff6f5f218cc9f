import rule from '../../../rules/k8s/sysctl-rejected.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

/** A StatefulSet in namespace `data`; its pod spec gets `body` (pod spec `spec:` on line 8). */
const statefulSet = (body: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-client
  namespace: data
spec:
  template:
    spec:
${body}      containers:
      - name: app
        image: app:1
`;

const sysctls = `      securityContext:
        sysctls:
        - name: net.ipv4.tcp_keepalive_time
          value: "120"
        - name: net.ipv4.tcp_keepalive_probes
          value: "5"
`;

const namespace = (version: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: data
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: ${version}
`;

const initContainer = (time: number, probes: number) => `      initContainers:
      - name: tcp-keepalive-sysctl
        image: busybox:1.36
        command:
        - sysctl
        - -w
        - net.ipv4.tcp_keepalive_time=${time}
        - net.ipv4.tcp_keepalive_intvl=10
        - net.ipv4.tcp_keepalive_probes=${probes}
        securityContext:
          privileged: true
`;

ruleTester(rule, {
  valid: [
    { name: 'Kubernetes 1.29 (the default) accepts them', code: statefulSet(sysctls) },
    { name: 'newer cluster', code: statefulSet(sysctls), overrides: { kubernetesVersion: '1.33' } },
    { name: 'old cluster, but no keepalive sysctl', code: statefulSet('      securityContext:\n        sysctls:\n        - name: kernel.shm_rmid_forced\n          value: "1"\n'), overrides: { kubernetesVersion: '1.25' } },
    { name: 'Pod Security enforce-version v1.29', code: statefulSet(sysctls), files: [{ path: '/project/ns.yaml', text: namespace('v1.29') }] },
    { name: 'Pod Security enforce-version latest', code: statefulSet(sysctls), files: [{ path: '/project/ns.yaml', text: namespace('latest') }] },
    {
      name: 'an old version pin with the privileged level enforces nothing',
      code: statefulSet(sysctls),
      files: [{ path: '/project/ns.yaml', text: namespace('v1.27').replace('enforce: baseline', 'enforce: privileged') }],
    },
    { name: 'an old version pin without an enforce level (privileged by default)', code: statefulSet(sysctls), files: [{ path: '/project/ns.yaml', text: namespace('v1.27').replace('    pod-security.kubernetes.io/enforce: baseline\n', '') }] },
    { name: 'an old Namespace of another name does not apply', code: statefulSet(sysctls), files: [{ path: '/project/ns.yaml', text: namespace('v1.27').replace('name: data', 'name: other') }] },
  ],
  invalid: [
    {
      name: 'Kubernetes 1.28: each keepalive sysctl reported at its name entry; converted to an init container',
      code: statefulSet(sysctls),
      overrides: { kubernetesVersion: '1.28' },
      errors: [
        { messageId: 'oldCluster', line: 11, column: 11, endLine: 11, endColumn: 44, messageIncludes: ['net.ipv4.tcp_keepalive_time', 'Kubernetes 1.28', 'SysctlForbidden'] },
        { messageId: 'oldCluster', line: 13, column: 11, endColumn: 46 },
      ],
      output: statefulSet(initContainer(120, 5)),
    },
    {
      name: 'other sysctls and securityContext keys stay',
      code: statefulSet(`      securityContext:
        runAsNonRoot: true
        sysctls:
        - name: kernel.shm_rmid_forced
          value: "1"
        - name: net.ipv4.tcp_keepalive_time
          value: "60"
`),
      overrides: { kubernetesVersion: '1.27' },
      errors: [{ messageId: 'oldCluster', line: 14, column: 11 }],
      output: statefulSet(`${initContainer(60, 3)}      securityContext:
        runAsNonRoot: true
        sysctls:
        - name: kernel.shm_rmid_forced
          value: "1"
`),
    },
    {
      name: 'an init container already sets the time: the rejected entries are only removed',
      code: statefulSet(`${sysctls}${initContainer(60, 3)}`),
      overrides: { kubernetesVersion: '1.26' },
      errors: [
        { messageId: 'oldCluster', line: 11, column: 11 },
        { messageId: 'oldCluster', line: 13, column: 11 },
      ],
      output: statefulSet(initContainer(60, 3)),
    },
    {
      name: 'hostNetwork pods cannot take net.* sysctls; no automatic fix',
      code: statefulSet(`      hostNetwork: true\n${sysctls}`),
      errors: [
        { messageId: 'hostNetwork', line: 12, column: 11, messageIncludes: ['hostNetwork: true'] },
        { messageId: 'hostNetwork', line: 14, column: 11 },
      ],
      output: null,
    },
    {
      name: 'Pod Security enforce-version below v1.29 on the Namespace of the set',
      code: statefulSet(sysctls),
      files: [{ path: '/project/ns.yaml', text: namespace('v1.28') }],
      errors: [
        { messageId: 'podSecurity', line: 11, column: 11, related: 1, messageIncludes: ['Namespace data', 'v1.28'] },
        { messageId: 'podSecurity', line: 13, column: 11, related: 1 },
      ],
      output: null,
    },
  ],
});
