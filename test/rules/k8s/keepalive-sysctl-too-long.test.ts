import rule from '../../../rules/k8s/keepalive-sysctl-too-long.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';

/** A Pod whose spec gets `body`; line 5 is `spec:`. */
const pod = (body: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${body}  containers:
  - name: c
    image: c:1
`;

const sysctl = (value: string, quote = '"') => `  securityContext:
    sysctls:
    - name: net.ipv4.tcp_keepalive_time
      value: ${quote}${value}${quote}
`;

const init = (command: string, privileged = true) => `  initContainers:
  - name: tune
    image: busybox:1.36
    command: ${command}
${privileged ? '    securityContext:\n      privileged: true\n' : ''}`;

const kubeProxyConfigMap = (timeout: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    mode: ipvs
    ipvs:
      tcpTimeout: ${timeout}
`;

ruleTester(rule, {
  valid: [
    { name: 'below T', code: pod(sysctl('600')) },
    { name: 'just below T', code: pod(sysctl('899')) },
    { name: 'no keepalive at all (keepalive-sysctl-missing reports that)', code: pod('') },
    { name: 'only the interval', code: pod(sysctl('7200').replace('tcp_keepalive_time', 'tcp_keepalive_intvl')) },
    { name: 'init container below T', code: pod(init('["sysctl", "-w", "net.ipv4.tcp_keepalive_time=300"]')) },
    { name: 'iptables profile: 3600 is below 86400', code: pod(sysctl('3600')), config: { middleboxes: ['iptables'] } },
    { name: 'a non-numeric value is not judged', code: pod(sysctl('$(KEEPALIVE)')) },
    {
      name: 'an explicit idle timeout wins over kube-proxy config',
      code: pod(sysctl('1000')),
      files: [{ path: '/project/kube-proxy.yaml', text: kubeProxyConfigMap('300s') }],
      config: { idleTimeoutSeconds: 1200 },
    },
    { name: 'hostNetwork: the sysctl entry is rejected outright (sysctl-rejected reports it)', code: pod(`  hostNetwork: true\n${sysctl('7200')}`) },
    { name: 'container-level securityContext is not a pod sysctl', code: pod('').replace('    image: c:1\n', '    image: c:1\n    securityContext:\n      sysctls:\n      - name: net.ipv4.tcp_keepalive_time\n        value: "1800"\n') },
  ],
  invalid: [
    {
      name: 'equal to T is too long',
      code: pod(sysctl('900')),
      errors: [{ messageId: 'tooLong', line: 9, column: 14, endLine: 9, endColumn: 19, messageIncludes: ['tcp_keepalive_time=900s', 'T=900s', 'such as 60'] }],
      output: pod(sysctl('60')),
    },
    {
      name: 'plain scalar keeps its style',
      code: pod(sysctl('1800', '')),
      errors: [{ messageId: 'tooLong', line: 9, column: 14, endColumn: 18 }],
      output: pod(sysctl('60', '"')),
    },
    {
      name: 'single-quoted value stays single-quoted',
      code: pod(sysctl('7200', "'")),
      errors: [{ messageId: 'tooLong', line: 9, column: 14 }],
      output: pod(sysctl('60', "'")),
    },
    {
      name: 'init container sysctl -w: reported at the digits',
      code: pod(init('["sh", "-c", "sysctl -w net.ipv4.tcp_keepalive_time=7200 net.ipv4.tcp_keepalive_intvl=75"]')),
      errors: [{ messageId: 'tooLong', line: 9, column: 66, endColumn: 70, messageIncludes: ['init container tune'] }],
      output: pod(init('["sh", "-c", "sysctl -w net.ipv4.tcp_keepalive_time=60 net.ipv4.tcp_keepalive_intvl=75"]')),
    },
    {
      name: 'init container writing /proc/sys in a block scalar',
      code: pod(init('\n    - sh\n    - -c\n    - |\n      echo 1000 > /proc/sys/net/ipv4/tcp_keepalive_time\n')),
      errors: [{ messageId: 'tooLong', line: 13, column: 12, endColumn: 16 }],
      output: pod(init('\n    - sh\n    - -c\n    - |\n      echo 60 > /proc/sys/net/ipv4/tcp_keepalive_time\n')),
    },
    {
      name: 'AWS NLB profile: 600 is not below 350',
      code: pod(sysctl('600')),
      config: { middleboxes: ['aws-nlb'] },
      errors: [{ messageId: 'tooLong', line: 9, column: 14, messageIncludes: ['T=350s', 'aws-nlb'] }],
      output: pod(sysctl('60')),
    },
    {
      name: '--idle-timeout overrides the file',
      code: pod(sysctl('300')),
      config: { idleTimeoutSeconds: 1200 },
      overrides: { idleTimeoutSeconds: 200 },
      errors: [{ messageId: 'tooLong', line: 9, column: 14, messageIncludes: ['T=200s (--idle-timeout)'] }],
      output: pod(sysctl('60')),
    },
    {
      name: 'kube-proxy ConfigMap in the linted set sets T',
      code: pod(sysctl('400')),
      files: [{ path: '/project/kube-proxy.yaml', text: kubeProxyConfigMap('5m0s') }],
      errors: [{ messageId: 'tooLong', line: 9, column: 14, messageIncludes: ['T=300s', 'KubeProxyConfiguration ipvs.tcpTimeout in /project/kube-proxy.yaml'] }],
      output: pod(sysctl('60')),
    },
    {
      name: 'a KubeProxyConfiguration document sets T',
      code: pod(sysctl('700')),
      files: [{ path: '/project/kp.yaml', text: 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  tcpTimeout: 600s\n' }],
      errors: [{ messageId: 'tooLong', line: 9, column: 14, messageIncludes: ['T=600s'] }],
      output: pod(sysctl('60')),
    },
  ],
});
