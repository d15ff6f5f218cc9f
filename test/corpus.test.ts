/**
 * The hand-labelled corpus of real manifests (test/corpus/k8s, see its README): every `expect=flag`
 * workload is flagged by k8s/keepalive-sysctl-missing and no `expect=no-flag` one is, apart from the
 * short list of argued disagreements below. The templated set must never crash the linter.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../rules/config.ts';
import { analyseYaml, buildIndex, lintYaml, type AnalysedYaml } from '../rules/lint.ts';

const root = join(import.meta.dirname, 'corpus');
const config = (() => {
  const resolved = resolveConfig({});
  assert.ok(resolved.ok);
  return resolved.config;
})();

interface Label {
  readonly file: string;
  readonly docIndex: number;
  readonly kind: string;
  readonly name: string;
  readonly expect: 'flag' | 'no-flag' | 'either';
  readonly notes: string;
}

function labels(): Label[] {
  const [header, ...rows] = readFileSync(join(root, 'k8s', 'LABELS.tsv'), 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  return rows.map((row) => {
    const cells = Object.fromEntries(row.split('\t').map((cell, i) => [columns[i], cell]));
    const expect = /^expect=(flag|no-flag|either)/.exec(cells['notes'] ?? '')?.[1];
    assert.ok(expect, `label without expect=: ${row}`);
    return {
      file: cells['saved_as']!,
      docIndex: Number(cells['doc_index']),
      kind: cells['kind']!,
      name: cells['name']!,
      expect: expect as Label['expect'],
      notes: cells['notes']!,
    };
  });
}

/**
 * Where this linter and the hand labels disagree, each argued. Keys are `file#doc_index`.
 * The contract makes only Services *of the linted set* evidence for a bare name; these
 * workloads name a Service that the corpus does not contain (NOT-IN-CORPUS), so from the files
 * alone nothing says the name is a Service rather than an external host. Linting them together with
 * the Service flags them (checked below by adding one).
 */
const KNOWN_MISSES: Record<string, { readonly service: string; readonly why: string }> = {
  'istio__istio/samples__bookinfo__platform__kube__bookinfo-ratings-v2-mysql.yaml#0': {
    service: 'mysqldb',
    why: 'MYSQL_DB_HOST=mysqldb; Service mysqldb lives in bookinfo-mysql.yaml, not in the corpus',
  },
  'kubernetes__examples/_archived__elasticsearch__es-rc.yaml#0': {
    service: 'elasticsearch',
    why: 'DISCOVERY_SERVICE=elasticsearch; Service elasticsearch lives in es-svc.yaml, not in the corpus',
  },
  'kubernetes__website/content__en__examples__application__job__rabbitmq__job.yaml#0': {
    service: 'rabbitmq-service',
    why: 'BROKER_URL=amqp://guest:guest@rabbitmq-service:5672; Service rabbitmq-service is not in the corpus',
  },
};

/** Linted sets: one per project folder, as a repository is linted in one run. Argo CD's two
 * install manifests are alternatives (never applied together), so each is its own set. */
