/**
 * The project index updated by difference (the editor's path: one file set or deleted at a time)
 * answers every lookup exactly as an index built from scratch over the same files in the same order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prng } from '../../bench/generate.mjs';
import { ProjectIndex, type IndexFacts, type ProjectLookup } from '../../rules/k8s/model.ts';

const NAMES = ['api', 'db', 'cache'];
const NAMESPACES = ['default', 'prod'];

function randomFacts(path: string, random: () => number, tag: number): IndexFacts {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const range = { start: tag, end: tag + 1 };
  const count = () => Math.floor(random() * 3);
  return {
    path,
    services: Array.from({ length: count() }, (_, i) => ({ name: pick(NAMES), namespace: pick(NAMESPACES), headless: random() < 0.5, externalName: false, type: 'ClusterIP', selector: new Map(), path, range: { start: tag, end: i } })),
    configs: Array.from({ length: count() }, () => ({ kind: pick(['ConfigMap', 'Secret'] as const), name: pick(NAMES), namespace: pick(NAMESPACES), entries: [{ key: 'k', value: `${tag}`, path, range }] })),
    namespaces: Array.from({ length: count() }, (_, i) => ({ name: pick(NAMESPACES), enforceLevel: `${tag}.${i}` })),
    kubeProxy: random() < 0.2 ? [{ seconds: pick([300, 600, 900]), path, range }] : [],
  };
}

/** Every answer the rules can ask for, from any lookup. */
function answers(index: ProjectLookup): unknown {
  const out: unknown[] = [index.kubeProxy];
  for (const ns of NAMESPACES) {
    out.push(index.namespace(ns));
    for (const name of NAMES) out.push(index.service(ns, name), index.configs('ConfigMap', ns, name), index.configs('Secret', ns, name));
  }
  return out;
}

describe('project index', () => {
  it('updated by difference, answers as one built from scratch', () => {
    const random = prng(11).next;
    const index = new ProjectIndex();
    /** The files in file order: a replaced file keeps its place, a new one goes last. */
    const order: string[] = [];
    const current = new Map<string, IndexFacts>();
    for (let step = 0; step < 3000; step++) {
      const path = `f${Math.floor(random() * 12)}.yaml`;
      if (random() < 0.25) {
        index.delete(path);
        current.delete(path);
        if (order.includes(path)) order.splice(order.indexOf(path), 1);
      } else {
        const facts = randomFacts(path, random, step);
        index.set(facts);
        current.set(path, facts);
        if (!order.includes(path)) order.push(path);
      }
      const scratch = new ProjectIndex(order.map((p) => current.get(p)!));
      assert.deepEqual(answers(index), answers(scratch), `step ${step}`);
      // A fix candidate: one file replaced, the index itself untouched.
      const candidatePath = `f${Math.floor(random() * 12)}.yaml`;
      const candidate = randomFacts(candidatePath, random, -step);
      const revision = index.revision;
      const replaced = order.includes(candidatePath) ? order.map((p) => (p === candidatePath ? candidate : current.get(p)!)) : [...order.map((p) => current.get(p)!), candidate];
      assert.deepEqual(answers(index.withFile(candidate)), answers(new ProjectIndex(replaced)), `candidate at step ${step}`);
      assert.equal(index.revision, revision);
    }
  });

  it('keeps the first Service and the last Namespace in file order, and the tightest kube-proxy timeout', () => {
    const service = (path: string, headless: boolean) => ({ name: 'db', namespace: 'default', headless, externalName: false, type: 'ClusterIP', selector: new Map(), path, range: { start: 0, end: 1 } });
    const file = (path: string, headless: boolean, seconds: number): IndexFacts => ({
      path,
      services: [service(path, headless)],
      configs: [],
      namespaces: [{ name: 'default', enforceLevel: path }],
      kubeProxy: [{ seconds, path, range: { start: 0, end: 1 } }],
    });
    const index = new ProjectIndex([file('a.yaml', true, 600), file('b.yaml', false, 600)]);
    assert.equal(index.service('default', 'db')?.path, 'a.yaml');
    assert.equal(index.namespace('default')?.enforceLevel, 'b.yaml');
    assert.equal(index.kubeProxy?.path, 'a.yaml');
    index.set(file('a.yaml', true, 900)); // replaced in place: still first in file order
    assert.equal(index.service('default', 'db')?.path, 'a.yaml');
    assert.equal(index.kubeProxy?.path, 'b.yaml');
    index.delete('a.yaml');
    assert.equal(index.service('default', 'db')?.path, 'b.yaml');
    assert.equal(index.size, 1);
  });
});
