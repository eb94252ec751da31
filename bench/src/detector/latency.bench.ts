import { subjects } from '@arb/contracts';
import { collectGarbage } from '../lib/gc';
import { promSamples, promValue } from '@arb/testkit';
import { latencyRows, row } from '../lib/rows';
import { median } from '../lib/stats';
import { benchSettings, rateLabel, type BenchSettings } from '../settings';
import { moduleServers } from '../stack/servers';
import { ServiceProcess, servicesUnavailable } from '../stack/services';
import type { BenchContext, BenchModule, BenchRow } from '../types';
import { detectorEnv } from './detector-env';
import { EdgeFeed } from './edge-feed';
import { RelayFloor } from './relay-floor';
import { RemoteTrigger } from './remote-trigger';
import type { TriggerReport } from './trigger-protocol';

const GROUP = 'detector';
const TARGET_ADDED_P99_MS = 1;

interface RateRun {
  readonly rate: number;
  readonly updates: number;
  readonly report: TriggerReport;
  readonly floor: TriggerReport;
  readonly sliceP99: readonly number[];
  readonly floorSliceP99: readonly number[];
  /** Detector CPU seconds over the measured detector slices (undefined off Linux). */
  readonly cpuSeconds: number | undefined;
  /** Candidates the detector rejected meanwhile, by reason (warm-up included). */
  readonly rejected: string;
}

/**
 * Book update → Opportunity received by a subscriber in another process, through the real detector process
 * (`services/detector/dist/main.js`, its own nats-server with JetStream and redis-server). A stand-in for two
 * feed-ingestors publishes EdgeBooks updates (each one opens a new edge: a changed limit price, so suppression does
 * not hold it back) at fixed rates, plus live FeedStatus; the subscriber times every Opportunity against the book
 * that triggered it (the newer of its two books: now − pubTs, now − recvTs).
 *
 * Baseline: the same updates through a do-nothing relay process (two NATS hops, one process in the middle), run in
 * slices alternating with the detector slices so both see the same background load.
 */
export const detectorLatencyBench: BenchModule = {
  name: 'detector.latency',
  group: GROUP,
  description: 'book update → Opportunity at a subscriber through the detector process, vs an interleaved 2-hop relay floor',
  unavailable: (ctx) => servicesUnavailable(ctx.root, ['detector']),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const servers = await moduleServers(ctx);
    try {
      const { runs, problems } = await measure(ctx, s, servers.nats.url, servers.redis.url);
      return runs.flatMap((r) => rateRows(r, problems));
    } finally {
      await servers.stop();
    }
  },
};

async function measure(ctx: BenchContext, s: BenchSettings, natsUrl: string, redisUrl: string): Promise<{ runs: RateRun[]; problems: string[] }> {
  const feed = await EdgeFeed.start(natsUrl);
  let det: ServiceProcess | undefined;
  try {
    det = await ServiceProcess.start(ctx, { name: 'detector', label: 'detector-latency', env: detectorEnv(natsUrl, redisUrl, ctx.root), readyLine: /"detector started"/ });
    const runs: RateRun[] = [];
    for (const rate of s.detectorRates) {
      const sub = await RemoteTrigger.start(natsUrl, feed.bookSubjects(), subjects.opportunities());
      const floor = await RelayFloor.start(natsUrl);
      try {
        const slice = Math.round(rate * s.sliceSeconds);
        ctx.log.info(`detector latency @${rateLabel(rate)}: ${s.slices} x ${s.sliceSeconds}s, each followed by its relay floor`);
        collectGarbage();
        const rej0 = await rejections(det);
        // Warm-up: JIT, connections, and the edge's persistence (a brand-new edge scores lower confidence).
        await feed.slice(rate, Math.round(rate * s.detectorWarmupSeconds));
        await floor.slice(rate, Math.round(rate * s.detectorWarmupSeconds));
        sub.reset();
        floor.reset();
        const sliceP99: number[] = [];
        const floorSliceP99: number[] = [];
        let cpu: number | undefined = 0;
        for (let i = 0; i < s.slices; i++) {
          const c0 = (det as ServiceProcess).cpu();
          await feed.slice(rate, slice);
          const c1 = (det as ServiceProcess).cpu();
          cpu = cpu !== undefined && c0 !== undefined && c1 !== undefined ? cpu + (c1 - c0) : undefined;
          const mine = await sub.slice();
          await floor.slice(rate, slice);
          const theirs = await floor.takeSlice();
          if (mine.pub.count > 0 && theirs.pub.count > 0) {
            sliceP99.push(mine.pub.p99);
            floorSliceP99.push(theirs.pub.p99);
          }
        }
        const report = await sub.stop();
        const rejected = countsSince(await rejections(det), rej0);
        runs.push({ rate, updates: s.slices * slice, report, floor: await floor.finish(), sliceP99, floorSliceP99, cpuSeconds: cpu, rejected });
      } finally {
        sub.kill();
        await floor.close();
      }
    }
    return { runs, problems: await incidents(det) };
  } finally {
    await feed.close();
    await det?.stop();
  }
}

