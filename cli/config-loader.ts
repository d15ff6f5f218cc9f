/** Finds, reads and validates `.keepalive-lint.{yaml,yml,json}` for each linted file (nearest wins). */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { resolveConfig, validateConfig, type ConfigOverrides, type ResolvedConfig, type UserConfig } from '../rules/config.ts';
import { RULE_IDS } from '../rules/registry.ts';

export const CONFIG_FILE_NAMES = ['.keepalive-lint.yaml', '.keepalive-lint.yml', '.keepalive-lint.json'] as const;

/** A config problem the CLI reports with exit code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export interface LoadedConfig {
  readonly config: ResolvedConfig;
  /** The folder `ignore` globs are relative to. */
  readonly baseDir: string;
}

async function isFile(path: string): Promise<boolean> {
  // Synchronous and without an exception for a missing file: this runs for every folder of a run.
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** Reads and validates one config file; `shown` is how messages name it (default: its path). */
export async function readConfigFile(path: string, shown: string = path): Promise<UserConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${shown}: cannot read config file: ${(error as Error).message}`]);
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: false, maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError([`${shown}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`]);
  }
  const validation = validateConfig(value ?? {}, shown, RULE_IDS);
  if (!validation.ok) throw new ConfigError(validation.errors);
  return validation.config;
}

export class ConfigLoader {
  private readonly byDir = new Map<string, Promise<LoadedConfig>>();
  private explicit: Promise<LoadedConfig> | undefined;

  /**
   * `fallback`: the configuration for files no config file applies to, and the name messages give it
   * (the language server passes the editor's settings; the CLI, nothing: the defaults).
   */
  constructor(
    private readonly overrides: ConfigOverrides,
    private readonly explicitFile: string | undefined,
    private readonly cwd: string,
    private readonly fallback?: { readonly user: UserConfig; readonly name: string },
  ) {}

  /** The configuration that applies to a file at `path`. */
  forFile(path: string): Promise<LoadedConfig> {
    if (this.explicitFile) {
      const file = resolve(this.cwd, this.explicitFile);
      this.explicit ??= this.load(file, dirname(file));
      return this.explicit;
    }
    return this.forDir(dirname(resolve(this.cwd, path)));
  }

  private forDir(dir: string): Promise<LoadedConfig> {
    let found = this.byDir.get(dir);
    if (!found) {
      found = this.lookup(dir);
      this.byDir.set(dir, found);
    }
    return found;
  }

  private async lookup(dir: string): Promise<LoadedConfig> {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (await isFile(candidate)) return this.load(candidate, dir);
    }
    const parent = dirname(dir);
    if (parent === dir) return this.fallbackConfig();
    return this.forDir(parent);
  }

  private async load(file: string, baseDir: string): Promise<LoadedConfig> {
    return this.resolved(await readConfigFile(file, this.shown(file)), file, baseDir);
  }

  /** The config file as the user would type it: relative to the working folder when inside it. */
  private shown(file: string): string {
    const rel = relative(this.cwd, file);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  }

  private fallbackConfig(): LoadedConfig {
    if (!this.fallback) return this.resolved({}, undefined, this.cwd);
    const result = resolveConfig(this.fallback.user, this.overrides, this.fallback.name);
    if (!result.ok) throw new ConfigError(result.errors);
    return { config: result.config, baseDir: this.cwd };
  }

  private resolved(user: UserConfig, file: string | undefined, baseDir: string): LoadedConfig {
    const shown = file === undefined ? undefined : this.shown(file);
    const result = resolveConfig(user, this.overrides, shown);
    if (!result.ok) throw new ConfigError(result.errors);
    return { config: result.config, baseDir };
  }
}
