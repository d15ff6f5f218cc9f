/**
 * Re-parsing an edited YAML file from its previous parse (the editor's path) must give exactly what a
 * parse from scratch gives: the same problem, facts, findings and fixes, for any edit.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prng } from '../../bench/generate.mjs';
import { parseAllDocuments } from 'yaml';
import { resolveConfig } from '../../rules/config.ts';
import { analyseYaml, buildIndex, lintYaml, type AnalysedYaml } from '../../rules/lint.ts';

const config = (() => {
  const r = resolveConfig({ serviceEvidence: 'always' });
  assert.ok(r.ok);
  return r.config;
})();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(name) ? [path] : [];
    });
}

/** Everything a lint depends on and shows, as plain data (ranges included). */
function observe(analysed: AnalysedYaml): unknown {
  const { file, facts, templated } = analysed;
  const lint = templated ? undefined : lintYaml(analysed, buildIndex([analysed]), config);
  return {
    problem: file.problem,
    templated,
    docs: file.docs.map((ctx) => [ctx.index, ctx.doc.range, ctx.doc.toJS({ maxAliasCount: -1 }) as unknown]),
    services: facts.services,
    configs: facts.configs,
    namespaces: facts.namespaces,
    kubeProxy: facts.kubeProxy,
    workloads: facts.workloads.map((w) => [w.resource.kind, w.resource.name, w.resource.range, w.podSpec.range]),
    findings: lint?.findings,
    lintProblem: lint?.problem,
  };
}

/** Snippets that move document boundaries, break the syntax or change what a document declares. */
const SNIPPETS = ['---\n', '\n---\n', '--- ', '...\n', '%YAML 1.2\n', '[', ']', '{', '"', "'", '|\n  ---\n', '#', '\n', '  ', 'x', 'kind: Service\n', ':', '- ', '\t', '&a ', '*a', '\r\n', '{{ .Values.x }}'];

function edit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const choice = random();
  if (choice < 0.45) return text.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)]! + text.slice(at);
  if (choice < 0.8) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 40)));
  // A line moved: documents reordered or split.
  const lines = text.split('\n');
  const [line] = lines.splice(Math.floor(random() * lines.length), 1);
  lines.splice(Math.floor(random() * (lines.length + 1)), 0, line ?? '');
  return lines.join('\n');
}

const corpus = yamlFiles(join(import.meta.dirname, '..', 'corpus', 'k8s')).filter((path) => statSync(path).size < 60_000);

describe('incremental YAML parsing', () => {
  it('gives what a parse from scratch gives, edit after edit', () => {
    const random = prng(7).next;
    let compared = 0;
    for (const path of corpus) {
      let text = readFileSync(path, 'utf8');
      let previous = analyseYaml({ path, text });
      for (let step = 0; step < 12; step++) {
        text = edit(text, random);
        const incremental = analyseYaml({ path, text }, previous);
        const scratch = analyseYaml({ path, text });
        assert.deepEqual(observe(incremental), observe(scratch), `${path}, edit ${step + 1}`);
        compared++;
        previous = incremental;
      }
    }
    assert.ok(compared > 200, `compared ${compared} edits`);
  });

  it('re-parses only the edited document and moves the ones after it', () => {
    const doc = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n  - port: 80\n`;
    const before = [doc('a'), doc('b'), doc('c')].join('---\n');
    const previous = analyseYaml({ path: 'x.yaml', text: before });
    const [, second, third] = previous.file.docs.map((ctx) => ctx.doc);
    const after = before.replace('name: a', 'name: aa');
    const next = analyseYaml({ path: 'x.yaml', text: after }, previous);
    // The unchanged documents are the same objects, moved by the one inserted character.
    assert.equal(next.file.docs[1]!.doc, second);
    assert.equal(next.file.docs[2]!.doc, third);
    assert.deepEqual(next.facts.services.map((s) => [s.name, s.range]), analyseYaml({ path: 'x.yaml', text: after }).facts.services.map((s) => [s.name, s.range]));
    assert.equal(after.slice(next.facts.services[2]!.range.start, next.facts.services[2]!.range.end), 'c');
  });

  it('reports a syntax error where a whole-file parse reports it, not where its segment ends', () => {
    // An unclosed quote runs on past the `---`: the segment alone ends earlier than the whole file.
    for (const text of ['a: "unclosed\n---\nb: 1\n', "a: 'x\n---\nb: 1\n"]) {
      const whole = parseAllDocuments(text, { prettyErrors: false });
      const expected = (Array.isArray(whole) ? whole : []).flatMap((doc) => doc.errors)[0];
      assert.ok(expected);
      const { problem } = analyseYaml({ path: 'x.yaml', text }).file;
      assert.equal(problem?.range.start, expected.pos[0], JSON.stringify(text));
      const previous = analyseYaml({ path: 'x.yaml', text: text.replace('b: 1', 'b: 2') });
      assert.equal(analyseYaml({ path: 'x.yaml', text }, previous).file.problem?.range.start, expected.pos[0]);
    }
  });

  it('never reuses a parse twice: the second use parses from scratch', () => {
    const text = 'kind: Service\nmetadata:\n  name: a\n---\nkind: Service\nmetadata:\n  name: b\n';
    const previous = analyseYaml({ path: 'x.yaml', text });
    const edited = `# a comment\n${text}`;
    const first = analyseYaml({ path: 'x.yaml', text: edited }, previous);
    const second = analyseYaml({ path: 'x.yaml', text: `# another\n${text}` }, previous);
    assert.deepEqual(observe(first), observe(analyseYaml({ path: 'x.yaml', text: edited })));
    assert.deepEqual(observe(second), observe(analyseYaml({ path: 'x.yaml', text: `# another\n${text}` })));
  });
});
