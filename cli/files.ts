/**
 * Which files a run lints: walks folders for YAML and TS/JS, skipping node_modules, .git, .gitignore'd paths,
 * config `ignore` globs and Helm chart templates (with a note saying how to lint them rendered).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isCodePath } from '../rules/ts/parse.ts';

export const LINTED_EXTENSIONS = ['.yaml', '.yml'] as const;
const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface Collected {
  readonly files: string[];
  /** Helm charts whose templates were skipped: chart folder → number of files. */
  readonly skippedCharts: Map<string, number>;
  readonly missing: string[];
  /** Files named explicitly but skipped anyway (inside node_modules or .git), with why. */
  readonly skipped: { readonly path: string; readonly reason: string }[];
  /**
   * Paths that cannot even be looked at: a symlink loop or a dangling link with a linted name met
   * while walking (links are not followed there), or a path named explicitly that cannot be stat'ed.
   */
  readonly unreadable: { readonly path: string; readonly reason: string }[];
}

/** Why a path cannot be read, in words (the errno code alone says little to most users). */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop)';
    case 'ENOENT':
      return 'no such file (a dangling symlink, or removed while linting)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return (error as Error).message ?? String(error);
  }
}

interface IgnoreLayer {
  readonly base: string;
  readonly rules: Ignore;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function gitignoreLayer(dir: string): Promise<IgnoreLayer | undefined> {
  try {
    const text = await readFile(join(dir, '.gitignore'), 'utf8');
    return { base: dir, rules: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignoredBy(layers: readonly IgnoreLayer[], path: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = relative(layer.base, path).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** .gitignore files from the repository root (the nearest folder with .git) down to `dir`. */
async function ancestorLayers(dir: string): Promise<IgnoreLayer[]> {
  const chain: string[] = [];
  let current = dir;
  for (;;) {
    chain.unshift(current);
    if (await exists(join(current, '.git'))) break;
    const parent = dirname(current);
    if (parent === current) return (await gitignoreLayer(dir).then((l) => (l ? [l] : [])));
    current = parent;
  }
  const layers: IgnoreLayer[] = [];
  for (const folder of chain) {
    const layer = await gitignoreLayer(folder);
    if (layer) layers.push(layer);
  }
  return layers;
}

/** The chart folder when `path` lies under `<chart>/templates/` next to a Chart.yaml. */
export async function helmChartOf(path: string): Promise<string | undefined> {
  const parts = resolve(path).split(sep);
  for (let i = parts.length - 2; i > 0; i--) {
    if (parts[i] !== 'templates') continue;
    const chart = parts.slice(0, i).join(sep) || sep;
    if ((await exists(join(chart, 'Chart.yaml'))) || (await exists(join(chart, 'Chart.yml')))) return chart;
  }
  return undefined;
}

/** Manifests by extension, and TS/JS sources (not declaration files). */
export function isLintedPath(name: string): boolean {
  return LINTED_EXTENSIONS.some((ext) => name.endsWith(ext)) || isCodePath(name);
}

export async function collectFiles(paths: readonly string[], cwd: string): Promise<Collected> {
  const files: string[] = [];
  const skippedCharts = new Map<string, number>();
  const missing: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  const add = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const chart = await helmChartOf(file);
    if (chart) skippedCharts.set(chart, (skippedCharts.get(chart) ?? 0) + 1);
    else files.push(file);
  };

  const walk = async (dir: string, layers: readonly IgnoreLayer[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to lint there
    }
    // Only folders that have a .gitignore are asked for one (most have none).
    const own = entries.some((entry) => entry.name === '.gitignore') ? await gitignoreLayer(dir) : undefined;
    const active = own && !layers.some((l) => l.base === dir) ? [...layers, own] : layers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || ignoredBy(active, path, true)) continue;
        await walk(path, active);
      } else if (entry.isFile() && isLintedPath(entry.name) && !ignoredBy(active, path, false)) {
        await add(path);
      } else if (entry.isSymbolicLink() && isLintedPath(entry.name) && !ignoredBy(active, path, false)) {
        // Links are not followed while walking (name a linked file to lint it), but a broken one is reported.
        try {
          await stat(path);
        } catch (error) {
          unreadable.push({ path, reason: describeReadError(error) });
        }
      }
    }
  };

  for (const given of paths) {
    const path = resolve(cwd, given);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') missing.push(given);
      else unreadable.push({ path, reason: describeReadError(error) });
      continue;
    }
    if (info.isDirectory()) {
      await walk(path, await ancestorLayers(path));
    } else {
      // Named explicitly: linted whatever its extension says, unless it lies in node_modules or .git
      // below the working folder.
      const rel = relative(cwd, dirname(path));
      const skippedDir = rel.startsWith('..') ? undefined : rel.split(sep).find((part) => ALWAYS_SKIPPED_DIRS.has(part));
      if (skippedDir) skipped.push({ path, reason: `inside ${skippedDir}` });
      else await add(path);
    }
  }
  return { files, skippedCharts, missing, skipped, unreadable };
}

/**
 * Whether walking the folder `root` (as collectFiles does) reaches the file `path`: a linted
 * extension, no node_modules/.git or .gitignore'd folder on the way, not .gitignore'd itself, not a
 * Helm chart template. For callers that learn of single files (the language server's file watcher).
 */
export async function isWalkedPath(path: string, root: string): Promise<boolean> {
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return false;
  const parts = rel.split(sep);
  if (!isLintedPath(parts[parts.length - 1]!)) return false;
  let layers = await ancestorLayers(root);
  const withOwn = async (dir: string): Promise<void> => {
    const own = await gitignoreLayer(dir);
    if (own && !layers.some((l) => l.base === dir)) layers = [...layers, own];
  };
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    await withOwn(dir);
    dir = join(dir, part);
    if (ALWAYS_SKIPPED_DIRS.has(part) || ignoredBy(layers, dir, true)) return false;
  }
  await withOwn(dir);
  if (ignoredBy(layers, path, false)) return false;
  return (await helmChartOf(path)) === undefined;
}
