import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostTokens } from '../../rules/k8s/evidence.ts';

const hosts = (text: string) => hostTokens(text).map((t) => `${t.host}${t.shaped ? ':' : ''}${t.whole ? '!' : ''}`);

describe('host tokens', () => {
  it('reads every documented form', () => {
    assert.deepEqual(hosts('api'), ['api!']);
    assert.deepEqual(hosts('api:8080'), ['api:!']);
    assert.deepEqual(hosts('http://api:8080/v1?x=1'), ['api:']);
    assert.deepEqual(hosts('grpc://api'), ['api:!']);
    assert.deepEqual(hosts('api.ns'), ['api.ns!']);
    assert.deepEqual(hosts('api.ns.svc'), ['api.ns.svc!']);
    assert.deepEqual(hosts('api.ns.svc.cluster.local.'), ['api.ns.svc.cluster.local!']);
  });

  it('strips user info, ports written as variables, and splits lists and flags', () => {
    assert.deepEqual(hosts('amqp://guest:guest@rabbit:5672'), ['rabbit:!']);
    assert.deepEqual(hosts('redis:$(REDIS_PORT)'), ['redis:!']);
    assert.deepEqual(hosts('--brokers=kafka-0:9092,kafka-1:9092'), ['kafka-0:', 'kafka-1:']);
  });

  it('ignores what is not a host', () => {
    assert.deepEqual(hosts('10.0.0.1:80'), []);
    assert.deepEqual(hosts('[::1]:80'), []);
    assert.deepEqual(hosts('/etc/config/app.yaml'), []);
    assert.deepEqual(hosts('dist/index_bundle.js'), []);
    assert.deepEqual(hosts('nginx:1.25-alpine'), []);
    assert.deepEqual(hosts('$(POD_NAMESPACE)/ingress-nginx-controller'), []);
    assert.deepEqual(hosts('svc,svc.$(POD_NAMESPACE).svc'), ['svc']);
    assert.deepEqual(hosts('Hello_World'), []);
  });

  it('keeps whole tokens whole', () => {
    assert.deepEqual(hosts('rapid'), ['rapid!']);
    assert.deepEqual(hosts('https://api-gateway.example.com'), ['api-gateway.example.com:!']);
  });
});
