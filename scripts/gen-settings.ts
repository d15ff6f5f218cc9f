/** Writes package.json `contributes.configuration` from the config schema (`npm run docs`). A test fails on drift. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsContribution } from './settings.ts';

const path = join(import.meta.dirname, '..', 'package.json');
const text = readFileSync(path, 'utf8');
const manifest = JSON.parse(text) as { contributes?: Record<string, unknown> };
manifest.contributes = { ...manifest.contributes, configuration: settingsContribution() };
const next = `${JSON.stringify(manifest, null, 2)}\n`;
if (next !== text) {
  writeFileSync(path, next);
  process.stdout.write('package.json: contributes.configuration updated\n');
}
