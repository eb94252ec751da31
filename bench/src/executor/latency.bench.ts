import type { ExecutionReport } from '@arb/contracts';
import { collectGarbage } from '../lib/gc';
import { LatencyRecorder, type LatencySummary } from '../lib/latency';
import { histogramDelta, histogramQuantileBound, histogramShareAtMost, promHistogram, promValue } from '@arb/testkit';
import { latencyRows, row } from '../lib/rows';
import { median } from '../lib/stats';
import { RedisRttSlices } from '../floors/redis-slices';
import { benchSettings, rateLabel } from '../settings';
import { executorEnv } from '../stack/executor-env';
import { FlowWatch } from '../stack/flow-watch';
import { moduleServers } from '../stack/servers';
import { ServiceProcess, servicesUnavailable } from '../stack/services';
import { SimProcess } from '../stack/sim-process';
import type { BenchModule, BenchRow } from '../types';
import { OppSource } from './opp-source';

const GROUP = 'executor';
const REPORT_TIMEOUT_MS = 20_000;

interface Measured {
  readonly hot: LatencySummary;
  readonly delivery: LatencySummary;
  readonly exchange: LatencySummary;
  readonly whole: LatencySummary;
  readonly floor: LatencySummary;
  readonly sliceP99: number[];
  readonly floorSliceP99: number[];
  readonly sent: number;
  readonly reports: number;
  readonly statuses: Record<string, number>;
  readonly hist: { le: number; count: number }[];
  readonly busyWaits: number | undefined;
}

/**
 * Opportunity received → both orders on the wire, through the real executor process against the real exchange-sim
 * process (own nats-server with JetStream, own redis-server): crossing opportunities (OppSource) at a fixed rate
 * into ARB_OPPS, timed by the executor's own ExecutionReport.timings (ordersSentTs − receivedTs: the exchange round
 * trip is not in it) and cross-checked with its executor_hot_path_ms histogram.
 *
 * Baseline: the Redis round trip (the executor makes exactly one before its orders leave), in slices alternating
 * with the executor slices.
 */
export const executorLatencyBench: BenchModule = {
  name: 'executor.latency',
  group: GROUP,
  description: 'executor opportunity received → both orders sent (vs exchange-sim), vs an interleaved Redis round-trip floor',
  unavailable: (ctx) => servicesUnavailable(ctx.root, ['executor', 'exchange-sim']),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const servers = await moduleServers(ctx);
    let sim: SimProcess | undefined;
    let exec: ServiceProcess | undefined;
    let watch: FlowWatch | undefined;
    let source: OppSource | undefined;
    let floor: RedisRttSlices | undefined;
    try {
      sim = await SimProcess.start(ctx, 'executor-latency-sim');
      exec = await ServiceProcess.start(ctx, {
        name: 'executor',
        label: 'executor-latency',
        // A busy route/slot skips at once (instead of waiting up to 200 ms): a timed trade never includes a wait.
        env: { ...executorEnv(servers.nats.url, servers.redis.url, sim), ARB__EXECUTOR__CONCURRENCY__ON_BUSY: 'skip' },
        readyLine: /"executor started"/,
      });
      watch = await FlowWatch.start(servers.nats.url, { opportunities: false });
      source = await OppSource.start(servers.nats.url, sim);
      floor = await RedisRttSlices.start(servers.redis.url);
      const rate = s.executorRate;
      const perSlice = Math.round(rate * s.executorSliceSeconds);
      ctx.log.info(`executor @${rateLabel(rate)}: ${s.slices} x ${perSlice} opportunities, each slice followed by ${s.redisSlice} Redis round trips`);
      const warm = await source.slice(rate, Math.round(rate * s.detectorWarmupSeconds));
      await watch.waitForReports(warm, REPORT_TIMEOUT_MS);
      collectGarbage();
      const hist0 = promHistogram(await exec.metrics(), 'executor_hot_path_ms');
      const busy0 = promValue(await exec.metrics(), 'executor_busy_wait_ms_count');
      const rec = { hot: new LatencyRecorder(), delivery: new LatencyRecorder(), exchange: new LatencyRecorder(), whole: new LatencyRecorder() };
      const statuses: Record<string, number> = {};
      const sliceP99: number[] = [];
      const floorSliceP99: number[] = [];
      let sent = 0;
      let got = 0;
      for (let i = 0; i < s.slices; i++) {
        const ids = await source.slice(rate, perSlice);
        sent += ids.length;
        const reports = await watch.waitForReports(ids, REPORT_TIMEOUT_MS);
        got += reports.length;
        const slice = new LatencyRecorder();
        for (const r of reports) {
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          record(r, rec, slice, source.publishedAt.get(r.oppId));
        }
        await floor.slice(s.redisSlice);
        const f = floor.takeSlice();
        if (slice.count > 0) {
          sliceP99.push(slice.summary().p99);
          floorSliceP99.push(f.p99);
        }
      }
      const text = await exec.metrics();
      const busy1 = promValue(text, 'executor_busy_wait_ms_count');
      return rows({
        hot: rec.hot.summary(),
        delivery: rec.delivery.summary(),
        exchange: rec.exchange.summary(),
        whole: rec.whole.summary(),
        floor: floor.summary(),
        sliceP99,
        floorSliceP99,
        sent,
        reports: got,
        statuses,
        hist: histogramDelta(promHistogram(text, 'executor_hot_path_ms'), hist0),
        busyWaits: busy1 !== undefined ? busy1 - (busy0 ?? 0) : undefined,
      });
    } finally {
      await floor?.close();
      await source?.close();
      await watch?.close();
      await exec?.stop();
      await sim?.stop();
      await servers.stop();
    }
  },
};

