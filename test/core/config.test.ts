import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSchema, describeTimeout, effectiveTimeout, resolveConfig, validateConfig } from '../../rules/config.ts';
import { parseGoDurationSeconds } from '../../rules/k8s/model.ts';
import { MIDDLEBOX_PROFILES } from '../../rules/profiles.ts';
import { RULE_IDS } from '../../rules/registry.ts';

function errorsOf(value: unknown): readonly string[] {
  const result = validateConfig(value, '.keepalive-lint.yaml', RULE_IDS);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.errors;
}

describe('config validation', () => {
  it('accepts every documented key', () => {
    const result = validateConfig(
      {
        middleboxes: ['ipvs', 'aws-nlb'],
        idleTimeoutSeconds: 600,
        kubernetesVersion: '1.30',
        keepalive: { time: 30, intvl: 5, probes: 4 },
        initContainerImage: 'busybox:1.37',
        rules: { 'k8s/keepalive-sysctl-missing': 'error', 'k8s/sysctl-rejected': 'off' },
        ignore: ['legacy/**'],
        serviceEvidence: 'always',
        osKeepaliveTimeSeconds: 60,
      },
      'f',
      RULE_IDS,
    );
    assert.deepEqual(result.ok ? [] : result.errors, []);
  });

  it('names the file, the unknown key and the allowed keys', () => {
    const [error] = errorsOf({ idleTimeout: 900 });
    assert.match(error!, /^\.keepalive-lint\.yaml: unknown key "idleTimeout"; allowed keys: idleTimeoutSeconds, middleboxes, /);
  });

  it('names nested unknown keys with their path', () => {
    assert.match(errorsOf({ keepalive: { tim: 60 } })[0]!, /unknown key "keepalive\.tim"; allowed keys: time, intvl, probes/);
  });

  it('lists the allowed middleboxes for a bad one', () => {
    assert.match(errorsOf({ middleboxes: ['aws-alb'] })[0]!, /key "middleboxes\.0" has value "aws-alb"; allowed: ipvs, iptables, cilium, /);
  });

  it('lists rule ids and severities', () => {
    assert.ok(errorsOf({ rules: { 'k8s/nope': 'warn' } }).some((e) => /unknown rule id "k8s\/nope".*k8s\/keepalive-sysctl-missing/.test(e)));
    assert.ok(errorsOf({ rules: { 'k8s/sysctl-rejected': 'warning' } }).some((e) => /"rules\.k8s\/sysctl-rejected" has value "warning"; allowed: off, warn, error/.test(e)));
  });

  it('explains an unquoted YAML version number', () => {
    assert.match(errorsOf({ kubernetesVersion: 1.3 })[0]!, /quoted string such as "1\.30"/);
    assert.match(errorsOf({ kubernetesVersion: 'latest' })[0]!, /must look like "1\.29"/);
  });

  it('rejects non-positive or fractional timeouts', () => {
    assert.ok(errorsOf({ idleTimeoutSeconds: 0 }).length > 0);
    assert.ok(errorsOf({ idleTimeoutSeconds: 1.5 }).length > 0);
    assert.ok(errorsOf({ keepalive: { time: -1 } }).length > 0);
  });

  it('takes osKeepaliveTimeSeconds as whole seconds of at least 1', () => {
    assert.match(errorsOf({ osKeepaliveTimeSeconds: 0 })[0]!, /key "osKeepaliveTimeSeconds" must be >= 1/);
    assert.match(errorsOf({ osKeepaliveTimeSeconds: 1.5 })[0]!, /key "osKeepaliveTimeSeconds" must be integer/);
    assert.match(errorsOf({ osKeepaliveTimeSeconds: '60' })[0]!, /key "osKeepaliveTimeSeconds" must be integer, got "60"/);
  });

  it('the schema carries descriptions and defaults for the editor settings', () => {
    const schema = configSchema(RULE_IDS) as { properties: Record<string, { description?: string }> };
    for (const [key, property] of Object.entries(schema.properties)) assert.ok(property.description, `${key} has no description`);
  });
});

