import { FloorSession, type NatsHopResult } from '../floors/nats-hop';
import { RemoteSubscriber } from '../floors/remote-subscriber';
import type { SubscriberReport } from '../floors/subscriber-protocol';
import { sleep } from '../lib/clock';
import { within } from '../lib/deadline';
import { latencyRows, row } from '../lib/rows';
import { median, roundRate } from '../lib/stats';
import { benchSettings, rateLabel, type BenchSettings } from '../settings';
import type { BenchContext, BenchModule, BenchRow } from '../types';
import { ingestorUnavailable } from './ingestor-process';
import { replayData } from './inputs';
import { IngestSession } from './session';

const GROUP = 'ingest';
const TARGET_ADDED_P99_MS = 1;

interface RateRun {
  readonly rate: number;
  readonly frames: number;
  readonly report: SubscriberReport;
  /** Books the ingestor published per second (coalescing makes it lower than the frame rate). */
  readonly bookRate: number;
  /** The cross-process NATS floor at `bookRate`, measured in slices interleaved with the ingest slices. */
  readonly floor: NatsHopResult;
  /** p99 of recv→subscriber in each ingest slice, and of the floor in the slice right after it. */
  readonly sliceP99: readonly number[];
  readonly floorSliceP99: readonly number[];
}

/**
 * Frame received by the feed-ingestor → BookSnapshot received by a subscriber in another process, at fixed frame
 * rates (paced in ~1 ms ticks). Each snapshot carries recvTs (frame receipt, ingestor clock) and pubTs; the
 * subscriber records now - recvTs (reported), now - pubTs (the hop) and pubTs - recvTs (inside the ingestor).
 *
 * Baseline: the cross-process NATS floor at the rate the ingestor actually publishes books (it coalesces a ~1 ms
 * burst of frames into about one book: same message rate, same burst shape), measured in slices that alternate
 * with the ingest slices, so both see the same background load of a shared machine.
 */
export const ingestLatencyBench: BenchModule = {
  name: 'ingest.latency',
  group: GROUP,
  description: 'feed-ingestor frame-received → subscriber latency at fixed frame rates, vs an interleaved NATS floor',
  unavailable: (ctx) => ingestorUnavailable(ctx.root),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const { runs, problems } = await measure(ctx, s);
    return runs.flatMap((r) => rateRows(r, problems));
  },
};

async function measure(ctx: BenchContext, s: BenchSettings): Promise<{ runs: RateRun[]; problems: string[] }> {
  const plan = s.latencyRates.map((rate) => ({
    rate,
    warmup: Math.round(rate * s.ingestWarmupSeconds),
    slice: Math.round(rate * s.sliceSeconds),
  }));
  const data = replayData(ctx, 1 + plan.reduce((sum, p) => sum + p.warmup + s.slices * p.slice, 0));
  const session = await IngestSession.start(ctx, data, 'ingest-latency');
  const runs: RateRun[] = [];
  try {
    // Paced frames that the ingestor has fully published; returns the paced wall time and the books it made.
    const ingestSlice = async (rate: number, frames: number): Promise<{ ms: number; books: number }> => {
      const books0 = session.watch.received;
      const paced = await session.replay.paced(rate, frames);
      const last = data.lastIds[session.replay.sent - 1] as number;
      const what = (): string => `latency run @${rateLabel(rate)} (ingestor at venueSeq ${session.watch.maxVenueSeq}, last ${last})`;
      await within(session.watch.reach(last), 10_000, what, session.failure);
      await sleep(20); // the subscriber process gets the same last message
      return { ms: paced.elapsedMs, books: session.watch.received - books0 };
    };
    for (const p of plan) {
      const sub = await RemoteSubscriber.start(session.natsUrl, IngestSession.subject);
      const floor = await FloorSession.start(session.natsUrl, 'cross-process');
      try {
        ctx.log.info(`feed-ingestor latency @${rateLabel(p.rate)}: ${s.slices} x ${s.sliceSeconds}s, each followed by its floor`);
        const warm = await ingestSlice(p.rate, p.warmup);
        const bookRate = roundRate(warm.books / (warm.ms / 1000));
        await floor.slice(bookRate, Math.round(bookRate * s.sliceSeconds));
        sub.reset();
        floor.reset();
        const sliceP99: number[] = [];
        const floorSliceP99: number[] = [];
        for (let i = 0; i < s.slices; i++) {
          const x = await ingestSlice(p.rate, p.slice);
          const mine = await sub.slice();
          await floor.slice(bookRate, Math.round(bookRate * (x.ms / 1000)));
          const theirs = await floor.takeSlice();
          if (mine.recv.count > 0 && theirs.pub.count > 0) {
            sliceP99.push(mine.recv.p99);
            floorSliceP99.push(theirs.pub.p99);
          }
        }
        const report = await sub.stop();
        runs.push({ rate: p.rate, frames: s.slices * p.slice, report, bookRate, floor: await floor.finish(), sliceP99, floorSliceP99 });
      } finally {
        sub.kill();
        await floor.close();
      }
    }
    const problems = [...session.incidents(), ...Object.entries(await session.ingestor.incidents()).map(([k, v]) => `${k}=${v}`)];
    return { runs, problems };
  } finally {
    await session.stop();
  }
}

