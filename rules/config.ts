/**
 * The configuration model: the JSON Schema (the single source for config-file validation and, later,
 * the editor's settings), validation with readable errors, and resolution of the effective idle
 * timeout T with where it came from.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { DEFAULT_MIDDLEBOXES, MIDDLEBOX_NAMES, MIDDLEBOX_PROFILES, type MiddleboxName } from './profiles.ts';
import { parseSemver, type VersionFact } from './node/versions.ts';
import type { OffsetRange, Severity } from './types.ts';

export const SEVERITIES: readonly Severity[] = ['off', 'warn', 'error'];
export const SERVICE_EVIDENCE_MODES = ['evidence', 'always'] as const;
export type ServiceEvidenceMode = (typeof SERVICE_EVIDENCE_MODES)[number];

export interface KeepaliveValues {
  readonly time: number;
  readonly intvl: number;
  readonly probes: number;
}

/** A config file's content after validation. Every key is optional. */
export interface UserConfig {
  readonly idleTimeoutSeconds?: number;
  readonly middleboxes?: readonly MiddleboxName[];
  readonly kubernetesVersion?: string;
  readonly keepalive?: Partial<KeepaliveValues>;
  readonly initContainerImage?: string;
  readonly rules?: Readonly<Record<string, Severity>>;
  readonly ignore?: readonly string[];
  readonly serviceEvidence?: ServiceEvidenceMode;
  readonly nodeVersion?: string;
  readonly clientKeepaliveDelayMs?: number;
  readonly osKeepaliveTimeSeconds?: number;
}

/** What command-line flags (or editor settings) may override. */
export interface ConfigOverrides {
  readonly idleTimeoutSeconds?: number;
  readonly middleboxes?: readonly MiddleboxName[];
  readonly kubernetesVersion?: string;
  readonly rules?: Readonly<Record<string, Severity>>;
  readonly nodeVersion?: string;
}

export const DEFAULT_KEEPALIVE: KeepaliveValues = { time: 60, intvl: 10, probes: 3 };
export const DEFAULT_KUBERNETES_VERSION = '1.29';
export const DEFAULT_INIT_CONTAINER_IMAGE = 'busybox:1.36';
/** net.ipv4.tcp_keepalive_time of a new network namespace (kernel `tcp_sk_init`), so of every pod that does not set it. */
export const DEFAULT_OS_KEEPALIVE_TIME_S = 7200;

export type TimeoutSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'config'; readonly file: string | undefined; readonly key: 'idleTimeoutSeconds' | 'middleboxes' }
  | { readonly kind: 'flag'; readonly flag: '--idle-timeout' | '--middlebox' }
  | { readonly kind: 'kube-proxy'; readonly path: string; readonly range: OffsetRange };

export interface IdleTimeout {
  readonly seconds: number;
  readonly source: TimeoutSource;
  /** The profile that set T, when one did. */
  readonly profile?: MiddleboxName;
}

export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
}

export interface ResolvedConfig {
  /** T before a KubeProxyConfiguration of the linted set is considered; see effectiveTimeout. */
  readonly idleTimeout: IdleTimeout;
  /** True when T was set by the user (file or flag): a kube-proxy config in the linted set does not override it. */
  readonly idleTimeoutExplicit: boolean;
  readonly kubernetesVersion: KubernetesVersion;
  readonly kubernetesVersionText: string;
  readonly keepalive: KeepaliveValues;
  readonly initContainerImage: string;
  readonly ruleSeverities: ReadonlyMap<string, Severity>;
  readonly ignore: readonly string[];
  readonly serviceEvidence: ServiceEvidenceMode;
  /** The Node.js version the code runs on, when configured; else read from the project per file. */
  readonly nodeVersion: VersionFact | undefined;
  /** The delay code fixes write; undefined: min(30 s, T/2). */
  readonly clientKeepaliveDelayMs: number | undefined;
  /** The pods' net.ipv4.tcp_keepalive_time (s): the delay of a socket that enables keepalive without its own. */
  readonly osKeepaliveTimeSeconds: number;
  /** The config file this came from, if any. */
  readonly file: string | undefined;
}

const VERSION_PATTERN = '^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?$';

