/**
 * The workspace index: every Kubernetes YAML file in the workspace folders (found as the CLI finds
 * them: .gitignore, node_modules, .git, Helm templates and config `ignore` respected), analysed once
 * and kept current from file-watcher events. Open documents stand in for their file on disk, so a
 * Deployment being edited is judged against Services, ConfigMaps, Namespaces and kube-proxy config
 * in files that are not open — and those files against its unsaved text.
 */
import { basename, sep } from 'node:path';
import { CONFIG_FILE_NAMES, type LoadedConfig } from '../cli/config-loader.ts';
import { collectFiles, isWalkedPath, LINTED_EXTENSIONS } from '../cli/files.ts';
import { isIgnored } from '../cli/run.ts';
import type { AnalysedYaml } from '../rules/lint.ts';
import { indexFacts, ProjectIndex, type IndexFacts, type ProjectLookup } from '../rules/k8s/model.ts';
import { indexFile, indexOnWorker, type IndexedFile } from './index-worker.ts';

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

/**
 * What the index keeps of a file on disk: its facts and its text (for the line numbers of related
 * locations), never its syntax tree, so a workspace of thousands of manifests costs little memory.
 */
interface DiskEntry {
  readonly facts: IndexFacts;
  readonly text: string;
}

/** A templated (Helm) or unparsable open document stands in for its file but declares nothing. */
function factsOf(analysed: AnalysedYaml): IndexFacts {
  return analysed.templated ? { path: analysed.file.path, services: [], configs: [], namespaces: [], kubeProxy: [] } : indexFacts(analysed.facts);
}

export class WorkspaceIndex {
  private folders: string[] = [];
  private disk = new Map<string, DiskEntry>();
  /** Per workspace folder ('' for files outside every folder): its files, open documents in place of their text on disk. */
  private indexes = new Map<string, ProjectIndex>();
  /** The open documents' analyses the indexes hold now, by path. */
  private readonly applied = new Map<string, AnalysedYaml>();
  /**
   * Whether a walk of the folder reaches a path (.gitignore files, Helm charts): asked on every file
   * event, it reads files up the tree. A change of a .gitignore rescans (which clears this); a Chart.yaml
   * or a deleted folder clears it here.
   */
  private walked = new Map<string, Promise<boolean>>();

  constructor(private readonly hooks: WorkspaceHooks) {}

