/**
 * Which Node.js and library versions a file runs with, read from project files the adapter found
 * (package.json engines, .nvmrc, .node-version, Dockerfile FROM node:N, lockfiles). Pure parsing.
 */
import { parse as parseYaml } from 'yaml';

export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export interface VersionFact {
  readonly version: Semver;
  /** Where it was read: `engines.node in package.json`, `package-lock.json`, `--node-version`. */
  readonly source: string;
}

export interface CodeVersions {
  /** Undefined: unknown, so the rules assume it may be old. */
  readonly node: VersionFact | undefined;
  readonly libraries: ReadonlyMap<string, VersionFact>;
}

export const UNKNOWN_VERSIONS: CodeVersions = { node: undefined, libraries: new Map() };

export function parseSemver(text: string): Semver | undefined {
  const match = /^\s*v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text);
  if (!match) return undefined;
  const part = (value: string | undefined) => (value === undefined || value === 'x' || value === '*' ? 0 : Number(value));
  return { major: Number(match[1]), minor: part(match[2]), patch: part(match[3]) };
}

export function compareSemver(a: Semver, b: Semver): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatSemver(v: Semver): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/**
 * The lowest version a semver range admits: `>=18.15` → 18.15.0, `^20.1` → 20.1.0, `18 || 20` → 18,
 * `<22` and `*` → undefined (no lower bound to rely on).
 */
export function rangeMinimum(range: string): Semver | undefined {
  let lowest: Semver | undefined;
  for (const alternative of range.split('||')) {
    const comparators = alternative.trim().replace(/\s+-\s+/, ' <=').split(/\s+/).filter(Boolean);
    let floor: Semver | undefined;
    let bounded = false;
    for (const comparator of comparators) {
      const match = /^(>=|>|=|\^|~|v)?\s*(\d+(?:\.(?:\d+|x|\*))?(?:\.(?:\d+|x|\*))?)/.exec(comparator);
      if (!match || comparator.startsWith('<')) continue;
      const version = parseSemver(match[2]!);
      if (!version) continue;
      bounded = true;
      const adjusted = match[1] === '>' ? { ...version, patch: version.patch + 1 } : version;
      if (!floor || compareSemver(adjusted, floor) > 0) floor = adjusted;
    }
    if (!bounded || !floor) return undefined; // one open alternative makes the whole range open
    if (!lowest || compareSemver(floor, lowest) < 0) lowest = floor;
  }
  return lowest;
}

/** True unless the version is known to be at least `major.minor.patch`. */
export function mayBeBelow(fact: VersionFact | undefined, major: number, minor = 0, patch = 0): boolean {
  return !fact || compareSemver(fact.version, { major, minor, patch }) < 0;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function nodeFromPackageJson(text: string): Semver | undefined {
  const engines = (parseJson(text) as { engines?: { node?: unknown } } | undefined)?.engines;
  return typeof engines?.node === 'string' ? rangeMinimum(engines.node) : undefined;
}

/** `.nvmrc` / `.node-version`: `20`, `v20.11.1`, `lts/iron` (not resolvable offline → undefined). */
export function nodeFromVersionFile(text: string): Semver | undefined {
  const first = text.split('\n')[0]?.trim() ?? '';
  return /^v?\d/.test(first) ? parseSemver(first) : undefined;
}

/** The Node version of the last stage's `FROM node:N…` image (the one that runs). */
export function nodeFromDockerfile(text: string): Semver | undefined {
  let found: Semver | undefined;
  for (const match of text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(?:[\w.-]+(?::\d+)?\/)*(?:library\/)?node:v?(\d+(?:\.\d+){0,2})\b/gim)) {
    found = parseSemver(match[1]!);
  }
  return found;
}

/** Declared dependency ranges, reduced to their minimum versions. */
export function librariesFromPackageJson(text: string): Map<string, Semver> {
  const json = parseJson(text) as Record<string, Record<string, unknown> | undefined> | undefined;
  const out = new Map<string, Semver>();
  for (const field of ['devDependencies', 'optionalDependencies', 'peerDependencies', 'dependencies']) {
    for (const [name, range] of Object.entries(json?.[field] ?? {})) {
      if (typeof range !== 'string') continue;
      const minimum = rangeMinimum(range.replace(/^npm:[^@]+@/, ''));
      if (minimum) out.set(name, minimum);
    }
  }
  return out;
}

/** Installed versions from package-lock.json (v1–v3), pnpm-lock.yaml or yarn.lock (classic and berry). */
export function librariesFromLockfile(fileName: string, text: string): Map<string, Semver> {
  const out = new Map<string, Semver>();
  const set = (name: string, version: string | undefined) => {
    const parsed = version ? parseSemver(version) : undefined;
    if (parsed && !out.has(name)) out.set(name, parsed);
  };
  if (fileName.endsWith('package-lock.json') || fileName.endsWith('npm-shrinkwrap.json')) {
    const json = parseJson(text) as { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string }> } | undefined;
    // Top-level installs first: nested copies belong to other packages.
    for (const [key, value] of Object.entries(json?.packages ?? {})) {
      const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
      if (match) set(match[1]!, value.version);
    }
    for (const [name, value] of Object.entries(json?.dependencies ?? {})) set(name, value.version);
  } else if (fileName.endsWith('pnpm-lock.yaml')) {
    let doc: Record<string, unknown> | undefined;
    try {
      doc = parseYaml(text, { maxAliasCount: 100 }) as Record<string, unknown> | undefined;
    } catch {
      doc = undefined;
    }
    const importers = (doc?.['importers'] as Record<string, Record<string, Record<string, unknown>>> | undefined) ?? {};
    const root = importers['.'] ?? (doc as Record<string, Record<string, unknown>> | undefined) ?? {};
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, value] of Object.entries((root[field] as Record<string, unknown> | undefined) ?? {})) {
        const version = typeof value === 'string' ? value : (value as { version?: string } | null)?.version;
        set(name, version?.replace(/\(.*$/, ''));
      }
    }
  } else if (fileName.endsWith('yarn.lock')) {
    // Classic: `"name@^1.2.0", name@^1.3.0:\n  version "1.4.0"`; berry: `"name@npm:^1.2.0":\n  version: 1.4.0`.
    for (const match of text.matchAll(/^"?((?:@[^@/\s"]+\/)?[^@\s"]+)@[^\n]*:\n(?:[ \t]+[^\n]*\n)*?[ \t]+version:?\s+"?([^"\s]+)"?/gm)) {
      set(match[1]!, match[2]);
    }
  }
  return out;
}
