import { nowMs } from '../lib/clock';
import { within } from '../lib/deadline';
import { row } from '../lib/rows';
import { benchSettings } from '../settings';
import type { BenchModule, BenchRow } from '../types';
import { compareTop } from './book-check';
import { ingestorUnavailable } from './ingestor-process';
import { frameIndexOf } from './replay-data';
import { ingestCeiling, replayData } from './inputs';
import { IngestSession } from './session';

const GROUP = 'ingest';
const TARGET_UPDATES_PER_SEC = 50_000;
/** The first part of the blast is JIT and buffer warm-up; the steady rate is measured after it. */
const WARMUP_FRACTION = 0.1;

/**
 * Diff updates per second one feed-ingestor process sustains: the replay server blasts every frame as fast as
 * the socket drains; progress is the venueSeq of the BookSnapshots the ingestor publishes (its last one must carry
 * the last frame's `u` and the exact expected top 20). CPU from /proc/<pid>/stat over the same window.
 */
export const ingestThroughputBench: BenchModule = {
  name: 'ingest.throughput',
  group: GROUP,
  description: 'feed-ingestor diff updates/s (blast), updates per CPU-second, vs in-process parse+apply ceiling',
  unavailable: (ctx) => ingestorUnavailable(ctx.root),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const data = replayData(ctx, s.throughputFrames);
    const ceiling = await ingestCeiling(ctx, data);
    const session = await IngestSession.start(ctx, data, 'ingest-throughput');
    try {
      const ids = data.lastIds;
      const n = data.frames.length;
      const warmIndex = Math.floor(n * WARMUP_FRACTION);
      const ingestor = session.ingestor;
      const updates0 = await ingestor.updatesApplied();
      const books0 = session.watch.received;
      const t0 = nowMs();
      const warm = session.watch.reach(ids[warmIndex] as number, () => ingestor.cpu());
      const end = session.watch.reach(ids[n - 1] as number, () => ingestor.cpu());
      ctx.log.info(`blasting ${n - 1} frames (${(data.bytes / 1e6).toFixed(0)} MB) at the feed-ingestor`);
      const blast = session.replay.blast();
      const what = (): string => `throughput run (ingestor at venueSeq ${session.watch.maxVenueSeq}, last ${ids[n - 1]})`;
      const w = await within(warm, s.throughputTimeoutMs, what, session.failure);
      const e = await within(end, s.throughputTimeoutMs, what, session.failure);
      await blast;
      const updates1 = await ingestor.updatesApplied();
      const incidents = { ...(await ingestor.incidents()) };
      const problems = [...session.incidents(), ...Object.entries(incidents).map(([k, v]) => `${k}=${v}`)];
      const mismatch = compareTop(session.watch.lastMessage, data.finalTop, 20);
      if (mismatch !== undefined) problems.push(`final book wrong: ${mismatch}`);
      // Every frame changes the generated book and the snapshot holds all of it, so each should count once.
      const applied = updates0 !== undefined && updates1 !== undefined ? updates1 - updates0 : undefined;
      const counted = applied === undefined ? 'feed_updates_total not found' : `feed_updates_total +${applied}`;

      // Books come once per event-loop turn, so the first one past the warm-up mark may be well past it: count
      // from the frame that book actually reflects.
      const warmFrame = frameIndexOf(ids, w.venueSeq);
      const steadyFrames = n - 1 - warmFrame;
      const steadySec = (e.at - w.at) / 1000;
      const steady = steadyFrames / steadySec;
      const whole = (n - 1) / ((e.at - t0) / 1000);
      const cpuSec = w.sample !== undefined && e.sample !== undefined ? e.sample - w.sample : undefined;
      const books = session.watch.received - books0;
      const status = problems.length > 0 ? 'failed' : 'ok';
      const checks = `${problems.length > 0 ? `PROBLEMS: ${problems.join('; ')}` : 'final top-20 exact, no gaps/resyncs'}; ${counted}`;
      const rows: BenchRow[] = [
        row({
          group: GROUP,
          name: 'ingestor throughput (steady)',
          value: steady,
          unit: 'updates/s',
          baseline: ceiling.updatesPerSec,
          baselineName: 'in-process parse+apply',
          target: { op: '>=', value: TARGET_UPDATES_PER_SEC },
          status,
          note: `frames ${warmFrame + 1}..${n - 1} in ${steadySec.toFixed(2)} s; ${checks}`,
        }),
        row({ group: GROUP, name: 'ingestor throughput (whole blast)', value: whole, unit: 'updates/s', status, note: `${n - 1} frames incl. warm-up` }),
        row({
          group: GROUP,
          name: 'updates per ingestor CPU-second',
          value: cpuSec !== undefined && cpuSec > 0 ? steadyFrames / cpuSec : null,
          unit: 'updates/cpu-s',
          baseline: ceiling.updatesPerSec,
          baselineName: 'in-process parse+apply',
          status: cpuSec === undefined ? 'skipped' : status,
          note: cpuSec === undefined ? '/proc not available' : `ingestor CPU ${((100 * cpuSec) / steadySec).toFixed(0)}% of one core over the steady window`,
        }),
        row({
          group: GROUP,
          name: 'BookSnapshots published/s under blast',
          value: books / ((e.at - t0) / 1000),
          unit: 'books/s',
          note: `${books} books for ${n - 1} updates: one per event-loop turn (coalesced)`,
        }),
        row({
          group: GROUP,
          name: 'in-process parse+apply (no I/O)',
          value: ceiling.updatesPerSec,
          unit: 'updates/s',
          status: ceiling.rejected === 0 ? 'ok' : 'failed',
          note: `parseBinanceFrame + BinanceBookSync, one core, same frames${ceiling.rejected > 0 ? `; ${ceiling.rejected} REJECTED` : ''}`,
        }),
      ];
      return rows;
    } finally {
      await session.stop();
    }
  },
};