function lintedSets(): { files: string[] }[] {
  const sets: { files: string[] }[] = [];
  for (const dir of readdirSync(join(root, 'k8s'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const files = readdirSync(join(root, 'k8s', dir.name)).map((f) => `${dir.name}/${f}`);
    if (dir.name === 'argoproj__argo-cd') for (const f of files) sets.push({ files: [f] });
    else sets.push({ files });
  }
  return sets;
}

function analyse(file: string): AnalysedYaml {
  return analyseYaml({ path: file, text: readFileSync(join(root, 'k8s', file), 'utf8') });
}

/** `file#doc_index` of every workload flagged by k8s/keepalive-sysctl-missing, with kind/name. */
function flagged(extra: AnalysedYaml[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of lintedSets()) {
    const analysed = set.files.map(analyse);
    const index = buildIndex([...analysed, ...extra]);
    for (const file of analysed) {
      assert.equal(file.file.problem, undefined, `${file.file.path} must parse`);
      const result = lintYaml(file, index, config);
      assert.deepEqual(result.ruleFailures, []);
      for (const finding of result.findings) {
        if (finding.ruleId !== 'k8s/keepalive-sysctl-missing') continue;
        const workload = file.facts.workloads.find((w) => w.podSpecPair.key.range?.[0] === finding.range.start);
        assert.ok(workload, `finding not at a workload's spec key: ${finding.message}`);
        out.set(`${file.file.path}#${workload.ctx.index}`, `${workload.resource.kind}/${workload.resource.name}`);
      }
    }
  }
  return out;
}

describe('labelled corpus (test/corpus/k8s)', () => {
  const all = labels();
  const found = flagged();

  it('has the labels its README promises', () => {
    assert.equal(all.length, 72);
    assert.equal(all.filter((l) => l.expect === 'flag').length, 20);
    assert.equal(all.filter((l) => l.expect === 'no-flag').length, 30);
  });

  it('flags every expect=flag workload (except the argued misses)', () => {
    const missed = all
      .filter((l) => l.expect === 'flag' && !found.has(`${l.file}#${l.docIndex}`) && !(`${l.file}#${l.docIndex}` in KNOWN_MISSES))
      .map((l) => `${l.file}#${l.docIndex} ${l.kind}/${l.name}: ${l.notes}`);
    assert.deepEqual(missed, []);
  });

  it('flags no expect=no-flag workload', () => {
    const wrong = all.filter((l) => l.expect === 'no-flag' && found.has(`${l.file}#${l.docIndex}`)).map((l) => `${l.file}#${l.docIndex} ${l.kind}/${l.name}`);
    assert.deepEqual(wrong, []);
  });

  it('reports findings only on labelled workloads, with matching kind and name', () => {
    const byKey = new Map(all.map((l) => [`${l.file}#${l.docIndex}`, l]));
    for (const [key, kindName] of found) {
      const label = byKey.get(key);
      assert.ok(label, `flagged an unlabelled workload ${key} ${kindName}`);
      assert.equal(kindName, `${label.kind}/${label.name}`, `document index drift at ${key}`);
    }
  });

  it('keeps the list of disagreements honest: each known miss is still a miss, and flips once its Service is linted too', () => {
    for (const [key, miss] of Object.entries(KNOWN_MISSES)) {
      assert.ok(!found.has(key), `${key} is now flagged: remove it from KNOWN_MISSES`);
      const serviceFile = analyseYaml({
        path: `synthetic/${miss.service}.yaml`,
        text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${miss.service}\nspec:\n  selector:\n    app: ${miss.service}-synthetic\n  ports:\n  - port: 80\n`,
      });
      assert.ok(flagged([serviceFile]).has(key), `${key} (${miss.why}) is not flagged even with Service ${miss.service} in the set`);
    }
  });
});

describe('templated and overlay corpus (test/corpus/k8s-templated)', () => {
  const dir = join(root, 'k8s-templated');
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(dir, d.name)).map((f) => `${d.name}/${f}`));

  it('never crashes, and every Helm/mustache file is recognised as a template', () => {
    const analysed = files.map((file) => analyseYaml({ path: file, text: readFileSync(join(dir, file), 'utf8') }));
    const index = buildIndex(analysed);
    for (const file of analysed) {
      const isTemplate = /templates__|template\.yaml$/.test(file.file.path);
      if (isTemplate) assert.ok(file.templated, `${file.file.path} should be recognised as a template`);
      else {
        assert.ok(!file.templated, `${file.file.path} is a kustomize file, not a template`);
        assert.equal(file.file.problem, undefined, `${file.file.path} parses`);
        assert.deepEqual(lintYaml(file, index, config).ruleFailures, []);
      }
    }
  });

  it('does not mistake {{ }} inside strings for template structure (istio grafana dashboards)', () => {
    const grafana = analyse('istio__istio/samples__addons__grafana.yaml');
    assert.ok(grafana.file.text.includes('{{'));
    assert.equal(grafana.templated, false);
  });
});