  setFolders(folders: readonly string[]): void {
    this.folders = [...new Set(folders)].sort((a, b) => b.length - a.length);
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

  /** The indexed text of a file on disk. */
  diskText(path: string): string | undefined {
    return this.disk.get(path)?.text;
  }

  /** The index of the folder holding `path`, in `indexes` (the live ones unless a scan builds new ones). */
  private indexOfFolder(path: string, indexes = this.indexes): ProjectIndex {
    const key = this.folderOf(path) ?? '';
    let index = indexes.get(key);
    if (!index) {
      index = new ProjectIndex();
      indexes.set(key, index);
    }
    return index;
  }

  /**
   * Finds and analyses every YAML file of every folder, then swaps the result in whole (lints running
   * meanwhile see the previous index). `progress(done, total)` after each batch.
   */
  async scan(progress?: (done: number, total: number) => void): Promise<void> {
    const found: string[] = [];
    for (const folder of this.folders) {
      const collected = await collectFiles([folder], folder);
      for (const path of collected.files) {
        if (isYamlPath(path) && !isConfigFile(path) && this.folderOf(path) === folder && !(await this.ignored(path))) found.push(path);
      }
    }
    const next = new Map<string, DiskEntry>();
    let done = 0;
    await indexOnWorker(found, (results) => {
      for (const result of results) {
        const entry = this.entryOf(result);
        if (entry) next.set(result.path, entry);
      }
      done += results.length;
      progress?.(done, found.length);
    });
    // Built in the order the CLI walks the same folder, so both pick the same one of two same-named Services.
    const indexes = new Map<string, ProjectIndex>();
    for (const [path, entry] of next) {
      const open = this.applied.get(path);
      this.indexOfFolder(path, indexes).set(open ? factsOf(open) : entry.facts);
    }
    for (const [path, analysed] of this.applied) if (!next.has(path)) this.indexOfFolder(path, indexes).set(factsOf(analysed));
    this.disk = next;
    this.indexes = indexes;
    this.walked = new Map();
  }

  private isWalked(path: string, folder: string): Promise<boolean> {
    let found = this.walked.get(path);
    if (!found) {
      found = isWalkedPath(path, folder);
      this.walked.set(path, found);
      found.catch(() => this.walked.delete(path));
    }
    return found;
  }

  private async ignored(path: string): Promise<boolean> {
    try {
      const loaded = await this.hooks.configFor(path);
      return loaded !== undefined && isIgnored(path, loaded);
    } catch (error) {
      this.hooks.log(`cannot index ${path}: ${(error as Error).message}`);
      return true;
    }
  }

  /** What the index keeps of a read file, or nothing (templated, binary, too large, unreadable: the last three logged). */
  private entryOf(result: IndexedFile): DiskEntry | undefined {
    if ('facts' in result) return { facts: result.facts, text: result.text };
    if ('skip' in result) this.hooks.log(`skipped ${result.path}: ${result.skip}`);
    if ('error' in result) this.hooks.log(`cannot index ${result.path}: ${result.error}`);
    return undefined;
  }

  /** Reads and analyses one file on this thread, or leaves it out. */
  private async load(path: string): Promise<DiskEntry | undefined> {
    if (await this.ignored(path)) return undefined;
    return this.entryOf(await indexFile(path));
  }

  /** A watched file was created or changed. Returns whether the index changed. */
  async refresh(path: string): Promise<boolean> {
    const folder = this.folderOf(path);
    let entry: DiskEntry | undefined;
    if (basename(path) === 'Chart.yaml') this.walked.clear();
    if (folder && isYamlPath(path) && !isConfigFile(path) && (await this.isWalked(path, folder))) entry = await this.load(path);
    const had = this.disk.get(path);
    if (!had && !entry) return false;
    if (entry) this.disk.set(path, entry);
    else this.disk.delete(path);
    // An open document stands in for its file: the index does not change until it is closed.
    if (this.applied.has(path)) return false;
    if (entry) this.indexOfFolder(path).set(entry.facts);
    else this.indexOfFolder(path).delete(path);
    return true;
  }

  /** A watched file or folder was deleted. Returns whether the index changed. */
  remove(path: string): boolean {
    this.walked.clear();
    const prefix = path.endsWith(sep) ? path : `${path}${sep}`;
    let changed = false;
    for (const key of [...this.disk.keys()]) {
      if (key !== path && !key.startsWith(prefix)) continue;
      this.disk.delete(key);
      if (this.applied.has(key)) continue;
      this.indexOfFolder(key).delete(key);
      changed = true;
    }
    return changed;
  }

  /** Brings the indexes up to date with the open documents: each changed, opened or closed one by difference. */
  private syncOpen(): void {
    const seen = new Set<string>();
    for (const analysed of this.hooks.openYaml()) {
      const path = analysed.file.path;
      seen.add(path);
      if (this.applied.get(path) === analysed) continue;
      this.applied.set(path, analysed);
      this.indexOfFolder(path).set(factsOf(analysed));
    }
    for (const path of [...this.applied.keys()]) {
      if (seen.has(path)) continue;
      this.applied.delete(path);
      const entry = this.disk.get(path);
      if (entry) this.indexOfFolder(path).set(entry.facts);
      else this.indexOfFolder(path).delete(path);
    }
  }

  /**
   * The project index for a file: the indexed files of its workspace folder (or, outside every
   * folder, of no folder) with open documents in place of their files on disk. The same object is
   * updated in place; its `revision` tells whether it changed.
   */
  indexFor(path: string): ProjectIndex {
    this.syncOpen();
    return this.indexOfFolder(path);
  }

  /** The same, with `replace` standing in for its file (a candidate text while fixes are computed). */
  indexWith(replace: AnalysedYaml): ProjectLookup {
    return this.indexFor(replace.file.path).withFile(factsOf(replace));
  }
}
