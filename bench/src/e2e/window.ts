import { subjects, type ExecutionReport } from '@arb/contracts';
import { RemoteSubscriber } from '../floors/remote-subscriber';
import type { SubscriberReport } from '../floors/subscriber-protocol';
import { nowMs, sleep } from '../lib/clock';
import { LatencyRecorder, type LatencySummary } from '../lib/latency';
import type { E2eStack } from '../stack/e2e-stack';
import { FlowWatch, type OppSeen } from '../stack/flow-watch';

/** Latencies of one measurement window of the running system, from the services' own timestamps. */
export interface E2eWindow {
  readonly seconds: number;
  /** Sim book changes and level updates per second, diff updates the ingestors applied per second, books they published per second. */
  readonly rates: { readonly changes: number; readonly levelUpdates: number; readonly applied: number; readonly books: number };
  readonly opportunities: number;
  readonly trades: number;
  readonly statuses: Record<string, number>;
  /** BookSnapshot.recvTs (venue frame received) → Opportunity.detectedTs, every opportunity. */
  readonly frameToOpp: LatencySummary;
  /** recvTs → ExecutionReport.timings.ordersSentTs, every trade. */
  readonly frameToOrders: LatencySummary;
  /** detectedTs → the executor received it (JetStream work queue). */
  readonly oppToExecutor: LatencySummary;
  /** executor received → both orders sent. */
  readonly executorHot: LatencySummary;
  /** Every book: frame received by the ingestor → BookSnapshot at a subscriber process. */
  readonly book: SubscriberReport;
  readonly incidents: string[];
}

/**
 * Measures `seconds` of the running stack: opportunities detected and trades sent in that window, joined by id
 * (reports that come in up to `tailMs` later still count), and every book on `md.book.>` at a subscriber process.
 */
export async function measureWindow(stack: E2eStack, seconds: number, tailMs = 2000): Promise<E2eWindow> {
  const url = stack.servers.nats.url;
  const watch = await FlowWatch.start(url);
  const sub = await RemoteSubscriber.start(url, subjects.books());
  try {
    const m0 = await stack.sim.modelCounters();
    const c0 = await stack.counters();
    sub.reset();
    const start = nowMs();
    await sleep(seconds * 1000);
    const end = nowMs();
    const m1 = await stack.sim.modelCounters();
    const c1 = await stack.counters();
    const book = await sub.stop();
    const inWindow = watch.oppList.filter((o) => o.detectedTs >= start && o.detectedTs < end);
    if (stack.executor !== undefined) await watch.waitForReports(inWindow.map((o) => o.id), tailMs);
    const secs = (end - start) / 1000;
    return {
      seconds: secs,
      rates: {
        changes: (m1.changes - m0.changes) / secs,
        levelUpdates: (m1.levelUpdates - m0.levelUpdates) / secs,
        applied: (c1.updates - c0.updates) / secs,
        books: (c1.published - c0.published) / secs,
      },
      ...join(inWindow, watch.reports),
      book,
      incidents: await stack.incidents(),
    };
  } finally {
    sub.kill();
    await watch.close();
  }
}

function join(
  opps: readonly OppSeen[],
  reports: ReadonlyMap<string, ExecutionReport>,
): Pick<E2eWindow, 'opportunities' | 'trades' | 'statuses' | 'frameToOpp' | 'frameToOrders' | 'oppToExecutor' | 'executorHot'> {
  const r = { frameToOpp: new LatencyRecorder(), frameToOrders: new LatencyRecorder(), oppToExecutor: new LatencyRecorder(), executorHot: new LatencyRecorder() };
  const statuses: Record<string, number> = {};
  for (const o of opps) {
    r.frameToOpp.record(o.detectedTs - o.triggerRecvTs);
    const rep = reports.get(o.id);
    if (rep === undefined) continue;
    // Skipped ones by reason (route busy, inventory, a risk limit, ...): they explain a window without trades.
    const key = rep.status === 'skipped' ? `skipped (${(rep.reason ?? '?').slice(0, 40)})` : rep.status;
    statuses[key] = (statuses[key] ?? 0) + 1;
    r.oppToExecutor.record(rep.timings.receivedTs - o.detectedTs);
    const sent = rep.timings.ordersSentTs;
    if (sent === null) continue;
    r.frameToOrders.record(sent - o.triggerRecvTs);
    r.executorHot.record(sent - rep.timings.receivedTs);
  }
  return {
    opportunities: opps.length,
    trades: r.frameToOrders.count,
    statuses,
    frameToOpp: r.frameToOpp.summary(),
    frameToOrders: r.frameToOrders.summary(),
    oppToExecutor: r.oppToExecutor.summary(),
    executorHot: r.executorHot.summary(),
  };
}
