import { buckets, consumers, streams } from '@arb/contracts';
import type { NatsClusterHandle, NatsNodeHandle } from '@arb/testkit';
import { waitFor } from '../wait';

/** What a cluster scenario does to one node. */
export type ClusterFaultKind = 'leader-kill' | 'follower-kill' | 'split';

/** A JetStream raft group whose leader trading depends on. */
export interface Group {
  readonly label: string;
  readonly stream: string;
  readonly consumer?: string;
}

/** The journal, the work queue, the executors' shared consumer on it, and the runtime-config bucket. */
export const TRADING_GROUPS: readonly Group[] = [
  { label: 'ARB_EXECS', stream: streams.executions.name },
  { label: 'ARB_OPPS', stream: streams.opportunities.name },
  { label: `ARB_OPPS/${consumers.executor()}`, stream: streams.opportunities.name, consumer: consumers.executor() },
  { label: `KV_${buckets.config}`, stream: `KV_${buckets.config}` },
];

/** Leader (node name) of every group now, '-' where there is none. */
export async function leaders(cluster: NatsClusterHandle): Promise<Map<Group, string>> {
  const out = new Map<Group, string>();
  for (const g of TRADING_GROUPS) out.set(g, (await cluster.streamLeader(g.stream, g.consumer).catch(() => undefined))?.name ?? '-');
  return out;
}

export const leadersText = (m: ReadonlyMap<Group, string>): string => [...m].map(([g, n]) => `${g.label} ${n}`).join(', ');

/** Moves the leader of every trading group to `node` (step-downs), once the cluster is healthy. */
export async function leadAllFrom(cluster: NatsClusterHandle, node: NatsNodeHandle): Promise<void> {
  await cluster.waitHealthy(60_000);
  for (const g of TRADING_GROUPS) {
    await cluster.waitForLeader(g.stream, g.consumer, 30_000);
    await cluster.moveLeader(node, g.stream, g.consumer, 60_000);
  }
}

/** Until every group has a leader other than `not` (after it died or was cut off); ms it took from `since`. */
export async function electedElsewhere(cluster: NatsClusterHandle, not: NatsNodeHandle, since: number, nowFn: () => number, timeoutMs = 60_000): Promise<Map<Group, number>> {
  const elected = new Map<Group, number>();
  await waitFor(
    `every trading group led by a node other than ${not.name}`,
    async () => {
      for (const g of TRADING_GROUPS) {
        if (elected.has(g)) continue;
        const l = await cluster.streamLeader(g.stream, g.consumer).catch(() => undefined);
        if (l !== undefined && l !== not) elected.set(g, nowFn() - since);
      }
      return elected.size === TRADING_GROUPS.length ? true : undefined;
    },
    timeoutMs,
    100,
  );
  return elected;
}

/** Until every group has a leader and every replica current again (e.g. a restarted or healed node caught up). */
export async function allCurrent(cluster: NatsClusterHandle, timeoutMs = 60_000): Promise<void> {
  await cluster.waitHealthy(timeoutMs);
  for (const g of TRADING_GROUPS) await cluster.waitForLeader(g.stream, g.consumer, timeoutMs);
}
