import { readFileSync } from 'node:fs';
import { analyseYaml, buildIndex } from './rules/lint.ts';
import { findEvidence } from './rules/k8s/evidence.ts';
const p = '/work/shared/corpus/k8s/argoproj__argo-cd/manifests__ha__namespace-install.yaml';
const a = analyseYaml({ path: p, text: readFileSync(p, 'utf8') });
const idx = buildIndex([a]);
console.log(a.facts.services.map(s => s.name + (s.headless ? '(h)' : '')).join(' '));
console.log(a.facts.configs.map(c => c.kind + ':' + c.name + ':' + c.entries.length).join(' '));
for (const w of a.facts.workloads) console.log(w.resource.kind, w.resource.name, findEvidence(w, idx).map(e => e.token + ' via ' + e.via));