/** What the detector counted that makes the numbers suspect: dropped books, invalid messages, failed publishes. */
async function incidents(det: ServiceProcess): Promise<string[]> {
  const text = await det.metrics();
  const out: string[] = [];
  for (const sm of promSamples(text, 'detector_books_dropped_total')) if (sm.value > 0) out.push(`books dropped (${sm.labels.get('reason') ?? '?'}) ${sm.value}`);
  const invalid = promValue(text, 'bus_invalid_messages_total');
  if (invalid !== undefined && invalid > 0) out.push(`invalid messages ${invalid}`);
  const failed = promValue(text, 'detector_publish_acks_total', { result: 'failed' });
  if (failed !== undefined && failed > 0) out.push(`unacknowledged publishes ${failed}`);
  return out;
}

/** detector_rejections_total by reason (no-edge left out: the reverse direction of every update has none). */
async function rejections(det: ServiceProcess): Promise<Map<string, number>> {
  const by = new Map<string, number>();
  for (const sm of promSamples(await det.metrics(), 'detector_rejections_total')) {
    const reason = sm.labels.get('reason') ?? '?';
    if (reason !== 'no-edge') by.set(reason, (by.get(reason) ?? 0) + sm.value);
  }
  return by;
}

function countsSince(after: ReadonlyMap<string, number>, before: ReadonlyMap<string, number>): string {
  return [...after.entries()]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function rateRows(r: RateRun, problems: readonly string[]): BenchRow[] {
  const at = `@${rateLabel(r.rate)}`;
  const rep = r.report;
  const issues = [...problems];
  // A stray unmatched target (one in thousands, e.g. around a slice boundary) is noted, more is a broken run.
  const tolerated = (n: number, of: number): boolean => n <= Math.max(1, of / 1000);
  if (!tolerated(rep.unmatched, rep.targets)) issues.push(`${rep.unmatched} opportunities without their triggering book`);
  if (rep.invalid > 0) issues.push(`${rep.invalid} unparseable messages`);
  if (!tolerated(r.floor.unmatched, r.floor.targets) || r.floor.invalid > 0) issues.push(`floor: ${r.floor.unmatched} unmatched, ${r.floor.invalid} invalid`);
  const status = issues.length > 0 ? 'failed' : 'ok';
  const perUpdate = rep.pub.count / r.updates;
  const floorName = `relay floor ${at} (2 NATS hops via a do-nothing process, interleaved)`;
  const note = `${rep.pub.count} opportunities for ${r.updates} updates (${perUpdate.toFixed(2)} per update)${r.rejected !== '' ? `; rejected: ${r.rejected}` : ''}${issues.length > 0 ? `; PROBLEMS: ${issues.join('; ')}` : ''}`;
  const rows = latencyRows(GROUP, `book publish→opportunity at subscriber ${at}`, rep.pub, { baseline: r.floor.pub, baselineName: floorName, note }).map((x) => ({
    ...x,
    status: x.value === null ? x.status : status,
  }));
  const n = r.sliceP99.length;
  const sliceFloor = n > 0 ? median(r.floorSliceP99) : undefined;
  const whole = rep.pub.count > 0 && r.floor.pub.count > 0 ? rep.pub.p99 - r.floor.pub.p99 : null;
  rows.push(
    row({
      group: GROUP,
      name: `detector added latency p99 ${at} (median of slices)`,
      value: sliceFloor !== undefined ? median(r.sliceP99) - sliceFloor : null,
      unit: 'ms',
      ...(sliceFloor !== undefined ? { baseline: sliceFloor, baselineName: `median slice p99 of the ${floorName}` } : {}),
      target: { op: '<=', value: TARGET_ADDED_P99_MS },
      status: n === 0 ? 'failed' : status,
      note: `median over ${n} slices of publish→opportunity p99, minus the same for the relay floor slice run right after each`,
    }),
    row({
      group: GROUP,
      name: `detector added latency p99 ${at} (whole run)`,
      value: whole,
      unit: 'ms',
      ...(r.floor.pub.count > 0 ? { baseline: r.floor.pub.p99, baselineName: `${floorName} p99` } : {}),
      status: whole === null ? 'failed' : status,
      note: `publish→opportunity p99 minus relay floor p99 over all slices (floor n=${r.floor.pub.count})`,
    }),
    row({
      group: GROUP,
      name: `detector CPU per book update ${at}`,
      value: r.cpuSeconds !== undefined && r.cpuSeconds > 0 ? (r.cpuSeconds * 1e6) / r.updates : null,
      unit: 'µs',
      status: r.cpuSeconds === undefined ? 'skipped' : status,
      note: r.cpuSeconds === undefined ? '/proc not available' : `detector process CPU (/proc, 10 ms ticks) over the detector slices / updates: everything incl. JetStream publish and Redis mirror`,
    }),
    ...latencyRows(GROUP, `book recv→opportunity at subscriber ${at}`, rep.recv, {
      percentiles: ['p50', 'p99'],
      note: 'now − recvTs of the triggering book (stamped by the stand-in feed as it builds the update)',
    }),
    ...latencyRows(GROUP, `book publish→detectedTs ${at}`, rep.detect, {
      percentiles: ['p50', 'p99'],
      note: 'first hop + the detector up to detection (decode, validate, store, evaluate both directions)',
    }),
    ...latencyRows(GROUP, `detectedTs→subscriber ${at}`, rep.deliver, {
      percentiles: ['p50', 'p99'],
      note: 'build + JetStream publish (PubAck not awaited) + second hop',
    }),
  );
  return rows;
}
