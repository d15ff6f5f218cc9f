import rule from '../../../rules/k8s/keepalive-sysctl-missing.ts';
import { ruleTester, service } from '../../helpers/rule-tester.ts';

const api = service('api');

/** A Deployment whose single container gets `env` lines; the pod spec's `spec:` is on line 12, column 5. */
function deployment(env: string, podSpecExtra = '', meta = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${meta}spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels: {app: web}
    spec:
${podSpecExtra}      containers:
      - name: web
        image: web:1
        env:
${env}`;
}

const envApi = `        - name: API_URL
          value: http://api:8080/v1
`;

const sysctlsBlock = `      securityContext:
        sysctls:
        - name: net.ipv4.tcp_keepalive_time
          value: "60"
        - name: net.ipv4.tcp_keepalive_intvl
          value: "10"
        - name: net.ipv4.tcp_keepalive_probes
          value: "3"
`;

const initBlock = (indentedSeq: boolean) => {
  const d = indentedSeq ? '  ' : '';
  return `      initContainers:
${d}      - name: tcp-keepalive-sysctl
${d}        image: busybox:1.36
${d}        command:
${d}${d}        - sysctl
${d}${d}        - -w
${d}${d}        - net.ipv4.tcp_keepalive_time=60
${d}${d}        - net.ipv4.tcp_keepalive_intvl=10
${d}${d}        - net.ipv4.tcp_keepalive_probes=3
${d}        securityContext:
${d}          privileged: true
`;
};

const withApi = (code: string) => `${code}---\n${api}`;

ruleTester(rule, {
  valid: [
    { name: 'no evidence: only a port', code: withApi(deployment(`        - name: PORT\n          value: "8080"\n`)) },
    { name: 'keepalive sysctls already set', code: withApi(deployment(envApi, sysctlsBlock)) },
    { name: 'privileged init container sets the time', code: withApi(deployment(envApi, initBlock(false))) },
    {
      name: 'an unprivileged init container counts as set (sysctl-init-unprivileged reports it)',
      code: withApi(deployment(envApi, `      initContainers:\n      - name: tune\n        image: busybox\n        command: ["sh", "-c", "sysctl -w net.ipv4.tcp_keepalive_time=60"]\n`)),
    },
    {
      name: 'a too-long value counts as set (keepalive-sysctl-too-long reports it)',
      code: withApi(deployment(envApi, `      securityContext:\n        sysctls:\n        - name: net.ipv4.tcp_keepalive_time\n          value: "7200"\n`)),
    },
    { name: 'hostNetwork pods cannot take net.* sysctls', code: withApi(deployment(envApi, `      hostNetwork: true\n`)) },
    { name: 'headless target', code: `${deployment(envApi)}---\n${service('api').replace('spec:\n', 'spec:\n  clusterIP: None\n')}` },
    { name: 'ExternalName target', code: `${deployment(envApi)}---\n${service('api').replace('spec:\n', 'spec:\n  type: ExternalName\n  externalName: api.example.com\n')}` },
    {
      name: 'self-reference: the Service selects this pod',
      code: `${deployment(`        - name: SELF\n          value: self:80\n`)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: self\nspec:\n  selector:\n    app: web\n`,
    },
    { name: 'listen address', code: withApi(deployment(`        - name: LISTEN_ADDR\n          value: api:8080\n`)) },
    { name: 'whole tokens only: rapid', code: withApi(deployment(`        - name: MODE\n          value: rapid\n`)) },
    { name: 'whole tokens only: api-gateway.example.com', code: withApi(deployment(`        - name: UPSTREAM\n          value: https://api-gateway.example.com\n`)) },
    { name: 'short name resolves in the workload namespace only', code: `${deployment(envApi)}---\n${service('api', 'other')}` },
    { name: 'a name-like key is a name, not a host', code: withApi(deployment(`        - name: MYSQL_DATABASE\n          value: api\n`)) },
    { name: 'a bare word inside a sentence is not a host', code: withApi(deployment(`        - name: GREETING\n          value: call the api later\n`)) },
    {
      name: 'pod DNS name behind a headless Service bypasses kube-proxy',
      code: deployment(`        - name: SEEDS\n          value: db-0.db.default.svc.cluster.local\n`),
    },
    {
      name: 'init containers connect once: their env is not evidence',
      code: withApi(
        deployment(`        - name: PORT\n          value: "80"\n`, `      initContainers:\n      - name: wait\n        image: busybox\n        env:\n        - name: API\n          value: api:80\n`),
      ),
    },
    { name: 'annotation ignores the rule', code: withApi(deployment(envApi, '', `  annotations:\n    keepalive-lint.io/ignore: k8s/keepalive-sysctl-missing\n`)) },
    { name: 'annotation ignores all', code: withApi(deployment(envApi, '', `  annotations:\n    keepalive-lint.io/ignore: all\n`)) },
    { name: 'disable-next-line comment', code: withApi(deployment(envApi).replace('    spec:\n', '    # keepalive-lint-disable-next-line k8s/keepalive-sysctl-missing\n    spec:\n')) },
    { name: 'disable-file comment', code: `# keepalive-lint-disable-file\n${withApi(deployment(envApi))}` },
    { name: 'a Service of the set is needed for a bare name', code: deployment(envApi) },
    { name: 'rule off in config', code: withApi(deployment(envApi)), config: { rules: { 'k8s/keepalive-sysctl-missing': 'off' } } },
  ],
  invalid: [
    {
      name: 'env URL names a Service in the same file: reported at the pod template spec key',
      code: withApi(deployment(envApi)),
      errors: [
        {
          messageId: 'missing',
          line: 12,
          column: 5,
          endLine: 12,
          endColumn: 9,
          related: 2,
          messageIncludes: ['Deployment "web"', 'Service api', 'env API_URL', 'T=900s', 'ipvs', '7200'],
          suggestions: [withApi(deployment(envApi, initBlock(false)))],
        },
      ],
      output: withApi(deployment(envApi, sysctlsBlock)),
    },
    {
      name: 'the Service is in another file of the run',
      code: deployment(envApi),
      files: [{ path: '/project/api.yaml', text: api }],
      errors: [{ messageId: 'missing', line: 12, column: 5 }],
      output: deployment(envApi, sysctlsBlock),
    },
    {
      name: 'below Kubernetes 1.29 the init container is preferred',
      code: withApi(deployment(envApi)),
      overrides: { kubernetesVersion: '1.28' },
      errors: [
        {
          messageId: 'missing',
          line: 12,
          column: 5,
          messageIncludes: ['with a privileged init container', 'Kubernetes 1.28'],
          suggestions: [withApi(deployment(envApi, sysctlsBlock))],
        },
      ],
      output: withApi(deployment(envApi, initBlock(false))),
    },
    {
      name: 'T from a middlebox profile and the written values from config',
      code: withApi(deployment(envApi)),
      config: { middleboxes: ['ipvs', 'azure-lb'], keepalive: { time: 120, intvl: 5, probes: 4 } },
      errors: [{ messageId: 'missing', line: 12, column: 5, messageIncludes: ['T=240s', 'azure-lb', 'below 240s'] }],
      output: withApi(deployment(envApi, sysctlsBlock.replace('"60"', '"120"').replace('"10"', '"5"').replace('"3"', '"4"'))),
    },
    {
      name: 'svc.ns form across namespaces',
      code: deployment(`        - name: API\n          value: api.backend:80\n`),
      files: [{ path: '/project/api.yaml', text: service('api', 'backend') }],
      errors: [{ messageId: 'missing', line: 12, column: 5, messageIncludes: ['Service api'] }],
      output: deployment(`        - name: API\n          value: api.backend:80\n`, sysctlsBlock),
    },
    {
      name: 'any *.svc.cluster.local host, even of a Service outside the set',
      code: deployment(`        - name: DB\n          value: postgres://u@db.data.svc.cluster.local:5432/app\n`),
      errors: [{ messageId: 'missing', line: 12, column: 5, related: 1, messageIncludes: ['db.data.svc.cluster.local'] }],
      output: deployment(`        - name: DB\n          value: postgres://u@db.data.svc.cluster.local:5432/app\n`, sysctlsBlock),
    },
    {
      name: '$(X_SERVICE_HOST) reference in args',
      code: deployment(`        - name: X\n          value: "1"\n`).replace('        env:\n', '        args: ["--upstream=$(REDIS_SERVICE_HOST):6379"]\n        env:\n'),
      errors: [{ messageId: 'missing', line: 12, column: 5, messageIncludes: ['$(REDIS_SERVICE_HOST'] }],
      output: deployment(`        - name: X\n          value: "1"\n`, sysctlsBlock).replace('        env:\n', '        args: ["--upstream=$(REDIS_SERVICE_HOST):6379"]\n        env:\n'),
    },
    {
      name: 'serviceEvidence: always needs no evidence',
      code: deployment(`        - name: PORT\n          value: "80"\n`),
      config: { serviceEvidence: 'always' },
      errors: [{ messageId: 'missingAlways', line: 12, column: 5, related: 0 }],
      output: deployment(`        - name: PORT\n          value: "80"\n`, sysctlsBlock),
    },
    {
      name: 'existing securityContext keeps its keys; sysctls go first',
      code: withApi(deployment(envApi, `      securityContext:\n        runAsNonRoot: true # keep me\n`)),
      errors: [{ messageId: 'missing', line: 12, column: 5 }],
      output: withApi(
        deployment(envApi, `      securityContext:\n${sysctlsBlock.split('\n').slice(1).join('\n')}        runAsNonRoot: true # keep me\n`),
      ),
    },
    {
      name: 'existing sysctls without the time: the missing ones are appended',
      code: withApi(deployment(envApi, `      securityContext:\n        sysctls:\n        - name: net.ipv4.tcp_keepalive_intvl\n          value: "15"\n`)),
      errors: [{ messageId: 'missing', line: 12, column: 5 }],
      output: withApi(
        deployment(
          envApi,
          `      securityContext:\n        sysctls:\n        - name: net.ipv4.tcp_keepalive_intvl\n          value: "15"\n        - name: net.ipv4.tcp_keepalive_time\n          value: "60"\n        - name: net.ipv4.tcp_keepalive_probes\n          value: "3"\n`,
        ),
      ),
    },
    {
      name: 'empty flow securityContext is filled',
      code: withApi(deployment(envApi, `      securityContext: {}\n`)),
      errors: [{ messageId: 'missing', line: 12, column: 5 }],
      output: withApi(deployment(envApi, sysctlsBlock)),
    },
    {
      name: 'existing init containers: the alternative appends one',
      code: withApi(deployment(envApi, `      initContainers:\n      - name: migrate\n        image: app:1\n`)),
      errors: [
        {
          messageId: 'missing',
          line: 12,
          column: 5,
          suggestions: [
            withApi(
              deployment(envApi, `      initContainers:\n      - name: migrate\n        image: app:1\n${initBlock(false).split('\n').slice(1).join('\n')}`),
            ),
          ],
        },
      ],
      output: withApi(deployment(envApi, `${sysctlsBlock}      initContainers:\n      - name: migrate\n        image: app:1\n`)),
    },
  ],
});

