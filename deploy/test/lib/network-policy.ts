import { listAt, objAt, strAt, type JsonObject } from './json';
import type { K8sObject } from './k8s-object';

/** A pod of the manifests (its template labels), or a peer outside the namespace. */
export type Peer =
  | { readonly kind: 'pod'; readonly name: string; readonly labels: Readonly<Record<string, string>> }
  /** A pod of another namespace (e.g. Prometheus, kube-dns). */
  | { readonly kind: 'foreign-pod'; readonly labels: Readonly<Record<string, string>> }
  /** An address outside the cluster. */
  | { readonly kind: 'ip'; readonly ip: string };

export interface Flow {
  readonly from: Peer;
  readonly to: Peer;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

/** Whether `labels` satisfy a LabelSelector (matchLabels and matchExpressions; {} selects everything). */
export function selects(selector: JsonObject | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return false;
  for (const [k, v] of Object.entries(objAt(selector, 'matchLabels') ?? {})) if (labels[k] !== v) return false;
  for (const e of listAt(selector, 'matchExpressions')) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function ipv4(ip: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (m === null) return null;
  return m.slice(1).reduce((n, p) => n * 256 + Number(p), 0);
}

/** IPv4 CIDR containment (IPv6 blocks never contain an IPv4 address here). */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const a = ipv4(ip);
  const b = ipv4(base ?? '');
  if (a === null || b === null) return false;
  const bits = Number(bitsText);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

/** Does one NetworkPolicyPeer (podSelector / namespaceSelector / ipBlock) match `p`, seen from the policy's namespace? */
function peerMatches(peer: JsonObject, p: Peer): boolean {
  const ipBlock = objAt(peer, 'ipBlock');
  if (ipBlock !== undefined) {
    if (p.kind !== 'ip') return false;
    const except = Array.isArray(ipBlock.except) ? ipBlock.except.map(String) : [];
    return inCidr(p.ip, String(ipBlock.cidr)) && !except.some((c) => inCidr(p.ip, c));
  }
  const ns = objAt(peer, 'namespaceSelector');
  const pods = objAt(peer, 'podSelector');
  if (p.kind === 'ip') return false;
  if (ns !== undefined) {
    // namespaceSelector {} = every namespace (this one included); a non-empty one is not used by these manifests.
    if (Object.keys(ns).length > 0) return false;
    return pods === undefined || selects(pods, p.labels);
  }
  return p.kind === 'pod' && pods !== undefined && selects(pods, p.labels);
}

function portMatches(rulePorts: JsonObject[], port: number, protocol: string): boolean {
  if (rulePorts.length === 0) return true;
  return rulePorts.some((p) => (strAt(p, 'protocol') ?? 'TCP') === protocol && (p.port === undefined || p.port === port));
}

/** Whether one direction of `flow` is allowed for the selected pod `pod` by the policies of type `type`. */
function allowedAt(policies: readonly K8sObject[], pod: Peer, other: Peer, type: 'Ingress' | 'Egress', port: number, protocol: string): boolean {
  if (pod.kind !== 'pod') return true; // outside the namespace: not governed by these policies
  const applying = policies.filter((np) => {
    const spec = objAt(np, 'spec');
    const types = Array.isArray(spec?.policyTypes) ? spec.policyTypes.map(String) : ['Ingress'];
    return types.includes(type) && selects(objAt(spec, 'podSelector'), pod.labels);
  });
  if (applying.length === 0) return true; // not isolated
  const key = type === 'Ingress' ? 'ingress' : 'egress';
  const peersKey = type === 'Ingress' ? 'from' : 'to';
  return applying.some((np) =>
    listAt(objAt(np, 'spec'), key).some((rule) => {
      const peers = listAt(rule, peersKey);
      const peerOk = rule[peersKey] === undefined || peers.some((pe) => peerMatches(pe, other));
      return peerOk && portMatches(listAt(rule, 'ports'), port, protocol);
    }),
  );
}

/** A flow is allowed when the source's egress and the destination's ingress both allow it (Kubernetes semantics). */
export function allowed(policies: readonly K8sObject[], flow: Flow): boolean {
  const protocol = flow.protocol ?? 'TCP';
  return allowedAt(policies, flow.from, flow.to, 'Egress', flow.port, protocol) && allowedAt(policies, flow.to, flow.from, 'Ingress', flow.port, protocol);
}