describe('config resolution', () => {
  it('defaults to the ipvs profile, 1.29 and 60/10/3', () => {
    const result = resolveConfig({});
    assert.ok(result.ok);
    assert.equal(result.config.idleTimeout.seconds, 900);
    assert.equal(result.config.idleTimeoutExplicit, false);
    assert.deepEqual(result.config.kubernetesVersion, { major: 1, minor: 29 });
    assert.deepEqual(result.config.keepalive, { time: 60, intvl: 10, probes: 3 });
    assert.equal(result.config.initContainerImage, 'busybox:1.36');
    assert.equal(result.config.osKeepaliveTimeSeconds, 7200, 'a new network namespace keeps tcp_keepalive_time=7200');
    assert.match(describeTimeout(result.config.idleTimeout), /^T=900s \(the default "ipvs" profile/);
  });

  it('takes the smallest timeout of the listed middleboxes and of idleTimeoutSeconds', () => {
    for (const [name, profile] of Object.entries(MIDDLEBOX_PROFILES)) {
      const result = resolveConfig({ middleboxes: [name as keyof typeof MIDDLEBOX_PROFILES] });
      assert.ok(result.ok && result.config.idleTimeout.seconds === profile.seconds, name);
    }
    const both = resolveConfig({ middleboxes: ['gcp-cloud-nat', 'gcp-vpc-firewall'], idleTimeoutSeconds: 700 }, {}, 'cfg.yaml');
    assert.ok(both.ok);
    assert.equal(both.config.idleTimeout.seconds, 600);
    assert.match(describeTimeout(both.config.idleTimeout), /middlebox "gcp-vpc-firewall" in cfg\.yaml/);
  });

  it('lets flags replace the file', () => {
    const result = resolveConfig({ idleTimeoutSeconds: 100 }, { middleboxes: ['azure-lb'], kubernetesVersion: '1.27', rules: { 'k8s/sysctl-rejected': 'warn' } });
    assert.ok(result.ok);
    assert.equal(result.config.idleTimeout.seconds, 240);
    assert.match(describeTimeout(result.config.idleTimeout), /--middlebox azure-lb/);
    assert.equal(result.config.kubernetesVersionText, '1.27');
    assert.equal(result.config.ruleSeverities.get('k8s/sysctl-rejected'), 'warn');
  });

  it('takes the pods\' tcp_keepalive_time from osKeepaliveTimeSeconds, also above T', () => {
    const below = resolveConfig({ osKeepaliveTimeSeconds: 30 });
    const above = resolveConfig({ middleboxes: ['azure-lb'], osKeepaliveTimeSeconds: 600 });
    assert.ok(below.ok && above.ok);
    assert.equal(below.config.osKeepaliveTimeSeconds, 30);
    assert.equal(above.config.osKeepaliveTimeSeconds, 600);
  });

  it('refuses keepalive values that are not below T', () => {
    const result = resolveConfig({ middleboxes: ['azure-lb'], keepalive: { time: 300 } }, {}, 'x.yaml');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.errors[0]!, /keepalive\.time 300s must be below the idle timeout T=240s/);
  });

  it('kube-proxy config sets T only when nothing explicit does', () => {
    const kubeProxy = { seconds: 300, path: 'kp.yaml', range: { start: 0, end: 1 } };
    const implicit = resolveConfig({});
    const explicit = resolveConfig({ idleTimeoutSeconds: 1200 });
    assert.ok(implicit.ok && explicit.ok);
    assert.equal(effectiveTimeout(implicit.config, kubeProxy).seconds, 300);
    assert.equal(effectiveTimeout(explicit.config, kubeProxy).seconds, 1200);
  });

  it('parses Go durations as kube-proxy writes them', () => {
    assert.equal(parseGoDurationSeconds('900s'), 900);
    assert.equal(parseGoDurationSeconds('15m0s'), 900);
    assert.equal(parseGoDurationSeconds('1h2m3s'), 3723);
    assert.equal(parseGoDurationSeconds('1.5h'), 5400);
    assert.equal(parseGoDurationSeconds('0'), 0);
    assert.equal(parseGoDurationSeconds('15 minutes'), undefined);
  });
});