export function configSchema(ruleIds: readonly string[]): Record<string, unknown> {
  const positiveSeconds = { type: 'integer', minimum: 1 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'keepalive-lint configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      idleTimeoutSeconds: {
        ...positiveSeconds,
        description:
          'Idle timeout T (seconds) of the tightest stateful middlebox between your pods and their peers. Overrides the kube-proxy profile.',
      },
      middleboxes: {
        type: 'array',
        items: { type: 'string', enum: [...MIDDLEBOX_NAMES] },
        minItems: 1,
        uniqueItems: true,
        description: `Middleboxes on the path; T is the smallest of their idle timeouts. Profiles: ${MIDDLEBOX_NAMES.map(
          (n) => `${n} ${MIDDLEBOX_PROFILES[n].seconds}s`,
        ).join(', ')}.`,
        default: [...DEFAULT_MIDDLEBOXES],
      },
      kubernetesVersion: {
        type: 'string',
        pattern: VERSION_PATTERN,
        description:
          'Kubernetes version of the target cluster, as a string ("1.29"). Keepalive sysctls are safe from 1.29; older clusters need an init container.',
        default: DEFAULT_KUBERNETES_VERSION,
      },
      keepalive: {
        type: 'object',
        additionalProperties: false,
        description: 'The values the fixes write. time must be below the idle timeout T.',
        properties: {
          time: { ...positiveSeconds, default: DEFAULT_KEEPALIVE.time, description: 'net.ipv4.tcp_keepalive_time (s)' },
          intvl: { ...positiveSeconds, default: DEFAULT_KEEPALIVE.intvl, description: 'net.ipv4.tcp_keepalive_intvl (s)' },
          probes: { ...positiveSeconds, default: DEFAULT_KEEPALIVE.probes, description: 'net.ipv4.tcp_keepalive_probes' },
        },
      },
      initContainerImage: {
        type: 'string',
        minLength: 1,
        default: DEFAULT_INIT_CONTAINER_IMAGE,
        description: 'Image of the privileged init container the fixes add on clusters older than 1.29.',
      },
      rules: {
        type: 'object',
        description: 'Severity per rule id: off, warn or error.',
        propertyNames: { enum: [...ruleIds] },
        additionalProperties: { type: 'string', enum: [...SEVERITIES] },
      },
      ignore: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Glob patterns, relative to the config file, of files not to lint.',
      },
      serviceEvidence: {
        type: 'string',
        enum: [...SERVICE_EVIDENCE_MODES],
        default: 'evidence',
        description:
          'evidence: a workload needs keepalive only when its manifests show it calls a Service; always: every workload does.',
      },
      nodeVersion: {
        type: 'string',
        pattern: '^v?[0-9]+(\\.[0-9]+){0,2}$',
        description:
          'Node.js version the code runs on ("20.11"). Default: read from package.json engines, .nvmrc, .node-version or a Dockerfile; unknown means it may be below 24.15.',
      },
      clientKeepaliveDelayMs: {
        type: 'integer',
        minimum: 1000,
        description: 'Keepalive delay (ms) the code fixes write. Default: min(30 s, T/2).',
      },
      osKeepaliveTimeSeconds: {
        ...positiveSeconds,
        default: DEFAULT_OS_KEEPALIVE_TIME_S,
        description:
          "The pods' net.ipv4.tcp_keepalive_time (s), for the code rules: the delay a socket gets when it enables keepalive without one of its own (setKeepAlive(true), a delay under 1000 ms). Default 7200, every new network namespace's value; set it when the pods set the sysctl. It never helps a socket that does not enable keepalive.",
      },
    },
  };
}

