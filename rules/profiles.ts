/**
 * Idle timeouts of the stateful middleboxes between a pod and its peer, from shared/research/facts.md.
 * The effective timeout T is the smallest on the path.
 */
export const MIDDLEBOX_PROFILES = {
  ipvs: { seconds: 900, note: 'kube-proxy IPVS mode, kernel default for established TCP' },
  iptables: { seconds: 86400, note: 'kube-proxy iptables/nftables mode conntrack timeout' },
  cilium: { seconds: 8000, note: 'Cilium eBPF conntrack (bpf-ct-timeout-regular-tcp)' },
  'calico-ebpf': { seconds: 3600, note: 'Calico eBPF dataplane conntrack' },
  'aws-nlb': { seconds: 350, note: 'AWS Network Load Balancer TCP idle timeout' },
  'aws-nat-gateway': { seconds: 350, note: 'AWS NAT Gateway idle timeout (fixed)' },
  'gcp-cloud-nat': { seconds: 1200, note: 'Google Cloud NAT established TCP idle timeout' },
  'gcp-vpc-firewall': { seconds: 600, note: 'Google Cloud VPC firewall connection tracking' },
  'azure-lb': { seconds: 240, note: 'Azure Load Balancer default idle timeout' },
  'azure-nat-gateway': { seconds: 240, note: 'Azure NAT Gateway default idle timeout' },
} as const satisfies Record<string, { seconds: number; note: string }>;

export type MiddleboxName = keyof typeof MIDDLEBOX_PROFILES;

export const MIDDLEBOX_NAMES = Object.keys(MIDDLEBOX_PROFILES) as MiddleboxName[];

export const DEFAULT_MIDDLEBOXES: readonly MiddleboxName[] = ['ipvs'];

export function isMiddleboxName(name: string): name is MiddleboxName {
  return Object.hasOwn(MIDDLEBOX_PROFILES, name);
}
