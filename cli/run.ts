/**
 * `keepalive-lint`: argument parsing, file collection, config per file, one project index for the
 * whole run, formatting, --fix. Returns the exit code; only cli/main.ts sets it on the process.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, basename, isAbsolute, join, relative, resolve, extname, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { describeTimeout, parseKubernetesVersion, SEVERITIES, type ConfigOverrides, type ResolvedConfig } from '../rules/config.ts';
import { fixUntilStable } from '../rules/fix.ts';
import { analyseCode, analyseYaml, buildIndex, lintCode, lintYaml, type AnalysedCode, type AnalysedYaml, type FileLintResult } from '../rules/lint.ts';
import type { ProjectIndex } from '../rules/k8s/model.ts';
import { UNKNOWN_VERSIONS, type CodeVersions } from '../rules/node/versions.ts';
import { isCodePath } from '../rules/ts/parse.ts';
import { VersionLoader } from './versions.ts';
import { isMiddleboxName, MIDDLEBOX_NAMES, type MiddleboxName } from '../rules/profiles.ts';
import { RULE_IDS, RULES } from '../rules/registry.ts';
import type { Finding, Severity } from '../rules/types.ts';
import { CONFIG_FILE_NAMES, ConfigError, ConfigLoader, type LoadedConfig } from './config-loader.ts';
import { lintJobs, MAX_FILE_BYTES, readSource, type Job } from './engine.ts';
import { collectFiles, isLintedPath } from './files.ts';
import { format, FORMATS, type FormatName } from './formatters/index.ts';
import { toFileReport, type FileReport } from './report.ts';
import picomatch from 'picomatch';

export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  /** Tests only: called by --fix just before a fixed file replaces the one on disk. */
  readonly beforeFixWrite?: (path: string) => void | Promise<void>;
}

/** Files above this size are skipped with a note rather than parsed. */
export { MAX_FILE_BYTES } from './engine.ts';

class UsageError extends Error {}

const HELP = `Usage: keepalive-lint lint [paths...] [options]
       keepalive-lint rules
       keepalive-lint --print-config FILE

Finds Kubernetes workloads and Node.js clients whose idle connections outlive the kube-proxy/NAT
idle timeout (ECONNRESET after idle), and fixes them. Lints .yaml/.yml manifests and
.ts/.tsx/.mts/.cts/.js/.jsx/.mjs/.cjs sources.

Options:
  --format stylish|json|sarif|github   Output format (default: stylish)
  --output-file FILE                   Write the report to FILE instead of stdout
  --fix                                Apply the preferred fixes in place (atomic writes)
  --fix-dry-run                        Compute fixes without writing (json shows "output")
  --max-warnings N                     Exit 1 when there are more than N warnings
  --quiet                              Report errors only
  --config FILE                        Use this config file instead of looking one up
  --stdin                              Lint text from standard input
  --stdin-filename NAME                Path to report (and to look up config) for --stdin
  --idle-timeout SECONDS               The idle timeout T (overrides the config file)
  --middlebox NAME                     A middlebox on the path; repeatable; T is the smallest
                                       (${MIDDLEBOX_NAMES.join(', ')})
  --kubernetes-version X.Y             Target cluster version (default 1.29)
  --node-version X.Y                   Node.js version the code runs on (default: read from
                                       package.json engines, .nvmrc, .node-version, Dockerfile)
  --rule ID=off|warn|error             Rule severity; repeatable
  --print-config FILE                  Print the configuration that applies to FILE
  --color / --no-color                 Force colour on or off (default: on for a TTY)
  -v, --version                        Print the version
  -h, --help                           Print this help

Exit codes: 0 no errors, 1 errors or too many warnings, 2 usage, configuration or I/O error.
`;