// Indentation styles and other kinds, in a table of their own so each fixture reads whole.
const fourSpaces = `apiVersion: batch/v1
kind: CronJob
metadata:
    name: report
spec:
    schedule: "0 * * * *"
    jobTemplate:
        spec:
            template:
                spec:
                    restartPolicy: Never
                    containers:
                        - name: report
                          image: report:1
                          args:
                              - --db=http://api:80
---
${api}`;

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: c:1
    envFrom:
    - configMapRef:
        name: client-config
`;

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: client-config
data:
  UPSTREAM: api:80
`;

const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  template:
    metadata:
      labels:
        app: canary
    spec:
      containers:
      - name: canary
        image: canary:1
        volumeMounts:
        - name: conf
          mountPath: /etc/app
      volumes:
      - name: conf
        secret:
          secretName: canary-secret
`;

const secret = `apiVersion: v1
kind: Secret
metadata:
  name: canary-secret
data:
  app.ini: ${Buffer.from('[upstream]\nurl = http://api:8080\n').toString('base64')}
`;

const list = `apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: StatefulSet
  metadata:
    name: worker
  spec:
    template:
      spec:
        containers:
        - name: w
          image: w:1
          env:
          - name: API
            valueFrom:
              configMapKeyRef:
                name: worker-config
                key: api
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: worker-config
  data:
    api: http://api
    unrelated: api
