/**
 * Hover content for the editor: the liveness model's verdict in one short table — the first probe
 * delay, the idle cap and the heartbeat against T, and where T came from. Pure: findings, parsed
 * facts and the timeout in; markdown and the offset range it describes out.
 */
import type { IdleTimeout } from './config.ts';
import { KEEPALIVE_SYSCTLS, KEEPALIVE_TIME, podKeepalive } from './k8s/keepalive.ts';
import type { Workload } from './k8s/model.ts';
import { NAMESPACE_DEFAULT_KEEPALIVE_S } from './node/liveness.ts';
import { ruleById } from './registry.ts';
import { MIDDLEBOX_PROFILES } from './profiles.ts';
import type { Finding, OffsetRange } from './types.ts';
import { nodeRange } from './yaml/ast.ts';
import { lineStart } from './yaml/edit.ts';

export interface HoverResult {
  readonly range: OffsetRange;
  readonly markdown: string;
}

export interface HoverInput {
  readonly text: string;
  readonly offset: number;
  /** The findings of the file, as published. */
  readonly findings: readonly Finding[];
  /** The effective T for the file. */
  readonly timeout: IdleTimeout;
  /** YAML files: the workloads, for hovers on tcp_keepalive_* sysctls and on workload findings. */
  readonly workloads?: readonly Workload[];
  /** The pods' tcp_keepalive_time (osKeepaliveTimeSeconds): what a socket enabling keepalive without a delay gets. */
  readonly osKeepaliveSeconds?: number;
}

/** Where T came from, in a few words. */
export function timeoutSourceText(timeout: IdleTimeout): string {
  const source = timeout.source;
  switch (source.kind) {
    case 'default':
      return `default profile "${timeout.profile ?? 'ipvs'}" (${MIDDLEBOX_PROFILES[timeout.profile ?? 'ipvs'].note})`;
    case 'config':
      return source.key === 'middleboxes'
        ? `middlebox "${timeout.profile}" in ${source.file ?? 'the configuration'}`
        : `idleTimeoutSeconds in ${source.file ?? 'the configuration'}`;
    case 'flag':
      return source.flag === '--middlebox' ? `--middlebox ${timeout.profile}` : '--idle-timeout';
    case 'kube-proxy':
      return `KubeProxyConfiguration ipvs.tcpTimeout in ${source.path}`;
  }
}

type Verdict = { readonly value: string; readonly ok: boolean | undefined };

/** A duration as describeLiveness writes it ("30s", "1500ms") in seconds. */
function durationSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!match) return undefined;
  return match[2] === 'ms' ? Number(match[1]) / 1000 : Number(match[1]);
}

function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(3).replace(/0+$/, '')} s`;
}

/**
 * The three parts of the liveness verdict a code finding's message carries (see describeLiveness in
 * node/liveness.ts; a test keeps the two in step). Undefined when the message has no verdict.
 */
export function parseLivenessVerdict(
  message: string,
  timeout: IdleTimeout,
  osKeepaliveSeconds: number = NAMESPACE_DEFAULT_KEEPALIVE_S,
): { probe: Verdict; cap: Verdict; heartbeat: Verdict } | undefined {
  const limit = timeout.seconds;
  let probe: Verdict | undefined;
  if (/\(a\) TCP keepalive is off/.test(message)) probe = { value: 'off (SO_KEEPALIVE not enabled)', ok: false };
  else {
    const under = /\(a\) TCP keepalive is on with a delay of (\d+)ms/.exec(message);
    const after = /\(a\) TCP keepalive probes after (\d+(?:\.\d+)?(?:ms|s))/.exec(message);
    if (under) probe = { value: `${under[1]} ms, under 1 s: the pod's tcp_keepalive_time ${osKeepaliveSeconds} s applies`, ok: osKeepaliveSeconds < limit };
    else if (after) {
      const s = durationSeconds(after[1]!);
      probe = s === undefined ? undefined : { value: `after ${seconds(s)}`, ok: s < limit };
    }
  }
  if (!probe) return undefined;
  let cap: Verdict = { value: 'never', ok: false };
  const closed = /\(b\) idle sockets are closed after (\d+(?:\.\d+)?(?:ms|s))/.exec(message);
  if (closed) {
    const s = durationSeconds(closed[1]!);
    if (s !== undefined) cap = { value: `after ${seconds(s)}`, ok: s < limit };
  }
  let heartbeat: Verdict = { value: 'none', ok: false };
  const beat = /\(c\) a heartbeat every (\d+(?:\.\d+)?(?:ms|s))/.exec(message);
  if (beat) {
    const s = durationSeconds(beat[1]!);
    if (s !== undefined) heartbeat = { value: `every ${seconds(s)}`, ok: s < limit };
  }
  return { probe, cap, heartbeat };
}

function mark(ok: boolean | undefined, limit: number): string {
  if (ok === undefined) return '—';
  return ok ? `✓ below ${limit} s` : `✗ not below ${limit} s`;
}