async function packageVersion(): Promise<string> {
  try {
    const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function parseCli(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f' },
      'output-file': { type: 'string', short: 'o' },
      fix: { type: 'boolean' },
      'fix-dry-run': { type: 'boolean' },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean' },
      config: { type: 'string', short: 'c' },
      stdin: { type: 'boolean' },
      'stdin-filename': { type: 'string' },
      'idle-timeout': { type: 'string' },
      middlebox: { type: 'string', multiple: true },
      'kubernetes-version': { type: 'string' },
      'node-version': { type: 'string' },
      rule: { type: 'string', multiple: true },
      'print-config': { type: 'string' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      // Not in --help: worker threads are chosen automatically; N forces them (1: none). For tests and benchmarks.
      threads: { type: 'string' },
    },
  });
  return { values, positionals };
}

type CliValues = ReturnType<typeof parseCli>['values'];

function threadsOption(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--threads must be auto or a whole number >= 1, got "${value}"`);
  return Number(value);
}

function overridesFrom(values: CliValues): ConfigOverrides {
  const overrides: { -readonly [K in keyof ConfigOverrides]: ConfigOverrides[K] } = {};
  if (values['idle-timeout'] !== undefined) {
    const seconds = Number(values['idle-timeout']);
    if (!/^\d+$/.test(values['idle-timeout']) || seconds < 1) throw new UsageError(`--idle-timeout must be a whole number of seconds >= 1, got "${values['idle-timeout']}"`);
    overrides.idleTimeoutSeconds = seconds;
  }
  if (values.middlebox) {
    const names: MiddleboxName[] = [];
    for (const name of values.middlebox) {
      if (!isMiddleboxName(name)) throw new UsageError(`--middlebox "${name}" is not a known profile; allowed: ${MIDDLEBOX_NAMES.join(', ')}`);
      names.push(name);
    }
    overrides.middleboxes = names;
  }
  if (values['kubernetes-version'] !== undefined) {
    if (!parseKubernetesVersion(values['kubernetes-version'])) throw new UsageError(`--kubernetes-version must look like 1.29, got "${values['kubernetes-version']}"`);
    overrides.kubernetesVersion = values['kubernetes-version'];
  }
  if (values['node-version'] !== undefined) {
    if (!/^v?\d+(\.\d+){0,2}$/.test(values['node-version'])) throw new UsageError(`--node-version must look like 20.11, got "${values['node-version']}"`);
    overrides.nodeVersion = values['node-version'];
  }
  if (values.rule) {
    const rules: Record<string, Severity> = {};
    for (const spec of values.rule) {
      const match = /^([^=]+)=(.+)$/.exec(spec);
      if (!match) throw new UsageError(`--rule takes ID=SEVERITY, got "${spec}"`);
      const [, id, severity] = match as unknown as [string, string, string];
      if (!RULE_IDS.includes(id)) throw new UsageError(`--rule: unknown rule id "${id}"; allowed: ${RULE_IDS.join(', ')}`);
      if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITIES.join(', ')}, got "${severity}"`);
      rules[id] = severity as Severity;
    }
    overrides.rules = rules;
  }
  return overrides;
}

