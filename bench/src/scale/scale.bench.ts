import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { SYMBOL_PATTERN } from '@arb/contracts';
import { loadConfig } from '@arb/service-kit';
import { freePort } from '@arb/testkit';
import { measureWindow, type E2eWindow } from '../e2e/window';
import { row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import { E2eStack, E2E_VENUES } from '../stack/e2e-stack';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { startLoadMeter, type LoadReport } from './load-meter';
import { scaleTable, type ScaleStep } from './table';

const GROUP = 'scale';
/** The generated 100-symbol world (node scripts/gen-symbols.mjs --count 100 --seed 7). */
const OVERLAY = join('config', 'symbols-100.yaml');
/** A step whose sim made less than this share of the asked rate did not sustain it. */
const MIN_ACHIEVED = 0.9;
/** frame→BookSnapshot p50 over this: books queue somewhere (the system does not keep up). */
const BACKLOG_MS = 50;
/** The e2e benches' arbitrage windows: 120 jumps a minute per symbol over 2 symbols; the same total here. */
const TOTAL_JUMPS_PER_MINUTE = 240;

/** How long a step's stack may take until every book was published once. */
const READY_TIMEOUT_MS = 120_000;

const FULL = { rates: [10_000, 25_000, 50_000, 100_000], warmupSeconds: 3, seconds: 10 };
const QUICK = { rates: [10_000, 50_000], warmupSeconds: 2, seconds: 4 };

/**
 * The whole book path at 100 generated symbols x both venues (config/symbols-100.yaml), with 1 replica of each role
 * and with 2 (2 feed-ingestor shards per venue, feed.partition; 2 detector partitions, detector.partition), stepping
 * the sim's total level-update rate up until a step does not keep up (see `behind`; the p99s against the e2e limit
 * are reported, not a reason to stop: on a shared 2-core host they rarely hold at 100 symbols). Per step: the rate the sim made and the ingestors
 * applied, venue frame → BookSnapshot at a subscriber (every book) and frame → opportunity p50/p99 (the services'
 * own stamps, as e2e.*), NATS load (/varz msgs/s and bytes/s, nats-server CPU), Redis load (commands/s, CPU) and
 * each service's CPU. No executor: opportunities go to ARB_OPPS untraded. Heavy: runs with --heavy or when named.
 */
export const scaleSymbolsBench: BenchModule = {
  name: 'scale.symbols',
  group: GROUP,
  description: '100 symbols x 2 venues, 1 and 2 replicas per role: sustained sim rate, frame→book/opportunity p50/p99, NATS/Redis load, CPU (--heavy)',
  unavailable: (ctx) =>
    ctx.heavy || ctx.named('scale.symbols') || ctx.named('scale') ? servicesUnavailable(ctx.root, ['exchange-sim', 'feed-ingestor', 'detector']) : 'heavy: run with --heavy',
  async run(ctx) {
    const plan = ctx.quick ? QUICK : FULL;
    const limitMs = benchSettings(ctx.quick).rampP99LimitMs;
    const configFile = join(ctx.root, OVERLAY);
    // The symbols every service will see: the shipped config with the overlay applied, through the services' loader.
    const Symbols = Type.Object({ symbols: Type.Array(Type.String({ pattern: SYMBOL_PATTERN }), { minItems: 1 }) }, { additionalProperties: true });
    const { symbols } = loadConfig(Symbols, { dir: join(ctx.root, 'config'), mode: 'sim', env: { ARB_CONFIG_FILE: configFile } });
    const jumpsPerMinute = TOTAL_JUMPS_PER_MINUTE / symbols.length;
    const steps: ScaleStep[] = [];
    const notStarted: NotStarted[] = [];
    for (const replicas of [1, 2]) {
      for (const rate of plan.rates) {
        const label = `scale-x${replicas}-${rateLabel(rate).replace('/s', '')}`;
        ctx.log.info(`scale x${replicas} @${rateLabel(rate)}: ${symbols.length} symbols x ${E2E_VENUES.length} venues, ${plan.warmupSeconds}s warm-up, ${plan.seconds}s measured`);
        const monitorPort = await freePort();
        let stack: E2eStack;
        try {
          stack = await E2eStack.start(ctx, {
            label,
            levelUpdatesPerSec: rate,
            jumpsPerMinute,
            executor: false,
            configFile,
            symbols,
            feedShards: replicas,
            detectors: Array.from({ length: replicas }, (_, index) => ({
              label: `detector-${index}`,
              env: replicas === 1 ? ({} as Record<string, string>) : { ARB__DETECTOR__PARTITION__INDEX: String(index), ARB__DETECTOR__PARTITION__COUNT: String(replicas) },
            })),
            natsArgs: ['-m', String(monitorPort)],
            // 200 books each wait for a REST snapshot (Binance's paced by snapshotWeightPerMinute): slow on a loaded host.
            readyTimeoutMs: READY_TIMEOUT_MS,
          });
        } catch (error) {
          // Books that never all sync (on a loaded host, at high rates) end the ramp of this replica count: a result.
          const message = error instanceof Error ? error.message : String(error);
          const seen = message.match(/md\.book\./g)?.length;
          const reason = seen !== undefined ? `${seen} of ${E2E_VENUES.length * symbols.length} books published within ${READY_TIMEOUT_MS / 1000} s` : message.slice(0, 200);
          notStarted.push({ replicas, rate, reason });
          ctx.log.warn(`scale x${replicas} @${rateLabel(rate)}: the stack did not come up: ${reason}`);
          break;
        }
        let w: E2eWindow;
        let load: LoadReport;
        try {
          await new Promise((r) => setTimeout(r, plan.warmupSeconds * 1000));
          const meter = await startLoadMeter({
            natsMonitorUrl: `http://127.0.0.1:${monitorPort}`,
            natsPid: stack.servers.nats.pid,
            redis: { host: stack.servers.redis.host, port: stack.servers.redis.port, pid: stack.servers.redis.pid },
            processes: stack.processes().map((p) => ({ name: p.name, pid: p.proc.pid })),
          });
          w = await measureWindow(stack, plan.seconds);
          load = await meter();
        } finally {
          await stack.stop();
        }
        const verdict = behind(rate, w);
        steps.push({ replicas, rate, w, load, verdict, withinLimit: withinLimit(w, limitMs) });
        ctx.log.info(`scale x${replicas} @${rateLabel(rate)}: ${verdict ?? 'kept up'}; load1 ${load.host.load1.toFixed(1)} on ${load.host.cpus} CPUs`);
        if (verdict !== undefined) break;
      }
    }
    for (const line of scaleTable(steps, limitMs)) ctx.log.info(line);
    for (const n of notStarted) ctx.log.info(`x${n.replicas} @${rateLabel(n.rate)}: not measured, ${n.reason}`);
    return rows(steps, notStarted, limitMs);
  },
};

/**
 * Why a step did not keep up, or undefined: incidents (resyncs, gaps, dropped books), the sim short of the asked
 * rate, the ingestors applying under MIN_ACHIEVED of the sim's book changes, or books queueing (frame→BookSnapshot
 * p50 over BACKLOG_MS). Higher rates are not tried after such a step.
 */
function behind(rate: number, w: E2eWindow): string | undefined {
  if (w.incidents.length > 0) return `incidents: ${w.incidents.join('; ')}`;
  if (w.rates.levelUpdates < MIN_ACHIEVED * rate) return `sim made ${Math.round(w.rates.levelUpdates)} of ${rate} level updates/s`;
  if (w.rates.applied < MIN_ACHIEVED * w.rates.changes) return `ingestors applied ${Math.round(w.rates.applied)} of ${Math.round(w.rates.changes)} book changes/s`;
  if (w.book.recv.count === 0) return 'no book';
  if (w.book.recv.p50 > BACKLOG_MS) return `frame→BookSnapshot p50 ${w.book.recv.p50.toFixed(1)} ms > ${BACKLOG_MS}: books queue`;
  return undefined;
}

/** Whether both p99s are within the e2e limit (10 ms): reported next to the rate, not a reason to stop. */
function withinLimit(w: E2eWindow, limitMs: number): boolean {
  return w.book.recv.count > 0 && w.book.recv.p99 <= limitMs && (w.frameToOpp.count === 0 || w.frameToOpp.p99 <= limitMs);
}

const pct = (v: number | null): string => (v === null ? '?' : `${v.toFixed(0)}%`);

/** A step whose stack never had every book synced (within the ready timeout). */
interface NotStarted {
  readonly replicas: number;
  readonly rate: number;
  readonly reason: string;
}

function rows(steps: readonly ScaleStep[], notStarted: readonly NotStarted[], limitMs: number): BenchRow[] {
  const out: BenchRow[] = [];
  for (const { replicas, rate, w, load, verdict, withinLimit: fast } of steps) {
    const at = `x${replicas} @${rateLabel(rate)}`;
    const cpu = [...load.cpu.entries()].map(([k, v]) => `${k} ${pct(v)}`).join(', ');
    out.push(
      row({
        group: GROUP,
        name: `${at}: sim level updates/s made`,
        value: w.rates.levelUpdates,
        unit: 'updates/s',
        note: `${Math.round(w.rates.changes)} book changes/s; ingestors applied ${Math.round(w.rates.applied)} diffs/s, published ${Math.round(w.rates.books)} books/s; ${verdict ?? 'kept up'}${verdict === undefined ? (fast ? `, p99s ≤ ${limitMs} ms` : `, p99 over ${limitMs} ms`) : ''}; host load1 ${load.host.load1.toFixed(1)} on ${load.host.cpus} CPUs (busy ${pct(load.host.busyPct)})`,
      }),
      row({ group: GROUP, name: `${at}: frame→BookSnapshot p50`, value: w.book.recv.count > 0 ? w.book.recv.p50 : null, unit: 'ms', note: `every book at a subscriber process, n=${w.book.recv.count}` }),
      row({ group: GROUP, name: `${at}: frame→BookSnapshot p99`, value: w.book.recv.count > 0 ? w.book.recv.p99 : null, unit: 'ms', target: { op: '<=', value: limitMs }, note: `n=${w.book.recv.count}` }),
      row({ group: GROUP, name: `${at}: frame→opportunity p50`, value: w.frameToOpp.count > 0 ? w.frameToOpp.p50 : null, unit: 'ms', note: `n=${w.frameToOpp.count}` }),
      row({ group: GROUP, name: `${at}: frame→opportunity p99`, value: w.frameToOpp.count > 0 ? w.frameToOpp.p99 : null, unit: 'ms', target: { op: '<=', value: limitMs }, note: `n=${w.frameToOpp.count}` }),
      row({
        group: GROUP,
        name: `${at}: NATS msgs/s in`,
        value: load.nats.inMsgs,
        unit: 'msgs/s',
        note: `out ${Math.round(load.nats.outMsgs)} msgs/s; ${(load.nats.inBytes / 1e6).toFixed(1)} MB/s in, ${(load.nats.outBytes / 1e6).toFixed(1)} MB/s out; nats-server CPU ${pct(load.nats.cpuPct)}`,
      }),
      row({
        group: GROUP,
        name: `${at}: Redis commands/s`,
        value: load.redis.opsPerSec,
        unit: 'ops/s',
        note: `instantaneous_ops_per_sec ${load.redis.instantaneous}; redis-server CPU ${pct(load.redis.cpuPct)}`,
      }),
      row({ group: GROUP, name: `${at}: CPU per service`, value: sumCpu(load), unit: '% of a core', note: cpu }),
    );
  }
  for (const n of notStarted) {
    out.push(
      row({
        group: GROUP,
        name: `x${n.replicas} @${rateLabel(n.rate)}: every book synced`,
        value: null,
        unit: '',
        status: 'ok',
        note: `not measured: the stack did not come up (${n.reason})`,
      }),
    );
  }
  for (const replicas of [1, 2]) {
    const mine = steps.filter((s) => s.replicas === replicas);
    const lost = notStarted.filter((n) => n.replicas === replicas).map((n) => `; ${n.rate}: not measured (${n.reason})`);
    const held = mine.filter((s) => s.verdict === undefined);
    const best = held[held.length - 1];
    out.push(
      row({
        group: GROUP,
        name: `x${replicas}: highest sustained rate`,
        value: best !== undefined ? best.w.rates.levelUpdates : null,
        unit: 'level updates/s',
        status: best !== undefined ? 'ok' : 'failed',
        note: `${best !== undefined ? `asked ${best.rate}, frame→book p99 ${best.w.book.recv.p99.toFixed(1)} ms, frame→opportunity p99 ${best.w.frameToOpp.p99.toFixed(1)} ms` : 'no step kept up'}; ${mine.map((s) => `${s.rate}: ${s.verdict ?? 'kept up'}`).join('; ')}${lost.join('')}`,
      }),
    );
  }
  return out;
}

function sumCpu(load: LoadReport): number | null {
  let total = 0;
  for (const v of load.cpu.values()) {
    if (v === null) return null;
    total += v;
  }
  return total;
}
