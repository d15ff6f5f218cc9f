/** The core stays pure: no editor, file system, process or console access under rules/. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

const root = join(import.meta.dirname, '..', '..', 'rules');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

it('rules/ imports no vscode, node I/O or process modules, and does not log or exit', () => {
  const offences: string[] = [];
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/from '([^']+)'/g)) {
      const module = match[1]!;
      if (/^vscode|^node:|^(fs|path|child_process|os|net|http|https|process)(\/|$)/.test(module)) offences.push(`${file}: imports ${module}`);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    if (/\bconsole\.|\bprocess\.|\brequire\(/.test(code)) offences.push(`${file}: uses console, process or require`);
  }
  assert.deepEqual(offences, []);
});