function rulesTable(): string {
  const rows = RULES.map((rule) => [rule.id, rule.defaultSeverity, rule.fixable ? 'yes' : 'no', rule.description]);
  const header = ['id', 'default', 'fixable', 'description'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** Reads a file as text (without its byte-order mark, noted in `bom`); a reason to skip binary or oversized files. Shared with the language server. */
export async function readText(path: string): Promise<{ text: string; bom: boolean } | { skip: string }> {
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) return { skip: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB (${Math.round(info.size / 1024 / 1024)} MiB)` };
  const bytes = await readFile(path);
  if (bytes.subarray(0, 8000).includes(0)) return { skip: 'binary file' };
  try {
    // ignoreBOM keeps the mark in the text, so it is seen here (and not lost by --fix).
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const bom = text.charCodeAt(0) === 0xfeff;
    return { text: bom ? text.slice(1) : text, bom };
  } catch {
    return { skip: 'not UTF-8 text' };
  }
}

/** --fix found the file changed on disk since it was read: it is not overwritten. */
class ChangedError extends Error {}

/**
 * Replaces a file's content through a temporary file in its folder and a rename, keeping its mode.
 * Just before the rename, the file must still hold `original` (what was read and fixed), else it
 * changed meanwhile (an editor, a formatter, a checkout) and is left alone.
 */
async function writeAtomically(given: string, text: string, original: string, beforeRename?: (path: string) => void | Promise<void>): Promise<void> {
  // Through a symlink to the file it names: renaming onto the link would replace the link itself.
  const path = await realpath(given);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = (await stat(path)).mode & 0o7777;
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx', mode: 0o600 });
    await chmod(temp, mode);
    await beforeRename?.(path);
    if (!(await readFile(path)).equals(Buffer.from(original, 'utf8'))) throw new ChangedError('it changed after it was read; lint it again');
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

type Analysed = { readonly kind: 'yaml'; readonly yaml: AnalysedYaml } | { readonly kind: 'code'; readonly code: AnalysedCode };

/** YAML manifests and TS/JS sources are analysed by their extension. */
function analyse(path: string, text: string): Analysed {
  return isCodePath(path) ? { kind: 'code', code: analyseCode({ path, text }) } : { kind: 'yaml', yaml: analyseYaml({ path, text }) };
}

function textOf(analysed: Analysed): string {
  return analysed.kind === 'yaml' ? analysed.yaml.file.text : analysed.code.text;
}

function hasProblem(analysed: Analysed): boolean {
  return analysed.kind === 'yaml' ? analysed.yaml.file.problem !== undefined : analysed.code.file?.problem !== undefined;
}

/** The index is built from the manifests: Services, ConfigMaps and kube-proxy config (T). */
function indexOf(entries: readonly Entry[]): ProjectIndex {
  return buildIndex(entries.flatMap((e) => (e.analysed.kind === 'yaml' ? [e.analysed.yaml] : [])));
}

function lintEntry(entry: Entry, analysed: Analysed, index: ProjectIndex): FileLintResult {
  return analysed.kind === 'yaml'
    ? lintYaml(analysed.yaml, index, entry.loaded.config)
    : lintCode(analysed.code, index, entry.loaded.config, entry.versions);
}

interface Entry {
  readonly path: string;
  analysed: Analysed;
  readonly versions: CodeVersions;
  readonly loaded: LoadedConfig;
  /** The file starts with a UTF-8 byte-order mark, which --fix keeps. */
  readonly bom: boolean;
  /** Its position among the collected files (notes are printed in that order). */
  readonly file: number;
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await runUnsafe(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`keepalive-lint: ${error.message}\nRun "keepalive-lint --help" for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`keepalive-lint: configuration error:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code) {
      io.stderr(`keepalive-lint: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr(`keepalive-lint: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

async function runUnsafe(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  let positionals = parsed.positionals;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${await packageVersion()}\n`);
    return 0;
  }
  const command = positionals[0];
  if (command === 'rules') {
    io.stdout(rulesTable());
    return 0;
  }
  if (command === 'lint') positionals = positionals.slice(1);
  else if (command !== undefined && values['print-config'] === undefined && !(await pathExists(resolve(io.cwd, command)))) {
    throw new UsageError(`unknown command "${command}" (commands: lint, rules)`);
  }
  const formatName = (values.format ?? 'stylish') as FormatName;
  if (!FORMATS.includes(formatName)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings must be a whole number, got "${values['max-warnings']}"`);
    maxWarnings = Number(values['max-warnings']);
  }
  if (values.stdin && values.fix) throw new UsageError('--fix cannot write to standard input; use --fix-dry-run with --stdin');
  if (values.stdin && positionals.length > 0) throw new UsageError('--stdin takes no paths');

  const overrides = overridesFrom(values);
  const loader = new ConfigLoader(overrides, values.config, io.cwd);
  const versionLoader = new VersionLoader(io.cwd);

  if (values['print-config'] !== undefined) {
    const target = resolve(io.cwd, values['print-config']);
    const { config } = await loader.forFile(target);
    io.stdout(
      `${JSON.stringify(
        {
          file: config.file ?? null,
          idleTimeoutSeconds: config.idleTimeout.seconds,
          idleTimeoutSource: describeTimeout(config.idleTimeout),
          kubernetesVersion: config.kubernetesVersionText,
          keepalive: config.keepalive,
          initContainerImage: config.initContainerImage,
          serviceEvidence: config.serviceEvidence,
          nodeVersion: config.nodeVersion ? `${config.nodeVersion.version.major}.${config.nodeVersion.version.minor}.${config.nodeVersion.version.patch}` : null,
          ignore: config.ignore,
          rules: Object.fromEntries(RULES.map((rule) => [rule.id, config.ruleSeverities.get(rule.id) ?? rule.defaultSeverity])),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }

  /** A path as notes show it: relative to the working folder when inside it. */
  const shown = (path: string): string => {
    if (path.startsWith('<')) return path;
    const rel = relative(io.cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };

  // Notes about single files are printed in the order of the files (whatever read them, and when).
  const notesByFile: string[][] = [];
  const note = (file: number, text: string): void => {
    (notesByFile[file] ??= []).push(text);
  };
  const flushNotes = (): void => {
    for (const notes of notesByFile) if (notes) io.stderr(notes.join(''));
    notesByFile.length = 0;
  };
  /** An I/O problem (a file that cannot be read or written): reported, the rest still linted, exit 2. */
  let ioError = false;
  const fixing = values.fix === true || values['fix-dry-run'] === true;
  const threads = threadsOption(values.threads);

  const entries: Entry[] = [];
  const jobs: Job[] = [];
  const jobFiles: number[] = [];
  const jobLoaded: LoadedConfig[] = [];
  const configs: ResolvedConfig[] = [];
  const configIds = new Map<ResolvedConfig, number>();
  if (values.stdin) {
    const name = values['stdin-filename'] ?? '<stdin>';
    const path = values['stdin-filename'] ? resolve(io.cwd, name) : name;
    const loaded = await loader.forFile(values['stdin-filename'] ? path : join(io.cwd, 'stdin.yaml'));
    const raw = await io.readStdin();
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    const versions = isCodePath(path) && values['stdin-filename'] ? await versionLoader.forFile(path) : UNKNOWN_VERSIONS;
    entries.push({ path, analysed: analyse(path, text), versions, loaded, bom: false, file: 0 });
  } else {
    const collected = await collectFiles(positionals.length > 0 ? positionals : ['.'], io.cwd);
    if (collected.missing.length > 0) {
      io.stderr(collected.missing.map((p) => `keepalive-lint: no such file or directory: ${p}\n`).join(''));
      return 2;
    }
    for (const { path, reason } of collected.skipped) io.stderr(`keepalive-lint: skipped ${shown(path)}: ${reason}\n`);
    for (const [chart, count] of collected.skippedCharts) {
      const name = shown(chart);
      io.stderr(`keepalive-lint: skipped ${count} Helm template file${count === 1 ? '' : 's'} in ${join(name, 'templates')}; lint the rendered manifests: helm template ${name} | keepalive-lint lint --stdin\n`);
    }
    for (const { path, reason } of collected.unreadable) {
      io.stderr(`keepalive-lint: cannot read ${shown(path)}: ${reason}\n`);
      ioError = true;
    }
    // Config files are not manifests: neither the looked-up ones nor the one --config names.
    const explicitConfig = values.config === undefined ? undefined : resolve(io.cwd, values.config);
    try {
      for (const [file, path] of collected.files.entries()) {
        if (path === explicitConfig || CONFIG_FILE_NAMES.some((name) => path.endsWith(`${sep}${name}`))) continue;
        if (!isLintedPath(path)) {
          note(file, `keepalive-lint: skipped ${shown(path)}: not a YAML, TypeScript or JavaScript file (${extname(path) || 'no extension'})\n`);
          continue;
        }
        const loaded = await loader.forFile(path);
        if (isIgnored(path, loaded)) continue;
        let config = configIds.get(loaded.config);
        if (config === undefined) {
          config = configs.push(loaded.config) - 1;
          configIds.set(loaded.config, config);
        }
        jobs.push({ path, code: isCodePath(path), config });
        jobFiles.push(file);
        jobLoaded.push(loaded);
      }
    } catch (error) {
      flushNotes();
      throw error;
    }
  }

  /** What is reported, in file order: the lint result of each file and the text its positions refer to. */
  const final: { path: string; result: FileLintResult; text: string; output?: string }[] = [];
  const templatedNote = (path: string) => `keepalive-lint: skipped ${shown(path)}: Go/Helm template syntax; lint the rendered manifests: helm template … | keepalive-lint lint --stdin\n`;
  const quiet = values.quiet === true;

  if (!fixing && !values.stdin) {
    // Linting only: the engine reads, analyses and lints, on worker threads for large runs.
    const outcomes = await lintJobs(jobs, configs, { cwd: io.cwd, threads });
    const templated: string[] = [];
    outcomes.forEach((outcome, id) => {
      const { path } = jobs[id]!;
      if (outcome.skip !== undefined) note(jobFiles[id]!, `keepalive-lint: skipped ${shown(path)}: ${outcome.skip}\n`);
      if (outcome.unreadable !== undefined) {
        note(jobFiles[id]!, `keepalive-lint: cannot read ${shown(path)}: ${outcome.unreadable}\n`);
        ioError = true;
      }
      if (outcome.templated) templated.push(templatedNote(path));
    });
    flushNotes();
    if (templated.length > 0) io.stderr(templated.join(''));
    outcomes.forEach((outcome, id) => {
      if (outcome.failure !== undefined) {
        io.stderr(`keepalive-lint: internal error while linting ${shown(jobs[id]!.path)}: ${outcome.failure}\n`);
        ioError = true;
      }
      if (outcome.result) final.push({ path: jobs[id]!.path, result: outcome.result, text: outcome.text ?? '' });
    });
  } else {
    for (const [id, job] of jobs.entries()) {
      const read = readSource(job.path);
      if ('skip' in read) {
        note(jobFiles[id]!, `keepalive-lint: skipped ${shown(job.path)}: ${read.skip}\n`);
        continue;
      }
      if ('unreadable' in read) {
        note(jobFiles[id]!, `keepalive-lint: cannot read ${shown(job.path)}: ${read.unreadable}\n`);
        ioError = true;
        continue;
      }
      const versions = job.code ? await versionLoader.forFile(job.path) : UNKNOWN_VERSIONS;
      entries.push({ path: job.path, analysed: analyse(job.path, read.text), versions, loaded: jobLoaded[id]!, bom: read.bom, file: jobFiles[id]! });
    }
    flushNotes();
    const linted = entries.filter((entry) => {
      if (entry.analysed.kind !== 'yaml' || !entry.analysed.yaml.templated) return true;
      io.stderr(templatedNote(entry.path));
      return false;
    });
    // --fix / --fix-dry-run first change every file that has preferred fixes; then the whole set is
    // linted once more against the final texts, so positions in one file that point into another
    // (related locations) are computed from the text that is reported.
    const fixable = (findings: readonly Finding[]) => findings.filter((f) => (!quiet || f.severity === 'error') && f.fixes.some((x) => x.preferred));
    const outputs = new Map<string, string>();
    if (fixing) {
      let index = indexOf(linted);
      for (const entry of linted) {
        if (hasProblem(entry.analysed)) continue;
        if (fixable(lintEntry(entry, entry.analysed, index).findings).length === 0) continue;
        const others = linted.filter((e) => e !== entry);
        // With --quiet only errors are fixed, as only errors are reported.
        const findingsOf = (text: string) => {
          const analysed = analyse(entry.path, text);
          const candidate = analysed.kind === 'yaml' ? buildIndex([...others.flatMap((e) => (e.analysed.kind === 'yaml' ? [e.analysed.yaml] : [])), analysed.yaml]) : index;
          return fixable(lintEntry(entry, analysed, candidate).findings);
        };
        const original = textOf(entry.analysed);
        const fixed = fixUntilStable(original, findingsOf);
        if (fixed.text === original) continue;
        const output = entry.bom ? `\ufeff${fixed.text}` : fixed.text;
        if (values.fix) {
          try {
            await writeAtomically(entry.path, output, entry.bom ? `\ufeff${original}` : original, io.beforeFixWrite);
          } catch (error) {
            // Not written: report the file as it was read, and exit 2.
            const reason = error instanceof ChangedError ? error.message : `cannot write it: ${(error as Error).message}`;
            io.stderr(`keepalive-lint: not fixed ${shown(entry.path)}: ${reason}\n`);
            ioError = true;
            continue;
          }
        }
        entry.analysed = analyse(entry.path, fixed.text);
        outputs.set(entry.path, output);
        index = indexOf(linted);
      }
    }
    const index = indexOf(linted);
    for (const entry of linted) {
      const output = outputs.get(entry.path);
      final.push({ path: entry.path, result: lintEntry(entry, entry.analysed, index), text: textOf(entry.analysed), ...(output !== undefined ? { output } : {}) });
    }
  }

  const texts = new Map(final.map((f) => [f.path, f.text]));
  const reports: FileReport[] = [];
  let warnings = 0;
  for (const { result, text, output } of final) {
    for (const failure of result.ruleFailures) io.stderr(`keepalive-lint: rule ${failure.ruleId} failed on ${failure.path}: ${failure.error}\n`);
    // --max-warnings counts warnings that --quiet does not print, as ESLint does.
    warnings += result.findings.filter((f) => f.severity === 'warn').length;
    reports.push(toFileReport(result, text, (p) => texts.get(p), { quiet, ...(output !== undefined ? { output } : {}) }));
  }

  const color = values['no-color'] ? false : values.color ? true : io.stdoutIsTTY && !io.env['NO_COLOR'] && values['output-file'] === undefined;
  const text = format(formatName, reports, { cwd: io.cwd, color, version: await packageVersion() });
  if (values['output-file'] !== undefined) {
    // Like ESLint, create the report's folder (`-o reports/kl.sarif` in a fresh CI checkout).
    const target = resolve(io.cwd, values['output-file']);
    try {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text, 'utf8');
    } catch (error) {
      io.stderr(`keepalive-lint: cannot write the report to ${values['output-file']}: ${(error as Error).message}\n`);
      return 2;
    }
  } else {
    io.stdout(text);
  }

  const errors = reports.reduce((n, r) => n + r.errorCount, 0);
  let code = 0;
  if (errors > 0) code = 1;
  else if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`keepalive-lint found too many warnings (maximum: ${maxWarnings}).\n`);
    code = 1;
  }
  // A file that could not be read or written is an I/O error: the report is complete for the rest.
  return ioError ? 2 : code;
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const matcherCache = new Map<string, (path: string) => boolean>();

/** Whether the `ignore` globs of the config that applies to `path` exclude it (shared with the language server). */
export function isIgnored(path: string, loaded: LoadedConfig): boolean {
  const patterns = loaded.config.ignore;
  if (patterns.length === 0) return false;
  const key = `${loaded.baseDir}\u0000${patterns.join('\u0000')}`;
  let matcher = matcherCache.get(key);
  if (!matcher) {
    const match = picomatch([...patterns], { dot: true });
    const base = loaded.baseDir;
    // Relative to the config file's folder; `../vendor/**` reaches beside it (`**` never matches `..`).
    matcher = (candidate: string) => match(relative(base, candidate).split(sep).join('/'));
    matcherCache.set(key, matcher);
  }
  return matcher(path);
}

