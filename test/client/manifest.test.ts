/**
 * The extension manifest (package.json) against its sources: settings generated from the config
 * schema (drift fails: run `npm run docs`), commands, activation, the bundled entry point, packaging.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { settingsContribution } from '../../scripts/settings.ts';
import { CLIENT_COMMANDS, DOCUMENT_LANGUAGES } from '../../server/protocol.ts';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  icon: string;
  publisher: string;
  engines: { vscode: string };
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean } };
  contributes: { configuration: unknown; commands: { command: string; title: string; category: string }[] };
  devDependencies: Record<string, string>;
};

it('contributes.configuration is generated from the config schema (run `npm run docs` after changing it)', () => {
  assert.deepEqual(manifest.contributes.configuration, settingsContribution());
});

it('every setting but trace maps to a config-file key and is resource-scoped', () => {
  const properties = settingsContribution().properties;
  for (const [key, schema] of Object.entries(properties)) {
    assert.match(key, /^keepaliveLint\./);
    if (key !== 'keepaliveLint.trace.server') assert.equal((schema as { scope: string }).scope, 'resource', key);
  }
  assert.equal((properties['keepaliveLint.middleboxes'] as { default: unknown }).default, null, 'an unset middleboxes leaves T to kube-proxy config');
});

it('declares the commands the client registers, activation on its languages and config files, and untrusted support', () => {
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(CLIENT_COMMANDS).sort());
  assert.deepEqual(
    manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`).sort(),
    ['Keepalive Lint: Fix All in File', 'Keepalive Lint: Lint Workspace', 'Keepalive Lint: Show Output'],
  );
  for (const language of DOCUMENT_LANGUAGES) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
  assert.ok(manifest.activationEvents.includes('workspaceContains:**/.keepalive-lint.{yaml,yml,json}'));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  const extension = readFileSync(join(root, 'client', 'extension.ts'), 'utf8');
  assert.match(extension, /registerCommand\(COMMANDS\.lintWorkspace/);
});

it('points main at the CommonJS client bundle that the build writes, and ships it', () => {
  assert.equal(manifest.main, './dist/client.cjs');
  assert.ok(existsSync(join(root, manifest.main)), 'npm run build writes dist/client.cjs');
  assert.ok(existsSync(join(root, manifest.icon)));
  assert.ok(existsSync(join(root, 'CHANGELOG.md')));
  assert.ok(manifest.publisher);
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const file of ['dist/client.cjs', 'dist/server.js', 'icon.png', 'README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(ignore.includes(`!${file}`), file);
  // engines.vscode must not be older than the API the client is typed against.
  const types = /(\d+\.\d+)/.exec(manifest.devDependencies['@types/vscode'] ?? '')?.[1];
  assert.equal(/(\d+\.\d+)/.exec(manifest.engines.vscode)?.[1], types);
});

it('a packaged .vsix, when there is one, stays under 5 MB', () => {
  const vsix = readdirSync(root).filter((name) => name.endsWith('.vsix'));
  for (const name of vsix) assert.ok(statSync(join(root, name)).size < 5 * 1024 * 1024, `${name} is over 5 MB`);
});
