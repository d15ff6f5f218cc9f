import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  librariesFromLockfile,
  librariesFromPackageJson,
  mayBeBelow,
  nodeFromDockerfile,
  nodeFromPackageJson,
  nodeFromVersionFile,
  rangeMinimum,
} from '../../rules/node/versions.ts';

const v = (text: string | undefined) => text;
const show = (s: { major: number; minor: number; patch: number } | undefined) => (s ? `${s.major}.${s.minor}.${s.patch}` : undefined);

describe('version ranges', () => {
  it('takes the lowest version a range admits', () => {
    assert.equal(show(rangeMinimum('>=18.15')), '18.15.0');
    assert.equal(show(rangeMinimum('^20.1.2')), '20.1.2');
    assert.equal(show(rangeMinimum('~5.2')), '5.2.0');
    assert.equal(show(rangeMinimum('20.x')), '20.0.0');
    assert.equal(show(rangeMinimum('18 || >=20.3')), '18.0.0');
    assert.equal(show(rangeMinimum('>=18 <23')), '18.0.0');
    assert.equal(show(rangeMinimum('1.2.3 - 2.0.0')), '1.2.3');
    assert.equal(show(rangeMinimum('>24.14.9')), '24.14.10');
    assert.equal(show(rangeMinimum('*')), v(undefined));
    assert.equal(show(rangeMinimum('<22')), v(undefined));
    assert.equal(show(rangeMinimum('latest')), v(undefined));
  });

  it('treats an unknown Node version as possibly old', () => {
    assert.equal(mayBeBelow(undefined, 24, 15), true);
    assert.equal(mayBeBelow({ version: { major: 24, minor: 15, patch: 0 }, source: 'x' }, 24, 15), false);
    assert.equal(mayBeBelow({ version: { major: 24, minor: 14, patch: 9 }, source: 'x' }, 24, 15), true);
    assert.equal(mayBeBelow({ version: { major: 26, minor: 0, patch: 0 }, source: 'x' }, 24, 15), false);
  });
});

describe('Node version sources', () => {
  it('reads engines.node, .nvmrc/.node-version and the last FROM node stage', () => {
    assert.equal(show(nodeFromPackageJson('{"engines":{"node":">=20.11"}}')), '20.11.0');
    assert.equal(show(nodeFromPackageJson('{"name":"x"}')), v(undefined));
    assert.equal(show(nodeFromPackageJson('not json')), v(undefined));
    assert.equal(show(nodeFromVersionFile('v22.3.0\n')), '22.3.0');
    assert.equal(show(nodeFromVersionFile('lts/iron\n')), v(undefined));
    assert.equal(show(nodeFromDockerfile('FROM node:20 AS build\nRUN npm ci\nFROM docker.io/library/node:24.15-alpine\nCMD ["node","x"]\n')), '24.15.0');
    assert.equal(show(nodeFromDockerfile('FROM --platform=linux/amd64 node:18-slim\n')), '18.0.0');
    assert.equal(show(nodeFromDockerfile('FROM gcr.io/distroless/nodejs20\n')), v(undefined));
  });
});

describe('library versions', () => {
  it('reads package.json ranges as their minimum', () => {
    const libs = librariesFromPackageJson('{"dependencies":{"ioredis":"^5.3.2","pg":"npm:pg@^8.11.0"},"devDependencies":{"ws":"*"}}');
    assert.equal(show(libs.get('ioredis')), '5.3.2');
    assert.equal(show(libs.get('pg')), '8.11.0');
    assert.equal(libs.has('ws'), false);
  });

  it('reads npm lockfiles v1 and v3, top-level installs first', () => {
    const v3 = JSON.stringify({
      lockfileVersion: 3,
      packages: { '': {}, 'node_modules/undici': { version: '6.21.0' }, 'node_modules/x/node_modules/undici': { version: '5.1.0' }, 'node_modules/@grpc/grpc-js': { version: '1.8.22' } },
    });
    const libs = librariesFromLockfile('package-lock.json', v3);
    assert.equal(show(libs.get('undici')), '6.21.0');
    assert.equal(show(libs.get('@grpc/grpc-js')), '1.8.22');
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { mongodb: { version: '6.17.0' } } });
    assert.equal(show(librariesFromLockfile('package-lock.json', v1).get('mongodb')), '6.17.0');
  });

  it('reads pnpm lockfiles', () => {
    const text = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      redis:\n        specifier: ^4.6.0\n        version: 4.7.0\n      '@redis/client':\n        specifier: ^1.5.0\n        version: 1.6.0(@types/node@20.0.0)\n`;
    const libs = librariesFromLockfile('pnpm-lock.yaml', text);
    assert.equal(show(libs.get('redis')), '4.7.0');
    assert.equal(show(libs.get('@redis/client')), '1.6.0');
  });

  it('reads yarn classic and berry lockfiles', () => {
    const classic = `# yarn lockfile v1\n\n"ioredis@^4.28.0", ioredis@^4.28.5:\n  version "4.28.5"\n  resolved "https://registry/x"\n\n"@grpc/grpc-js@^1.9.0":\n  version "1.9.15"\n`;
    const libs = librariesFromLockfile('yarn.lock', classic);
    assert.equal(show(libs.get('ioredis')), '4.28.5');
    assert.equal(show(libs.get('@grpc/grpc-js')), '1.9.15');
    const berry = `__metadata:\n  version: 6\n\n"mysql2@npm:^3.6.0":\n  version: 3.9.7\n  resolution: "mysql2@npm:3.9.7"\n`;
    assert.equal(show(librariesFromLockfile('yarn.lock', berry).get('mysql2')), '3.9.7');
  });
});
