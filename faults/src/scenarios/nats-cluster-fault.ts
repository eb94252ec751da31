import { consumers, streams, type ExecutionReport } from '@arb/contracts';
import { promValue, type NatsClusterHandle, type NatsNodeHandle } from '@arb/testkit';
import type { FaultContext, Venue } from '../context';
import { readJournal } from '../journal';
import { now } from '../recorder';
import type { FaultStack } from '../stack';
import type { Check, ScenarioOutcome } from '../types';
import { sleep, waitFor } from '../wait';
import { clusterChecks } from './cluster-checks';
import { allCurrent, electedElsewhere, leadAllFrom, leaders, leadersText, type ClusterFaultKind, type Group } from './cluster-groups';
import { tradedAfter } from './feed-fault';
import { ms } from './scenario';

/** How long the network split lasts before it heals. */
export const SPLIT_MS = 10_000;
/** Venues hold each order this long before executing and answering: the fault lands while a trade is in flight. */
const SLOW_ACK_MS = 1500;
/** How long trading may take to resume before the scenario gives up. */
const RESUME_TIMEOUT_MS = 90_000;

const orderKey = (o: { venue: string; clientOrderId: string }): string => `${o.venue}/${o.clientOrderId}`;
const traded = (r: ExecutionReport): boolean => r.status !== 'skipped' && r.status !== 'expired';

/** Counters summed over every executor, and every service's bus reconnects. */
async function counters(stack: FaultStack): Promise<Record<string, number>> {
  const out: Record<string, number> = { duplicates: 0, journalRetries: 0, received: 0, reconnects: 0 };
  for (const label of stack.labels) {
    const text = await stack.metrics(label).catch(() => '');
    out['reconnects'] = (out['reconnects'] ?? 0) + (promValue(text, 'bus_reconnects_total') ?? 0);
    if (!label.startsWith('executor-')) continue;
    out['duplicates'] = (out['duplicates'] ?? 0) + (promValue(text, 'executor_opportunities_duplicate_total') ?? 0);
    out['journalRetries'] = (out['journalRetries'] ?? 0) + (promValue(text, 'executor_journal_retries_total') ?? 0);
    out['received'] = (out['received'] ?? 0) + (promValue(text, 'executor_opportunities_received_total') ?? 0);
  }
  return out;
}

/** Until every executor has a pull waiting on the shared consumer (moving its leader interrupts them for a moment). */
async function executorsPulling(cluster: NatsClusterHandle, executors: number): Promise<void> {
  await waitFor(
    'every executor pulling opportunities',
    async () => {
      const info = await cluster.jsApi(`CONSUMER.INFO.${streams.opportunities.name}.${consumers.executor()}`);
      return Number(info['num_waiting'] ?? 0) >= executors ? true : undefined;
    },
    30_000,
    100,
  );
}

/** The node to hit and the node that leads every trading group at the fault. */
function chooseNodes(
  cluster: NatsClusterHandle,
  kind: ClusterFaultKind,
  meta: NatsNodeHandle | undefined,
  observer: NatsNodeHandle | undefined,
  clients: readonly { node: string; name: string }[],
): { target: NatsNodeHandle; leadFrom: NatsNodeHandle } {
  // The suite's own observer (it records what the services publish) stays on a node the fault does not touch.
  const candidates = cluster.nodes.filter((n) => n !== observer);
  if (kind === 'split') {
    // Worst case for a split: an executor stays connected to the node cut off (its requests get no answer there).
    const withExecutor = candidates.find((n) => clients.some((c) => c.node === n.name && c.name.startsWith('executor')));
    if (withExecutor !== undefined) return { target: withExecutor, leadFrom: withExecutor };
  }
  if (kind === 'follower-kill') {
    const target = candidates.find((n) => n !== meta) ?? (candidates[0] as NatsNodeHandle);
    const leadFrom = cluster.nodes.find((n) => n !== target && n === meta) ?? (cluster.nodes.find((n) => n !== target) as NatsNodeHandle);
    return { target, leadFrom };
  }
  // Worst case: the node that also leads the JetStream meta group (consumer and stream placement) when possible.
  const target = meta !== undefined && meta !== observer ? meta : (candidates[0] as NatsNodeHandle);
  return { target, leadFrom: target };
}

/**
 * Opens an arbitrage window every 3 s (alternating venue and direction) from the fault on, until a window's trade
 * (orders sent, not the trade that was in flight at the fault) is journaled. Returns that report, when the suite saw
 * it, and how many windows it took.
 */
