/**
 * The workspace index: every Kubernetes YAML file in the workspace folders (found as the CLI finds
 * them: .gitignore, node_modules, .git, Helm templates and config `ignore` respected), analysed once
 * and kept current from file-watcher events. Open documents stand in for their file on disk, so a
 * Deployment being edited is judged against Services, ConfigMaps, Namespaces and kube-proxy config
 * in files that are not open — and those files against its unsaved text.
 */
import { sep } from 'node:path';
import { CONFIG_FILE_NAMES, type LoadedConfig } from '../cli/config-loader.ts';
import { collectFiles, isWalkedPath, LINTED_EXTENSIONS } from '../cli/files.ts';
import { isIgnored, readText } from '../cli/run.ts';
import { analyseYaml, buildIndex, type AnalysedYaml } from '../rules/lint.ts';
import type { ProjectIndex } from '../rules/k8s/model.ts';

export function isYamlPath(path: string): boolean {
  return LINTED_EXTENSIONS.some((ext) => path.endsWith(ext));
}

export function isConfigFile(path: string): boolean {
  return CONFIG_FILE_NAMES.some((name) => path === name || path.endsWith(`${sep}${name}`) || path.endsWith(`/${name}`));
}

export interface WorkspaceHooks {
  /** The configuration that applies to a file (for its `ignore` globs). */
  configFor(path: string): Promise<LoadedConfig | undefined>;
  /** The open YAML documents, analysed at their current version. */
  openYaml(): Iterable<AnalysedYaml>;
  log(message: string): void;
}

export class WorkspaceIndex {
  private folders: string[] = [];
  private readonly disk = new Map<string, AnalysedYaml>();
  /** Bumped on every change of the files on disk. */
  private generation = 0;
  private readonly cache = new Map<string, { key: string; index: ProjectIndex }>();

  constructor(private readonly hooks: WorkspaceHooks) {}

  setFolders(folders: readonly string[]): void {
    this.folders = [...new Set(folders)].sort((a, b) => b.length - a.length);
    this.touch();
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** The innermost workspace folder holding `path`, if any. */
  folderOf(path: string): string | undefined {
    return this.folders.find((folder) => path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`));
  }

  get size(): number {
    return this.disk.size;
  }

  diskPaths(): string[] {
    return [...this.disk.keys()];
  }

  /** The analysed text of an indexed file on disk. */
  diskFile(path: string): AnalysedYaml | undefined {
    return this.disk.get(path);
  }

  private touch(): void {
    this.generation++;
  }

  /**
   * Finds and analyses every YAML file of every folder, then swaps the result in whole (lints running
   * meanwhile see the previous index). `progress(done, total)` after each batch.
   */
  async scan(progress?: (done: number, total: number) => void): Promise<void> {
    const found: string[] = [];
    for (const folder of this.folders) {
      const collected = await collectFiles([folder], folder);
      for (const path of collected.files) if (isYamlPath(path) && !isConfigFile(path) && this.folderOf(path) === folder) found.push(path);
    }
    const next = new Map<string, AnalysedYaml>();
    const batch = 16;
    for (let i = 0; i < found.length; i += batch) {
      const loaded = await Promise.all(found.slice(i, i + batch).map(async (path) => [path, await this.load(path)] as const));
      for (const [path, analysed] of loaded) if (analysed) next.set(path, analysed);
      progress?.(Math.min(found.length, i + batch), found.length);
    }
    this.disk.clear();
    for (const [path, analysed] of next) this.disk.set(path, analysed);
    this.touch();
  }

  /** Reads and analyses one file, or leaves it out (ignored, binary, too large, unreadable). */
  private async load(path: string): Promise<AnalysedYaml | undefined> {
    try {
      const loaded = await this.hooks.configFor(path);
      if (loaded && isIgnored(path, loaded)) return undefined;
      const read = await readText(path);
      if ('skip' in read) {
        this.hooks.log(`skipped ${path}: ${read.skip}`);
        return undefined;
      }
      return analyseYaml({ path, text: read.text });
    } catch (error) {
      this.hooks.log(`cannot index ${path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A watched file was created or changed. Returns whether the index changed. */
  async refresh(path: string): Promise<boolean> {
    const folder = this.folderOf(path);
    let analysed: AnalysedYaml | undefined;
    if (folder && isYamlPath(path) && !isConfigFile(path) && (await isWalkedPath(path, folder))) analysed = await this.load(path);
    const had = this.disk.delete(path);
    if (analysed) this.disk.set(path, analysed);
    const changed = had || analysed !== undefined;
    if (changed) this.touch();
    return changed;
  }

  /** A watched file or folder was deleted. Returns whether the index changed. */
  remove(path: string): boolean {
    let changed = this.disk.delete(path);
    const prefix = path.endsWith(sep) ? path : `${path}${sep}`;
    for (const key of [...this.disk.keys()]) {
      if (key.startsWith(prefix)) {
        this.disk.delete(key);
        changed = true;
      }
    }
    if (changed) this.touch();
    return changed;
  }

  /**
   * The project index for a file: the indexed files of its workspace folder (or, outside every
   * folder, of no folder) with open documents in place of their files on disk.
   * `replace` stands in for one file (a candidate text while fixes are computed).
   */
  indexFor(path: string, replace?: AnalysedYaml): ProjectIndex {
    const folder = this.folderOf(path);
    const open = [...this.hooks.openYaml()].filter((a) => this.folderOf(a.file.path) === folder);
    const chosen = new Map<string, AnalysedYaml>();
    for (const [p, analysed] of this.disk) if (this.folderOf(p) === folder) chosen.set(p, analysed);
    for (const analysed of open) chosen.set(analysed.file.path, analysed);
    if (replace) {
      chosen.set(replace.file.path, replace);
      return buildIndex([...chosen.values()].filter((a) => !a.templated));
    }
    // Open documents are cached by identity of their analysis (one per version).
    const key = `${this.generation}|${open.map((a) => `${a.file.path}@${identity(a)}`).join('|')}`;
    const cached = this.cache.get(folder ?? '');
    if (cached?.key === key) return cached.index;
    const index = buildIndex([...chosen.values()].filter((a) => !a.templated));
    this.cache.set(folder ?? '', { key, index });
    return index;
  }
}

const ids = new WeakMap<object, number>();
let nextId = 0;
function identity(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}
