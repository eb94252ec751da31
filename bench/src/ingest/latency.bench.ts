import { natsFloor } from '../floors/nats-floor';
import type { NatsHopResult } from '../floors/nats-hop';
import { RemoteSubscriber } from '../floors/remote-subscriber';
import type { SubscriberReport } from '../floors/subscriber-protocol';
import { sleep } from '../lib/clock';
import { within } from '../lib/deadline';
import { latencyRows, row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import type { BenchModule, BenchRow } from '../types';
import { ingestorUnavailable } from './ingestor-process';
import { replayData } from './replay-cache';
import { IngestSession } from './session';

const GROUP = 'ingest';
const TARGET_ADDED_P99_MS = 1;

interface RateRun {
  readonly rate: number;
  readonly frames: number;
  readonly report: SubscriberReport;
  /** Books the ingestor published per second (coalescing makes it lower than the frame rate). */
  readonly bookRate: number;
  /** The cross-process NATS floor at `bookRate`: same message rate and burst shape as the ingestor's output. */
  readonly floor: NatsHopResult;
}

/** 1234 → 1200: floors are memoized by rate, so nearby book rates share one measurement. */
function roundRate(r: number): number {
  const mag = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(r, 1))) - 1);
  return Math.max(100, Math.round(r / mag) * mag);
}

/**
 * Frame received by the feed-ingestor → BookSnapshot received by a subscriber in another process, at fixed frame
 * rates (paced in ~1 ms ticks). Each snapshot carries recvTs (frame receipt, ingestor clock) and pubTs; the
 * subscriber records now - recvTs (reported), now - pubTs (the hop) and pubTs - recvTs (inside the ingestor).
 * The baseline is the cross-process NATS floor measured in the same run at the rate the ingestor actually published
 * books (it coalesces a tick's frames into about one book), i.e. the same message rate and burst shape.
 */
export const ingestLatencyBench: BenchModule = {
  name: 'ingest.latency',
  group: GROUP,
  description: 'feed-ingestor frame-received → subscriber latency at fixed frame rates, vs the NATS floor at its book rate',
  unavailable: (ctx) => ingestorUnavailable(ctx.root),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const plan = s.latencyRates.map((rate) => {
      const measured = Math.round(rate * s.latencySeconds);
      return { rate, warmup: Math.round(measured * s.warmupFraction), measured };
    });
    const totalFrames = 1 + plan.reduce((sum, p) => sum + p.warmup + p.measured, 0);
    const data = await replayData(ctx, totalFrames);
    const session = await IngestSession.start(ctx, data, 'ingest-latency');
    const measured: Array<Omit<RateRun, 'floor'>> = [];
    let problems: string[];
    try {
      // Back to back: a feed silent for seconds is declared dead by the ingestor (it would reconnect).
      for (const p of plan) {
        const sub = await RemoteSubscriber.start(session.natsUrl, IngestSession.subject);
        try {
          ctx.log.info(`feed-ingestor latency @${rateLabel(p.rate)} (${p.warmup} warm-up + ${p.measured} frames)`);
          await session.replay.paced(p.rate, p.warmup);
          sub.reset();
          const paced = await session.replay.paced(p.rate, p.measured);
          const last = data.lastIds[session.replay.sent - 1] as number;
          const what = (): string => `latency run @${rateLabel(p.rate)} (ingestor at venueSeq ${session.watch.maxVenueSeq}, last ${last})`;
          await within(session.watch.reach(last), 10_000, what, session.failure);
          await sleep(50); // the other subscriber gets the same last message
          const report = await sub.stop();
          measured.push({ rate: p.rate, frames: p.measured, report, bookRate: roundRate(report.recv.count / (paced.elapsedMs / 1000)) });
        } finally {
          sub.kill();
        }
      }
      problems = [...session.incidents(), ...Object.entries(await session.ingestor.incidents()).map(([k, v]) => `${k}=${v}`)];
    } finally {
      await session.stop();
    }
    // The floors at the ingestor's book rates, on the same nats-server, now that nothing else runs.
    const runs: RateRun[] = [];
    for (const m of measured) runs.push({ ...m, floor: await natsFloor(ctx, 'cross-process', m.bookRate) });
    return runs.flatMap((r) => rateRows(r, problems));
  },
};

function rateRows(r: RateRun, problems: readonly string[]): BenchRow[] {
  const at = `@${rateLabel(r.rate)}`;
  const rep = r.report;
  const status = problems.length > 0 || rep.invalid > 0 || rep.outOfOrder > 0 ? 'failed' : 'ok';
  const issues = [...problems];
  if (rep.invalid > 0) issues.push(`${rep.invalid} invalid BookSnapshot(s)`);
  if (rep.outOfOrder > 0) issues.push(`${rep.outOfOrder} out of order`);
  const note = `${rep.recv.count} books (~${rateLabel(r.bookRate)}) for ${r.frames} frames${issues.length > 0 ? `; PROBLEMS: ${issues.join('; ')}` : ''}`;
  const floorName = `NATS floor cross-process @${rateLabel(r.bookRate)} (the ingestor's book rate)`;
  const rows = latencyRows(GROUP, `ingestor recv→subscriber ${at}`, rep.recv, { baseline: r.floor.pub, baselineName: floorName, note }).map((x) => ({ ...x, status: x.value === null ? x.status : status }));
  const added = rep.recv.count > 0 ? rep.recv.p99 - r.floor.pub.p99 : null;
  rows.push(
    row({
      group: GROUP,
      name: `ingestor added latency p99 ${at}`,
      value: added,
      unit: 'ms',
      baseline: r.floor.pub.p99,
      baselineName: `${floorName} p99`,
      target: { op: '<=', value: TARGET_ADDED_P99_MS },
      status: added === null ? 'failed' : status,
      note: 'recv→subscriber p99 minus floor p99',
    }),
    ...latencyRows(GROUP, `inside ingestor recv→publish ${at}`, rep.internal, {
      percentiles: ['p50', 'p99'],
      note: 'pubTs - recvTs, one clock',
    }),
    ...latencyRows(GROUP, `ingestor publish→subscriber ${at}`, rep.pub, {
      percentiles: ['p50', 'p99'],
      baseline: r.floor.pub,
      baselineName: floorName,
      note: 'now - pubTs: the NATS hop as seen in this run',
    }),
  );
  return rows;
}