`;

ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'CronJob with 4-space indentation and indented sequences',
      code: fourSpaces,
      errors: [{ messageId: 'missing', line: 10, column: 17 }],
      output: fourSpaces.replace(
        '                spec:\n',
        `                spec:
                    securityContext:
                        sysctls:
                            - name: net.ipv4.tcp_keepalive_time
                              value: "60"
                            - name: net.ipv4.tcp_keepalive_intvl
                              value: "10"
                            - name: net.ipv4.tcp_keepalive_probes
                              value: "3"
`,
      ),
    },
    {
      name: 'Pod with envFrom a ConfigMap in another file; reported at its spec',
      code: pod,
      files: [
        { path: '/project/cm.yaml', text: configMap },
        { path: '/project/api.yaml', text: api },
      ],
      errors: [{ messageId: 'missing', line: 5, column: 1, endColumn: 5, related: 2, messageIncludes: ['ConfigMap client-config key UPSTREAM'] }],
      output: pod.replace(
        'spec:\n',
        'spec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_keepalive_time\n      value: "60"\n    - name: net.ipv4.tcp_keepalive_intvl\n      value: "10"\n    - name: net.ipv4.tcp_keepalive_probes\n      value: "3"\n',
      ),
    },
    {
      name: 'Argo Rollout mounting a Secret (base64 data)',
      code: `${rollout}---\n${secret}---\n${api}`,
      errors: [{ messageId: 'missing', line: 10, column: 5, messageIncludes: ['Secret canary-secret'] }],
      output: `${rollout.replace(
        '    spec:\n      containers:',
        '    spec:\n      securityContext:\n        sysctls:\n        - name: net.ipv4.tcp_keepalive_time\n          value: "60"\n        - name: net.ipv4.tcp_keepalive_intvl\n          value: "10"\n        - name: net.ipv4.tcp_keepalive_probes\n          value: "3"\n      containers:',
      )}---\n${secret}---\n${api}`,
    },
    {
      name: 'kind: List with a configMapKeyRef to one key',
      code: `${list}---\n${api}`,
      errors: [{ messageId: 'missing', line: 10, column: 7 }],
      output: `${list.replace(
        '      spec:\n        containers:',
        '      spec:\n        securityContext:\n          sysctls:\n          - name: net.ipv4.tcp_keepalive_time\n            value: "60"\n          - name: net.ipv4.tcp_keepalive_intvl\n            value: "10"\n          - name: net.ipv4.tcp_keepalive_probes\n            value: "3"\n        containers:',
      )}---\n${api}`,
    },
  ],
});
