import { row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import { E2eStack } from '../stack/e2e-stack';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { measureWindow, type E2eWindow } from './window';

const GROUP = 'e2e';
/**
 * Fewer trades than this in a step: its frame→orders p99 (then about the slowest trade) is reported, not judged; the
 * book path and frame→opportunity (thousands and hundreds of samples) still are.
 */
const MIN_TRADES = 200;
/** A step whose sim made less than this share of the book changes asked for did not sustain the rate. */
const MIN_ACHIEVED = 0.9;

/** A step whose frame→opportunity p99 is this many times the limit is saturated: higher steps are not tried. */
const BROKEN_FACTOR = 5;

interface Step {
  readonly rate: number;
  readonly w: E2eWindow;
  readonly verdict: string | undefined;
}

/**
 * The highest sustained book-update rate of the whole system: steps the sim's `rate.levelUpdatesPerSec` up (a fresh
 * stack per step, jumps for opportunities); a step holds when the p99 of venue frame → BookSnapshot at a subscriber
 * (every book), of frame → opportunity and (with enough trades) of frame → both orders sent stay within the limit
 * (10 ms), no service reports incidents and the sim made the rate. The ramp
 * goes on past a step that missed (a shared host has bad seconds) and stops once a step is saturated (frame →
 * opportunity p99 over 5x the limit, incidents, or the sim short of the rate). Heavy: runs with --heavy (or when
 * named in --only).
 */
export const e2eThroughputBench: BenchModule = {
  name: 'e2e.throughput',
  group: GROUP,
  description: 'whole system: highest sim book-update rate with frame→opportunity and frame→orders p99 ≤ 10 ms (--heavy)',
  unavailable: (ctx) =>
    ctx.heavy || ctx.named('e2e.throughput') ? servicesUnavailable(ctx.root, ['exchange-sim', 'feed-ingestor', 'detector', 'executor']) : 'heavy: run with --heavy',
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const steps: Step[] = [];
    for (const rate of s.rampRates) {
      ctx.log.info(`ramp @${rateLabel(rate)} level updates: ${s.rampSeconds}s measured`);
      const stack = await E2eStack.start(ctx, { label: `ramp-${rateLabel(rate).replace('/s', '')}`, levelUpdatesPerSec: rate, jumpsPerMinute: s.e2eJumpsPerMinute, executor: true, executorSkipWhenBusy: true });
      let w: E2eWindow;
      try {
        await new Promise((r) => setTimeout(r, s.e2eWarmupSeconds * 1000));
        w = await measureWindow(stack, s.rampSeconds);
      } finally {
        await stack.stop();
      }
      const verdict = judge(rate, w, s.rampP99LimitMs);
      steps.push({ rate, w, verdict });
      ctx.log.info(`ramp @${rateLabel(rate)}: ${verdict ?? 'sustained'}`);
      if (saturated(rate, w, s.rampP99LimitMs)) break;
    }
    return rows(steps, s.rampP99LimitMs);
  },
};

function saturated(rate: number, w: E2eWindow, limitMs: number): boolean {
  return w.incidents.length > 0 || w.rates.levelUpdates < MIN_ACHIEVED * rate || w.frameToOpp.count === 0 || w.frameToOpp.p99 > BROKEN_FACTOR * limitMs;
}

/** Why a step did not sustain its rate, or undefined. */
function judge(rate: number, w: E2eWindow, limitMs: number): string | undefined {
  if (w.incidents.length > 0) return `incidents: ${w.incidents.join('; ')}`;
  if (w.rates.levelUpdates < MIN_ACHIEVED * rate) return `sim made ${Math.round(w.rates.levelUpdates)} of ${rate} level updates/s`;
  if (w.frameToOpp.count === 0) return 'no opportunity';
  if (w.book.recv.p99 > limitMs) return `frame→BookSnapshot p99 ${w.book.recv.p99.toFixed(1)} ms > ${limitMs}`;
  if (w.frameToOpp.p99 > limitMs) return `frame→opportunity p99 ${w.frameToOpp.p99.toFixed(1)} ms > ${limitMs}`;
  if (w.trades >= MIN_TRADES && w.frameToOrders.p99 > limitMs) return `frame→orders sent p99 ${w.frameToOrders.p99.toFixed(1)} ms > ${limitMs}`;
  return undefined;
}

function rows(steps: readonly Step[], limitMs: number): BenchRow[] {
  const out: BenchRow[] = [];
  for (const { rate, w, verdict } of steps) {
    const at = `@${rateLabel(rate)}`;
    const info = `${Math.round(w.rates.changes)} book changes/s (${Math.round(w.rates.levelUpdates)} level updates/s), ${w.opportunities} opportunities, ${w.trades} trades; ${verdict ?? 'sustained'}`;
    const judged = w.trades >= MIN_TRADES;
    out.push(
      row({
        group: GROUP,
        name: `ramp ${at}: frame→BookSnapshot p99`,
        value: w.book.recv.count > 0 ? w.book.recv.p99 : null,
        unit: 'ms',
        target: { op: '<=', value: limitMs },
        status: w.book.recv.count > 0 ? 'ok' : 'failed',
        note: `${info}; every book (n=${w.book.recv.count})`,
      }),
      row({
        group: GROUP,
        name: `ramp ${at}: frame→opportunity p99`,
        value: w.frameToOpp.count > 0 ? w.frameToOpp.p99 : null,
        unit: 'ms',
        target: { op: '<=', value: limitMs },
        status: w.frameToOpp.count > 0 ? 'ok' : 'failed',
        note: `n=${w.frameToOpp.count}; p50 ${w.frameToOpp.p50.toFixed(2)} ms`,
      }),
      row({
        group: GROUP,
        name: `ramp ${at}: frame→both orders sent p99`,
        value: w.trades > 0 ? w.frameToOrders.p99 : null,
        unit: 'ms',
        ...(judged ? { target: { op: '<=', value: limitMs } } : {}),
        status: w.trades > 0 ? 'ok' : 'failed',
        note: `n=${w.trades}${judged ? '' : ` (under ${MIN_TRADES}: reported, not judged)`}; p50 ${w.frameToOrders.p50.toFixed(2)} ms`,
      }),
    );
  }
  const sustained = steps.filter((x) => x.verdict === undefined);
  const best = sustained[sustained.length - 1];
  const last = steps[steps.length - 1];
  const missed = steps.filter((x) => x.verdict !== undefined && x.rate < (best?.rate ?? 0)).map((x) => `${x.rate}`);
  out.push(
    row({
      group: GROUP,
      name: `highest sustained rate (p99 ≤ ${limitMs} ms)`,
      value: best !== undefined ? best.rate : null,
      unit: 'level updates/s',
      status: best !== undefined ? 'ok' : 'failed',
      note:
        best !== undefined
          ? `sim levelUpdatesPerSec ${best.rate}: ${Math.round(best.w.rates.changes)} book changes/s, ingestors applied ${Math.round(best.w.rates.applied)} diffs/s; ${last !== undefined && last !== best ? `last step ${last.rate}: ${last.verdict ?? ''}` : 'every step held (the ramp ended)'}${missed.length > 0 ? `; lower steps that missed: ${missed.join(', ')}` : ''}`
          : `no step held: ${steps.map((x) => `${x.rate}: ${x.verdict ?? 'held'}`).join('; ')}`,
    }),
  );
  return out;
}