async function probeUntilTraded(ctx: FaultContext, tFault: number, exclude: ReadonlySet<string>): Promise<{ report: ExecutionReport; seenAt: number; windows: number }> {
  const find = (): { report: ExecutionReport; seenAt: number } | undefined => {
    const hit = ctx.recorder.reports.find((r) => r.at >= tFault && r.msg.timings.receivedTs >= tFault && traded(r.msg) && !r.msg.legs.some((l) => exclude.has(orderKey(l))));
    return hit === undefined ? undefined : { report: hit.msg, seenAt: hit.at };
  };
  const deadline = tFault + RESUME_TIMEOUT_MS;
  for (let i = 0; now() < deadline; i++) {
    const venue: Venue = i % 2 === 0 ? 'binance' : 'coinbase';
    await ctx.sim.dislocate('BTC-USDT', venue, i % 4 < 2 ? 30 : -30, 2500).catch(() => undefined);
    const hit = await waitFor('a probe window traded', find, 3000, 50).catch(() => undefined);
    if (hit !== undefined) return { ...hit, windows: i + 1 };
  }
  throw new Error(`no window traded within ${RESUME_TIMEOUT_MS} ms of the fault`);
}

/**
 * One NATS cluster fault while a trade is in flight (both legs held at the venues): the node leading the journal, the
 * work queue, the executors' consumer and the config bucket is killed (`leader-kill`) or cut off from the other nodes
 * for SPLIT_MS (`split`), or a node leading none of them is killed (`follower-kill`). Measures the elections, when the
 * trade in flight was journaled, when a new window traded again (trading resumed), when the node was back and current,
 * and checks the journal against the bus and the replicas against each other.
 */