function table(rows: readonly (readonly [string, string, string])[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return ['| | value | vs T |', '|:--|:--|:--|', ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

function heading(finding: Finding | undefined): string {
  if (!finding) return '**keepalive-lint** · TCP keepalive of this pod';
  const rule = ruleById(finding.ruleId);
  return `**keepalive-lint** · ${rule ? `[${finding.ruleId}](${rule.docsUrl})` : finding.ruleId}`;
}

function timeoutRow(timeout: IdleTimeout): readonly [string, string, string] {
  return ['idle timeout T', seconds(timeout.seconds), timeoutSourceText(timeout)];
}

/** The pod's keepalive settings, as the kernel will see them. */
function podRows(workload: Workload, timeout: IdleTimeout): (readonly [string, string, string])[] {
  const state = podKeepalive(workload);
  const values = new Map<string, { value: string | undefined; via: string }>();
  for (const entry of state.sysctls) if (!values.has(entry.name)) values.set(entry.name, { value: entry.value, via: 'securityContext.sysctls' });
  for (const init of state.initContainers) {
    for (const assignment of init.assignments) {
      if (!values.has(assignment.sysctl)) values.set(assignment.sysctl, { value: String(assignment.value), via: init.privileged ? 'init container' : 'init container, not privileged: it fails' });
    }
  }
  const time = values.get(KEEPALIVE_TIME);
  const timeValue = time?.value !== undefined && /^\s*\d+\s*$/.test(time.value) ? Number(time.value) : undefined;
  const rows: (readonly [string, string, string])[] = [];
  if (timeValue === undefined) {
    rows.push([
      'first probe (tcp_keepalive_time)',
      time ? `${time.value ?? '(no value)'} (${time.via})` : `${NAMESPACE_DEFAULT_KEEPALIVE_S} s (network-namespace default)`,
      time ? '—' : mark(false, timeout.seconds),
    ]);
  } else {
    rows.push(['first probe (tcp_keepalive_time)', `${seconds(timeValue)} (${time!.via})`, mark(timeValue < timeout.seconds, timeout.seconds)]);
  }
  const intvl = values.get(KEEPALIVE_SYSCTLS[1]);
  const probes = values.get(KEEPALIVE_SYSCTLS[2]);
  if (intvl || probes) rows.push(['then', `${probes?.value ?? '9'} probes, ${intvl?.value ?? '75'} s apart`, '—']);
  rows.push(['idle cap, heartbeat', 'the client’s (it must enable SO_KEEPALIVE)', '—']);
  return rows;
}

function workloadAtOffset(workloads: readonly Workload[] | undefined, offset: number): Workload | undefined {
  return workloads?.find((w) => w.resource.range.start <= offset && offset < w.resource.range.end);
}

/** The tcp_keepalive_* sysctl entry or init-container assignment under the cursor. */
function sysctlAt(text: string, workloads: readonly Workload[] | undefined, offset: number): { workload: Workload; range: OffsetRange } | undefined {
  const workload = workloadAtOffset(workloads, offset);
  if (!workload) return undefined;
  const state = podKeepalive(workload);
  for (const entry of state.sysctls) {
    if (!(KEEPALIVE_SYSCTLS as readonly string[]).includes(entry.name)) continue;
    const range = nodeRange(entry.item);
    if (range && range.start <= offset && offset <= range.end) return { workload, range };
  }
  for (const init of state.initContainers) {
    for (const assignment of init.assignments) {
      const start = lineStart(text, assignment.valueRange.start);
      const newline = text.indexOf('\n', assignment.valueRange.end);
      const end = newline < 0 ? text.length : newline;
      if (start <= offset && offset <= end) return { workload, range: { start, end } };
    }
  }
  return undefined;
}

/** The hover at `offset`: over a finding (the verdict of its rule) or over a tcp_keepalive_* sysctl. */
export function hoverAt(input: HoverInput): HoverResult | undefined {
  const { offset, findings, timeout } = input;
  const finding = findings.find((f) => f.range.start <= offset && offset <= f.range.end);
  if (finding) {
    const ruleLanguage = ruleById(finding.ruleId)?.language;
    if (ruleLanguage === 'ts') {
      const verdict = parseLivenessVerdict(finding.message, timeout, input.osKeepaliveSeconds);
      const rows: (readonly [string, string, string])[] = verdict
        ? [
            ['first keepalive probe', verdict.probe.value, mark(verdict.probe.ok, timeout.seconds)],
            ['idle sockets closed', verdict.cap.value, mark(verdict.cap.ok, timeout.seconds)],
            ['heartbeat', verdict.heartbeat.value, mark(verdict.heartbeat.ok, timeout.seconds)],
            timeoutRow(timeout),
          ]
        : [timeoutRow(timeout)];
      return { range: finding.range, markdown: `${heading(finding)}\n\n${table(rows)}` };
    }
    const workload = workloadAtOffset(input.workloads, finding.range.start);
    const rows = workload ? [...podRows(workload, timeout), timeoutRow(timeout)] : [timeoutRow(timeout)];
    return { range: finding.range, markdown: `${heading(finding)}\n\n${table(rows)}` };
  }
  const sysctl = sysctlAt(input.text, input.workloads, offset);
  if (sysctl) {
    const rows = [...podRows(sysctl.workload, timeout), timeoutRow(timeout)];
    return { range: sysctl.range, markdown: `${heading(undefined)}\n\n${table(rows)}` };
  }
  return undefined;
}
