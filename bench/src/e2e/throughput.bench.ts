import { row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import { E2eStack } from '../stack/e2e-stack';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { measureWindow, type E2eWindow } from './window';

const GROUP = 'e2e';
/** Fewer trades than this in a step: its frame→orders p99 is not judged (frame→opportunity still is). */
const MIN_TRADES = 20;
/** A step whose sim made less than this share of the book changes asked for did not sustain the rate. */
const MIN_ACHIEVED = 0.9;

interface Step {
  readonly rate: number;
  readonly w: E2eWindow;
  readonly verdict: string | undefined;
}

/**
 * The highest sustained book-update rate of the whole system: steps the sim's `rate.levelUpdatesPerSec` up (a fresh
 * stack per step, jumps for opportunities) until the p99 of venue frame → opportunity or → both orders sent passes
 * the limit (10 ms), the services report incidents, or the sim cannot make the rate. Heavy: runs with --heavy (or
 * when named in --only).
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
      if (verdict !== undefined) break;
    }
    return rows(steps, s.rampP99LimitMs);
  },
};

/** Why a step did not sustain its rate, or undefined. */
function judge(rate: number, w: E2eWindow, limitMs: number): string | undefined {
  if (w.incidents.length > 0) return `incidents: ${w.incidents.join('; ')}`;
  if (w.rates.levelUpdates < MIN_ACHIEVED * rate) return `sim made ${Math.round(w.rates.levelUpdates)} of ${rate} level updates/s`;
  if (w.frameToOpp.count === 0) return 'no opportunity';
  if (w.frameToOpp.p99 > limitMs) return `frame→opportunity p99 ${w.frameToOpp.p99.toFixed(1)} ms > ${limitMs}`;
  if (w.trades >= MIN_TRADES && w.frameToOrders.p99 > limitMs) return `frame→orders sent p99 ${w.frameToOrders.p99.toFixed(1)} ms > ${limitMs}`;
  return undefined;
}

function rows(steps: readonly Step[], limitMs: number): BenchRow[] {
  const out: BenchRow[] = [];
  for (const { rate, w, verdict } of steps) {
    const at = `@${rateLabel(rate)}`;
    const info = `${Math.round(w.rates.changes)} book changes/s (${Math.round(w.rates.levelUpdates)} level updates/s), ${w.opportunities} opportunities, ${w.trades} trades; ${verdict ?? 'sustained'}`;
    out.push(
      row({ group: GROUP, name: `ramp ${at}: frame→opportunity p99`, value: w.frameToOpp.count > 0 ? w.frameToOpp.p99 : null, unit: 'ms', target: { op: '<=', value: limitMs }, status: w.frameToOpp.count > 0 ? 'ok' : 'failed', note: info }),
      row({
        group: GROUP,
        name: `ramp ${at}: frame→both orders sent p99`,
        value: w.trades > 0 ? w.frameToOrders.p99 : null,
        unit: 'ms',
        target: { op: '<=', value: limitMs },
        status: w.trades > 0 ? 'ok' : 'failed',
        note: `n=${w.trades}${w.trades < MIN_TRADES ? ' (too few to judge)' : ''}; frame→BookSnapshot p99 ${w.book.recv.p99.toFixed(2)} ms (n=${w.book.recv.count})`,
      }),
    );
  }
  const sustained = steps.filter((x) => x.verdict === undefined);
  const best = sustained[sustained.length - 1];
  const last = steps[steps.length - 1];
  out.push(
    row({
      group: GROUP,
      name: `highest sustained rate (p99 ≤ ${limitMs} ms)`,
      value: best !== undefined ? best.rate : null,
      unit: 'level updates/s',
      status: best !== undefined ? 'ok' : 'failed',
      note:
        best !== undefined
          ? `sim levelUpdatesPerSec ${best.rate}: ${Math.round(best.w.rates.changes)} book changes/s, ingestors applied ${Math.round(best.w.rates.applied)} diffs/s; ${last !== undefined && last !== best ? `next step ${last.rate}: ${last.verdict ?? ''}` : 'every step sustained (the ramp ended)'}`
          : `not even the first step: ${last?.verdict ?? 'no step ran'}`,
    }),
  );
  return out;
}