export type ConfigValidation =
  | { readonly ok: true; readonly config: UserConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

const validators = new Map<string, (value: unknown) => ConfigValidation>();

/** Validates a parsed config value. `source` names the file (or flag) in every error. */
export function validateConfig(value: unknown, source: string, ruleIds: readonly string[]): ConfigValidation {
  const cacheKey = ruleIds.join(',');
  let validate = validators.get(cacheKey);
  if (!validate) {
    // verbose: errors carry their schema, so an unknown key can list the allowed ones.
    const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
    const compiled = ajv.compile(configSchema(ruleIds));
    validate = (candidate: unknown): ConfigValidation => {
      if (compiled(candidate)) return { ok: true, config: candidate as UserConfig };
      return { ok: false, errors: describeErrors(compiled.errors ?? [], candidate) };
    };
    validators.set(cacheKey, validate);
  }
  const result = validate(value ?? {});
  if (result.ok) return result;
  return { ok: false, errors: result.errors.map((e) => `${source}: ${e}`) };
}

function keyPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describeErrors(errors: readonly ErrorObject[], value: unknown): string[] {
  const messages = new Set<string>();
  for (const error of errors) {
    const at = keyPath(error.instancePath);
    const where = at ? `key "${at}"` : 'the top level';
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String((error.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(
          ((error.parentSchema as { properties?: Record<string, unknown> }).properties ?? {}) as object,
        );
        messages.add(`unknown key "${at ? `${at}.` : ''}${key}"; allowed keys: ${allowed.join(', ')}`);
        break;
      }
      case 'propertyNames':
        break; // reported through the enum error of the property name itself
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
        if (error.propertyName !== undefined) {
          messages.add(`unknown rule id "${error.propertyName}" in "${at || 'rules'}"; allowed: ${allowed.join(', ')}`);
        } else {
          messages.add(`${where} has value ${JSON.stringify(valueAt(value, error.instancePath))}; allowed: ${allowed.join(', ')}`);
        }
        break;
      }
      case 'type':
        if (at === 'kubernetesVersion' && typeof valueAt(value, error.instancePath) === 'number') {
          messages.add(
            `key "kubernetesVersion" must be a quoted string such as "1.30" (YAML reads an unquoted 1.30 as the number 1.3)`,
          );
        } else {
          messages.add(`${where} must be ${(error.params as { type: string }).type}, got ${JSON.stringify(valueAt(value, error.instancePath))}`);
        }
        break;
      case 'pattern':
        messages.add(`${where} must look like "1.29" (major.minor), got ${JSON.stringify(valueAt(value, error.instancePath))}`);
        break;
      default:
        messages.add(`${where} ${error.message ?? 'is invalid'}`);
    }
  }
  return [...messages];
}