export async function clusterFault(ctx: FaultContext, kind: ClusterFaultKind): Promise<ScenarioOutcome> {
  const { stack, sim, recorder } = ctx;
  const cluster = stack.cluster;
  if (cluster === undefined) throw new Error('this scenario needs a NATS cluster (npm run faults -- --nats-cluster 3)');
  await allCurrent(cluster);
  const meta = await cluster.metaLeader();
  const observer = cluster.nodes.find((n) => n.port === recorder.serverPort);
  const { target, leadFrom } = chooseNodes(cluster, kind, meta, observer, await cluster.clients());
  await leadAllFrom(cluster, leadFrom);
  await executorsPulling(cluster, stack.executors.length);
  const before = await leaders(cluster);
  const metaBefore = (await cluster.metaLeader())?.name ?? '-';
  const onTarget = (await cluster.clients()).filter((c) => c.node === target.name && !c.name.startsWith('arb-testkit')).map((c) => c.name);
  const journalBefore = await readJournal(stack.natsUrl);
  const countersBefore = await counters(stack);

  // A trade in flight: both legs held at the venues when the fault lands.
  const known = new Set((await sim.orders()).map(orderKey));
  for (const v of ['binance', 'coinbase'] as const) await sim.tradingFaults(v, { slowAckMs: SLOW_ACK_MS });
  await sim.dislocate('BTC-USDT', 'binance', 30, 2500);
  const inFlight = await waitFor('a trade in flight at the venues', async () => ((await sim.tradingStats()).inFlightTrades > 0 ? true : undefined), 15_000, 10);
  const tFault = now();
  if (kind === 'split') target.isolate('blackhole');
  else await target.kill();
  let tHeal: number | undefined;
  const healed = kind === 'split' ? sleep(SPLIT_MS).then(() => {
    target.heal();
    tHeal = now();
  }) : Promise.resolve();
  const held = new Set((await sim.orders()).filter((o) => !known.has(orderKey(o))).map(orderKey));
  for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);

  const elections = kind === 'follower-kill' ? Promise.resolve(undefined) : electedElsewhere(cluster, target, tFault, now).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const heldJournaled = waitFor(
    'every order of the trade in flight at the fault journaled',
    async () => {
      const journaled = new Set((await readJournal(stack.natsUrl)).flatMap((r) => r.legs.map(orderKey)));
      return held.size > 0 && [...held].every((k) => journaled.has(k)) ? now() : undefined;
    },
    RESUME_TIMEOUT_MS,
    250,
  ).catch(() => undefined);
  const resume = await probeUntilTraded(ctx, tFault, held).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const leadersDuring = await leaders(cluster);
  const countersDuring = await counters(stack);
  const tHeldJournaled = await heldJournaled;
  const elected = await elections;

  await healed;
  const tBack = now();
  if (!target.running) await target.start();
  await allCurrent(cluster, 90_000);
  const tCurrent = now();
  const probe = await ctx.probeTrades(30_000);

  await ctx.quiesce();
  const seen = recorder.reportsSince(tFault);
  const journalAfter = await journalWith(stack.natsUrl, seen);
  const checks: Check[] = [
    ...(await clusterChecks({ ctx, cluster, kind, target, before, leadersDuring, elected, tFault, held, tHeldJournaled, journalBefore, journalAfter, seen })),
    {
      name: 'trading resumed during the fault',
      ok: !(resume instanceof Error),
      detail: resume instanceof Error ? resume.message : `window ${resume.windows} after the fault traded (${resume.report.status}); orders sent ${ms((resume.report.timings.ordersSentTs ?? resume.report.timings.finalTs) - tFault)} after the fault`,
    },
    tradedAfter(probe.reports, probe.firstMs),
  ];
  const delta = (k: string): number => (countersDuring[k] ?? 0) - (countersBefore[k] ?? 0);
  const resumeMs = resume instanceof Error ? null : (resume.report.timings.ordersSentTs ?? resume.report.timings.finalTs) - tFault;
  const what = kind === 'split' ? `cut off from the other nodes for ${ms(SPLIT_MS)} (route links blackholed)` : 'SIGKILLed';
  const electedText = elected === undefined ? 'leaders kept' : elected instanceof Error ? `elections: ${elected.message}` : `new leaders elected after ${[...elected].map(([g, t]: [Group, number]) => `${g.label} ${ms(t)}`).join(', ')}`;
  return {
    behaviour: [
      `${target.name} ${what} with a trade in flight (${inFlight ? held.size : 0} orders held at the venues); before: ${leadersText(before)}; meta leader ${metaBefore}; connected to ${target.name}: ${onTarget.join(', ') || 'no service'}`,
      `${electedText}; during the fault: ${leadersText(leadersDuring)}`,
      tHeldJournaled === undefined ? 'the trade in flight at the fault was NOT journaled' : `the trade in flight at the fault journaled ${ms(tHeldJournaled - tFault)} after the fault (${delta('journalRetries')} journal publish retries)`,
      resume instanceof Error ? `trading did not resume: ${resume.message}` : `trading resumed: window ${resume.windows} after the fault traded, orders sent ${ms(resumeMs ?? 0)} and the report seen ${ms(resume.seenAt - tFault)} after the fault`,
      `${kind === 'split' ? `split healed ${ms((tHeal ?? tBack) - tFault)} after it began` : `${target.name} restarted ${ms(tBack - tFault)} after the kill`}; every replica current ${ms(tCurrent - tBack)} later`,
      `executors: ${delta('received')} opportunities received, ${delta('duplicates')} redeliveries caught by the idempotency guard; ${delta('reconnects')} NATS reconnects over all services`,
    ],
    recoveryMs: resumeMs,
    recoveryOf: 'fault → orders sent for a new window (trading resumed)',
    lost: lostText(journalBefore, journalAfter, seen),
    checks,
  };
}

/**
 * The journal once it holds every report in `seen` (a report reaches core subscribers as it is published, a moment
 * before the stream has it replicated), or as it is after 15 s.
 */
async function journalWith(natsUrl: string, seen: readonly ExecutionReport[]): Promise<ExecutionReport[]> {
  let journal: ExecutionReport[] = [];
  await waitFor(
    'every report seen on the bus in the journal',
    async () => {
      journal = await readJournal(natsUrl);
      const ids = new Set(journal.map((r) => r.id));
      return seen.every((r) => ids.has(r.id)) ? true : undefined;
    },
    15_000,
    500,
  ).catch(() => undefined);
  return journal;
}

function lostText(before: readonly ExecutionReport[], after: readonly ExecutionReport[], seen: readonly ExecutionReport[]): string {
  const ids = new Set(after.map((r) => r.id));
  const lostBefore = before.filter((r) => !ids.has(r.id)).length;
  const lostSeen = seen.filter((r) => !ids.has(r.id)).length;
  const dupIds = after.length - ids.size;
  const dupOpps = after.length - new Set(after.map((r) => r.oppId)).size;
  return lostBefore + lostSeen + dupIds + dupOpps === 0
    ? `nothing: ${after.length} reports in ARB_EXECS, the ${before.length} from before and all ${seen.length} published since the fault among them; no report id or opportunity twice`
    : `journal: ${lostBefore} earlier report(s) and ${lostSeen} published since the fault missing; ${dupIds} duplicate report id(s), ${dupOpps} opportunity(ies) journaled twice`;
}

