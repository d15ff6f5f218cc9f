/**
 * Reads the project files that say which Node.js and library versions a source file runs with:
 * the nearest package.json (engines.node, dependency ranges), .nvmrc, .node-version, Dockerfile,
 * and the nearest lockfile. The parsing itself is in the pure core (rules/node/versions.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  librariesFromLockfile,
  librariesFromPackageJson,
  nodeFromDockerfile,
  nodeFromPackageJson,
  nodeFromVersionFile,
  type CodeVersions,
  type Semver,
  type VersionFact,
} from '../rules/node/versions.ts';

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;

async function readIfExists(path: string): Promise<string | undefined> {
  // Synchronous, and no exception for the usual missing file: this runs for every folder with code.
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

interface DirFacts {
  readonly node?: VersionFact;
  readonly declared?: { readonly versions: Map<string, Semver>; readonly source: string };
  readonly locked?: { readonly versions: Map<string, Semver>; readonly source: string };
}

export class VersionLoader {
  private readonly dirs = new Map<string, Promise<DirFacts>>();
  private readonly resolved = new Map<string, Promise<CodeVersions>>();

  constructor(private readonly cwd: string) {}

  private show(path: string): string {
    const rel = relative(this.cwd, path);
    return rel && !rel.startsWith('..') ? rel : path;
  }

  /** What one folder itself says (no parents). */
  private factsOf(dir: string): Promise<DirFacts> {
    let found = this.dirs.get(dir);
    if (!found) {
      found = this.read(dir);
      this.dirs.set(dir, found);
    }
    return found;
  }

  private async read(dir: string): Promise<DirFacts> {
    const facts: { node?: VersionFact; declared?: DirFacts['declared']; locked?: DirFacts['locked'] } = {};
    const packageJsonPath = join(dir, 'package.json');
    const packageJson = await readIfExists(packageJsonPath);
    const nodeSources: [string, (text: string) => Semver | undefined, string][] = [
      [packageJsonPath, nodeFromPackageJson, 'engines.node in '],
      [join(dir, '.nvmrc'), nodeFromVersionFile, ''],
      [join(dir, '.node-version'), nodeFromVersionFile, ''],
      [join(dir, 'Dockerfile'), nodeFromDockerfile, 'FROM node in '],
    ];
    for (const [path, parse, label] of nodeSources) {
      const text = path === packageJsonPath ? packageJson : await readIfExists(path);
      const version = text === undefined ? undefined : parse(text);
      if (version) {
        facts.node = { version, source: `${label}${this.show(path)}` };
        break;
      }
    }
    if (packageJson !== undefined) facts.declared = { versions: librariesFromPackageJson(packageJson), source: this.show(packageJsonPath) };
    for (const name of LOCKFILES) {
      const text = await readIfExists(join(dir, name));
      if (text !== undefined) {
        facts.locked = { versions: librariesFromLockfile(name, text), source: this.show(join(dir, name)) };
        break;
      }
    }
    return facts;
  }

  /** Versions for a source file: the nearest of each kind of fact, walking up from its folder. */
  forFile(path: string): Promise<CodeVersions> {
    const dir = dirname(path);
    let found = this.resolved.get(dir);
    if (!found) {
      found = this.resolve(dir);
      this.resolved.set(dir, found);
    }
    return found;
  }

  private async resolve(start: string): Promise<CodeVersions> {
    let node: VersionFact | undefined;
    let declared: DirFacts['declared'];
    let locked: DirFacts['locked'];
    for (let dir = start; ; dir = dirname(dir)) {
      const facts = await this.factsOf(dir);
      node ??= facts.node;
      declared ??= facts.declared;
      locked ??= facts.locked;
      if ((node && declared && locked) || dirname(dir) === dir) break;
    }
    const libraries = new Map<string, VersionFact>();
    for (const [name, version] of declared?.versions ?? []) libraries.set(name, { version, source: `the range in ${declared!.source}` });
    for (const [name, version] of locked?.versions ?? []) libraries.set(name, { version, source: locked!.source });
    return { node, libraries };
  }
}