function valueAt(root: unknown, instancePath: string): unknown {
  let current: unknown = root;
  for (const part of instancePath.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return current;
}

export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function versionBelow(version: KubernetesVersion, major: number, minor: number): boolean {
  return version.major < major || (version.major === major && version.minor < minor);
}

export type ConfigResolution =
  | { readonly ok: true; readonly config: ResolvedConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Merges defaults, a validated config file and overrides. Overrides of the idle timeout replace the
 * file's idle timeout settings as a whole (a flag says "this is the path", not "add to it").
 */
export function resolveConfig(
  user: UserConfig,
  overrides: ConfigOverrides = {},
  file: string | undefined = undefined,
): ConfigResolution {
  const errors: string[] = [];
  const idle = resolveIdleTimeout(user, overrides, file);
  const versionText = overrides.kubernetesVersion ?? user.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const version = parseKubernetesVersion(versionText);
  if (!version) errors.push(`kubernetesVersion "${versionText}" must look like "1.29"`);
  const keepalive: KeepaliveValues = { ...DEFAULT_KEEPALIVE, ...user.keepalive };
  const severities = new Map<string, Severity>(Object.entries(user.rules ?? {}));
  for (const [id, severity] of Object.entries(overrides.rules ?? {})) severities.set(id, severity);
  const nodeText = overrides.nodeVersion ?? user.nodeVersion;
  const nodeSemver = nodeText === undefined ? undefined : parseSemver(nodeText);
  if (nodeText !== undefined && !nodeSemver) errors.push(`nodeVersion "${nodeText}" must look like "20.11"`);
  if (user.clientKeepaliveDelayMs !== undefined && user.clientKeepaliveDelayMs >= idle.timeout.seconds * 1000) {
    errors.push(`${file ?? 'configuration'}: clientKeepaliveDelayMs ${user.clientKeepaliveDelayMs} must be below the idle timeout T=${idle.timeout.seconds}s`);
  }
  if (keepalive.time >= idle.timeout.seconds) {
    errors.push(
      `${file ?? 'configuration'}: keepalive.time ${keepalive.time}s must be below the idle timeout T=${idle.timeout.seconds}s, or the fixes would not help`,
    );
  }
  if (errors.length > 0 || !version) return { ok: false, errors };
  return {
    ok: true,
    config: {
      idleTimeout: idle.timeout,
      idleTimeoutExplicit: idle.explicit,
      kubernetesVersion: version,
      kubernetesVersionText: versionText,
      keepalive,
      initContainerImage: user.initContainerImage ?? DEFAULT_INIT_CONTAINER_IMAGE,
      ruleSeverities: severities,
      ignore: user.ignore ?? [],
      serviceEvidence: user.serviceEvidence ?? 'evidence',
      nodeVersion: nodeSemver
        ? { version: nodeSemver, source: overrides.nodeVersion !== undefined ? '--node-version' : `nodeVersion in ${file ?? 'the configuration'}` }
        : undefined,
      clientKeepaliveDelayMs: user.clientKeepaliveDelayMs,
      osKeepaliveTimeSeconds: user.osKeepaliveTimeSeconds ?? DEFAULT_OS_KEEPALIVE_TIME_S,
      file,
    },
  };
}

function smallestProfile(names: readonly MiddleboxName[]): { seconds: number; profile: MiddleboxName } {
  let best: { seconds: number; profile: MiddleboxName } | undefined;
  for (const name of names) {
    const seconds = MIDDLEBOX_PROFILES[name].seconds;
    if (!best || seconds < best.seconds) best = { seconds, profile: name };
  }
  return best ?? { seconds: MIDDLEBOX_PROFILES.ipvs.seconds, profile: 'ipvs' };
}

function resolveIdleTimeout(
  user: UserConfig,
  overrides: ConfigOverrides,
  file: string | undefined,
): { timeout: IdleTimeout; explicit: boolean } {
  const fromFlags = overrides.idleTimeoutSeconds !== undefined || overrides.middleboxes !== undefined;
  const seconds = fromFlags ? overrides.idleTimeoutSeconds : user.idleTimeoutSeconds;
  const middleboxes = fromFlags ? overrides.middleboxes : user.middleboxes;
  const candidates: IdleTimeout[] = [];
  if (seconds !== undefined) {
    candidates.push({
      seconds,
      source: fromFlags ? { kind: 'flag', flag: '--idle-timeout' } : { kind: 'config', file, key: 'idleTimeoutSeconds' },
    });
  }
  if (middleboxes !== undefined && middleboxes.length > 0) {
    const best = smallestProfile(middleboxes);
    candidates.push({
      seconds: best.seconds,
      profile: best.profile,
      source: fromFlags ? { kind: 'flag', flag: '--middlebox' } : { kind: 'config', file, key: 'middleboxes' },
    });
  }
  if (candidates.length === 0) {
    const best = smallestProfile(DEFAULT_MIDDLEBOXES);
    return { timeout: { seconds: best.seconds, profile: best.profile, source: { kind: 'default' } }, explicit: false };
  }
  candidates.sort((a, b) => a.seconds - b.seconds);
  return { timeout: candidates[0]!, explicit: true };
}

/** T for one file: an explicit setting wins, then a kube-proxy IPVS config in the linted set, then the default. */
export function effectiveTimeout(
  config: ResolvedConfig,
  kubeProxy: { readonly seconds: number; readonly path: string; readonly range: OffsetRange } | undefined,
): IdleTimeout {
  if (config.idleTimeoutExplicit || !kubeProxy) return config.idleTimeout;
  return { seconds: kubeProxy.seconds, source: { kind: 'kube-proxy', path: kubeProxy.path, range: kubeProxy.range } };
}

/** "T=900s (ipvs profile, the default)": the "where T came from" part of every message. */
export function describeTimeout(timeout: IdleTimeout): string {
  const source = timeout.source;
  switch (source.kind) {
    case 'default':
      return `T=${timeout.seconds}s (the default "${timeout.profile ?? 'ipvs'}" profile: ${MIDDLEBOX_PROFILES[timeout.profile ?? 'ipvs'].note})`;
    case 'config':
      return source.key === 'middleboxes'
        ? `T=${timeout.seconds}s (middlebox "${timeout.profile}" in ${source.file ?? 'the configuration'})`
        : `T=${timeout.seconds}s (idleTimeoutSeconds in ${source.file ?? 'the configuration'})`;
    case 'flag':
      return source.flag === '--middlebox'
        ? `T=${timeout.seconds}s (--middlebox ${timeout.profile})`
        : `T=${timeout.seconds}s (--idle-timeout)`;
    case 'kube-proxy':
      return `T=${timeout.seconds}s (KubeProxyConfiguration ipvs.tcpTimeout in ${source.path})`;
  }
}