function rateRows(r: RateRun, problems: readonly string[]): BenchRow[] {
  const at = `@${rateLabel(r.rate)}`;
  const rep = r.report;
  const status = problems.length > 0 || rep.invalid > 0 || rep.outOfOrder > 0 ? 'failed' : 'ok';
  const issues = [...problems];
  if (rep.invalid > 0) issues.push(`${rep.invalid} invalid BookSnapshot(s)`);
  if (rep.outOfOrder > 0) issues.push(`${rep.outOfOrder} out of order`);
  if (r.floor.received !== r.floor.sent) issues.push(`floor lost ${r.floor.sent - r.floor.received} message(s)`);
  const note = `${rep.recv.count} books (~${rateLabel(r.bookRate)}) for ${r.frames} frames${issues.length > 0 ? `; PROBLEMS: ${issues.join('; ')}` : ''}`;
  const floorName = `NATS floor cross-process @${rateLabel(r.bookRate)} (ingestor's book rate, interleaved)`;
  const rows = latencyRows(GROUP, `ingestor recv→subscriber ${at}`, rep.recv, { baseline: r.floor.pub, baselineName: floorName, note }).map(
    (x) => ({ ...x, status: x.value === null ? x.status : status }),
  );
  const added = rep.recv.count > 0 ? rep.recv.p99 - r.floor.pub.p99 : null;
  const n = r.sliceP99.length;
  const sliceFloor = n > 0 ? median(r.floorSliceP99) : undefined;
  rows.push(
    row({
      group: GROUP,
      name: `ingestor added latency p99 ${at} (median of slices)`,
      value: sliceFloor !== undefined ? median(r.sliceP99) - sliceFloor : null,
      unit: 'ms',
      ...(sliceFloor !== undefined ? { baseline: sliceFloor, baselineName: `median slice p99 of the floor (${floorName})` } : {}),
      target: { op: '<=', value: TARGET_ADDED_P99_MS },
      status: n === 0 ? 'failed' : status,
      note: `median over ${n} slices of recv→subscriber p99, minus the same for the floor slice run right after each: robust to other tenants' stalls`,
    }),
    row({
      group: GROUP,
      name: `ingestor added latency p99 ${at} (whole run)`,
      value: added,
      unit: 'ms',
      baseline: r.floor.pub.p99,
      baselineName: `${floorName} p99`,
      status: added === null ? 'failed' : status,
      note: `recv→subscriber p99 minus floor p99 over all slices (floor n=${r.floor.pub.count})`,
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
