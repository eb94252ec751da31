import { streams, type ExecutionReport } from '@arb/contracts';
import type { NatsClusterHandle, NatsNodeHandle } from '@arb/testkit';
import type { FaultContext } from '../context';
import type { Check } from '../types';
import { waitFor } from '../wait';
import { TRADING_GROUPS, type ClusterFaultKind, type Group } from './cluster-groups';
import { ms } from './scenario';

export interface ClusterCheckInput {
  readonly ctx: FaultContext;
  readonly cluster: NatsClusterHandle;
  readonly kind: ClusterFaultKind;
  readonly target: NatsNodeHandle;
  readonly before: ReadonlyMap<Group, string>;
  readonly leadersDuring: ReadonlyMap<Group, string>;
  readonly elected: Map<Group, number> | Error | undefined;
  readonly tFault: number;
  readonly held: ReadonlySet<string>;
  readonly tHeldJournaled: number | undefined;
  readonly journalBefore: readonly ExecutionReport[];
  readonly journalAfter: readonly ExecutionReport[];
  /** Reports the suite saw on the bus since the fault, before journalAfter was read. */
  readonly seen: readonly ExecutionReport[];
}

/** The fault hit what it meant to: every trading group led by the target (and moved away), or none of them. */
function faultLanded(i: ClusterCheckInput): Check {
  const ledByTarget = TRADING_GROUPS.filter((g) => i.before.get(g) === i.target.name).map((g) => g.label);
  if (i.kind === 'follower-kill') {
    const moved = TRADING_GROUPS.filter((g) => i.leadersDuring.get(g) !== i.before.get(g)).map((g) => g.label);
    return {
      name: 'a follower died, the leaders stayed',
      ok: ledByTarget.length === 0 && moved.length === 0,
      detail: `${i.target.name} led ${ledByTarget.join(', ') || 'nothing'}; leaders that changed: ${moved.join(', ') || 'none'}`,
    };
  }
  const elected = i.elected;
  return {
    name: 'the leader was hit and replaced',
    ok: ledByTarget.length === TRADING_GROUPS.length && elected instanceof Map && elected.size === TRADING_GROUPS.length,
    detail:
      `${i.target.name} led ${ledByTarget.join(', ') || 'nothing'}; ` +
      (elected instanceof Map ? `new leaders: ${[...elected].map(([g, t]) => `${g.label} after ${ms(t)}`).join(', ')}` : `no new leaders: ${elected?.message ?? 'not measured'}`),
  };
}

/** Every report seen on the bus since the fault, and every report journaled before it, is in ARB_EXECS; none twice. */
function journalKept(i: ClusterCheckInput): Check {
  const ids = new Set(i.journalAfter.map((r) => r.id));
  const seen = i.seen;
  const missing = [...i.journalBefore, ...seen].filter((r) => !ids.has(r.id)).map((r) => r.id);
  const dupIds = i.journalAfter.length - ids.size;
  const dupOpps = i.journalAfter.length - new Set(i.journalAfter.map((r) => r.oppId)).size;
  return {
    name: 'no journal entry lost or duplicated',
    ok: missing.length === 0 && dupIds === 0 && dupOpps === 0,
    detail: `${i.journalAfter.length} reports in ARB_EXECS (${i.journalBefore.length} before the fault, ${seen.length} seen on the bus since): ${missing.length} missing${missing.length > 0 ? ` (${missing.slice(0, 3).join(', ')})` : ''}, ${dupIds} duplicate ids, ${dupOpps} opportunities twice`,
  };
}

/** Every node stores the same journal (message count and last sequence) once the cluster is whole again. */
async function replicasAgree(i: ClusterCheckInput): Promise<Check> {
  let states: string[] = [];
  const agreed = await waitFor(
    'every node storing the same journal',
    async () => {
      const s = await Promise.all(i.cluster.nodes.map(async (n) => ({ n: n.name, s: await i.cluster.storedOn(n, streams.executions.name).catch(() => undefined) })));
      states = s.map((x) => `${x.n} ${x.s === undefined ? 'none' : `${x.s.messages} msgs, last seq ${x.s.lastSeq}`}`);
      const first = s[0]?.s;
      return first !== undefined && s.every((x) => x.s?.messages === first.messages && x.s.lastSeq === first.lastSeq) ? true : undefined;
    },
    30_000,
    250,
  ).catch(() => false);
  return { name: 'replicas agree', ok: agreed === true, detail: `ARB_EXECS on ${states.join('; ')}` };
}

/** The stats service (rebuilt from the journal) counts what the journal holds, compared at the same sequence. */
async function statsMatch(i: ClusterCheckInput): Promise<Check | undefined> {
  const stats = i.ctx.stack.statsUrl;
  if (stats === undefined) return undefined;
  let seen = 'no answer';
  const ok = await waitFor(
    'stats at the journal\'s last sequence',
    async () => {
      const s = (await (await fetch(stats, { signal: AbortSignal.timeout(2000) })).json()) as { overall?: { reports?: number }; journal?: { lastSeq?: number } };
      const state = (await i.cluster.jsApi(`STREAM.INFO.${streams.executions.name}`))['state'] as { last_seq?: number; messages?: number } | undefined;
      seen = `stats: ${s.overall?.reports ?? '?'} reports up to seq ${s.journal?.lastSeq ?? '?'}; journal: ${state?.messages ?? '?'} reports up to seq ${state?.last_seq ?? '?'}`;
      return s.journal?.lastSeq === state?.last_seq ? s.overall?.reports === state?.messages : undefined;
    },
    30_000,
    250,
  ).catch(() => false);
  return { name: 'stats = journal', ok, detail: seen };
}

export async function clusterChecks(i: ClusterCheckInput): Promise<Check[]> {
  const checks: Check[] = [
    faultLanded(i),
    {
      name: 'the trade in flight at the fault journaled',
      ok: i.held.size > 0 && i.tHeldJournaled !== undefined,
      detail: `${i.held.size} orders held at the venues at the fault; ${i.tHeldJournaled === undefined ? 'not all journaled' : `all journaled ${ms(i.tHeldJournaled - i.tFault)} after it`}`,
    },
    journalKept(i),
    await replicasAgree(i),
  ];
  const stats = await statsMatch(i);
  if (stats !== undefined) checks.push(stats);
  return checks;
}