function record(r: ExecutionReport, rec: Record<'hot' | 'delivery' | 'exchange' | 'whole', LatencyRecorder>, slice: LatencyRecorder, publishedAt: number | undefined): void {
  const t = r.timings;
  if (publishedAt !== undefined) rec.delivery.record(t.receivedTs - publishedAt);
  if (t.ordersSentTs === null) return;
  rec.hot.record(t.ordersSentTs - t.receivedTs);
  slice.record(t.ordersSentTs - t.receivedTs);
  if (t.acksTs !== null) rec.exchange.record(t.acksTs - t.ordersSentTs);
  rec.whole.record(t.finalTs - t.receivedTs);
}

function rows(m: Measured): BenchRow[] {
  const traded = m.hot.count;
  const missing = m.sent - m.reports;
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} opportunities without a report`);
  if (traded < m.reports * 0.8) problems.push(`only ${traded} of ${m.reports} traded`);
  const status = problems.length > 0 || traded === 0 ? 'failed' : 'ok';
  const outcome = Object.entries(m.statuses)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const note = `${traded} trades (${outcome}; onBusy=skip: a busy route is skipped, never waited for); busy waits ${m.busyWaits ?? '?'}${problems.length > 0 ? `; PROBLEMS: ${problems.join('; ')}` : ''}`;
  const floorName = 'Redis round trip (sequential SET, interleaved)';
  const out = latencyRows(GROUP, 'executor received→both orders sent', m.hot, { baseline: m.floor, baselineName: floorName, note }).map((x) => ({
    ...x,
    status: x.value === null ? x.status : status,
  }));
  const n = m.sliceP99.length;
  const p99Bound = histogramQuantileBound(m.hist, 0.99);
  const share = histogramShareAtMost(m.hist, 1);
  out.push(
    row({
      group: GROUP,
      name: 'executor received→orders sent p99 minus Redis RTT p99 (median of slices)',
      value: n > 0 ? median(m.sliceP99) - median(m.floorSliceP99) : null,
      unit: 'ms',
      ...(n > 0 ? { baseline: median(m.floorSliceP99), baselineName: `median slice p99 of the ${floorName}` } : {}),
      status: n === 0 ? 'failed' : status,
      note: `median over ${n} slices: what the executor adds to its one Redis round trip before the orders leave`,
    }),
    row({
      group: GROUP,
      name: 'executor_hot_path_ms p99 (histogram bucket bound)',
      value: p99Bound !== undefined && Number.isFinite(p99Bound) ? p99Bound : null,
      unit: 'ms',
      status: p99Bound === undefined ? 'failed' : status,
      note: `the executor's own metric (excludes waits for a busy slot/route) over the measured trades; ${share !== undefined ? `${(share * 100).toFixed(1)}% ≤ 1 ms` : 'no 1 ms bucket'}`,
    }),
    ...latencyRows(GROUP, 'JetStream publish→executor received', m.delivery, {
      percentiles: ['p50', 'p99'],
      note: 'receivedTs − detectedTs (stamped by the bench right before publishing into ARB_OPPS; pull consumer)',
    }),
    ...latencyRows(GROUP, 'exchange-sim order round trip (excluded above)', m.exchange, {
      percentiles: ['p50', 'p99'],
      note: 'acksTs − ordersSentTs: both IOC orders answered (REST over loopback, signing included)',
    }),
    ...latencyRows(GROUP, 'executor received→trade journaled', m.whole, {
      percentiles: ['p50', 'p99'],
      note: 'finalTs − receivedTs: orders, fills, leg risk, journal',
    }),
  );
  return out;
}
