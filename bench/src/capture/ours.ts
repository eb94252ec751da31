import { promSamples } from '@arb/testkit';
import { sleep } from '../lib/clock';
import { E2E_SYMBOLS, E2eStack } from '../stack/e2e-stack';
import { FlowWatch } from '../stack/flow-watch';
import type { BenchContext } from '../types';
import { planSpan, shippedSimEnv, type RunPlan } from './baseline-run';
import type { ShippedParams } from './params';
import type { StrategyRun, TradeRecord } from './records';
import { modelNow, playSchedule } from './scenario';
import { dropWarmup, localTimeOfModel, simTruth } from './sim-truth';
import { waitUntil } from './wait';

export const OURS = 'ours (shipped config)';

/** What differs from the shipped configuration in our run, and why (printed with the table). */
export const OURS_CHANGES =
  'executor client-side order rate limits and daily volume limit lifted (bench/src/stack/executor-env.ts: the sim is not Binance, and a benchmark trades a day of volume in minutes); everything else shipped';

/** Counter values by one label (every other label summed). */
function byLabel(text: string, metric: string, label: string, skip: readonly string[] = []): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of promSamples(text, metric)) {
    const k = s.labels.get(label) ?? '?';
    if (!skip.includes(k)) out.set(k, (out.get(k) ?? 0) + s.value);
  }
  return out;
}

function delta(after: Map<string, number>, before: Map<string, number>): string {
  return (
    [...after]
      .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  );
}

/**
 * Our system on its own fresh stack (exchange-sim as shipped, feed-ingestor per venue, detector and executor with
 * the sim-mode config): plays the schedule and records every Opportunity (a detection) and every ExecutionReport
 * that sent orders (a trade, its entry legs and any hedge/unwind orders). Returns the model instant it was ready at:
 * the baselines start their schedule there too.
 */
export async function runOurs(ctx: BenchContext, shipped: ShippedParams, plan: Omit<RunPlan, 'startModelMs'>): Promise<StrategyRun> {
  const stack = await E2eStack.start(ctx, {
    label: 'capture-ours',
    levelUpdatesPerSec: 0,
    jumpsPerMinute: shipped.simJumpsPerMinute,
    executor: true,
    detectors: [{ label: 'detector', env: {} }],
    simEnv: shippedSimEnv(shipped),
  });
  const watch = await FlowWatch.start(stack.servers.nats.url);
  try {
    // Feeds live and both symbols evaluated, then one more second (volatility estimators fed), nothing more.
    await waitUntil(
      async () => {
        const ev = byLabel(await stack.detector.metrics(), 'detector_evaluations_total', 'symbol');
        return E2E_SYMBOLS.every((s) => (ev.get(s) ?? 0) > 0);
      },
      60_000,
      () => 'detector: no evaluation of both symbols',
    );
    await sleep(1000);
    const ready = await modelNow(stack.sim);
    const start = Math.ceil((ready + 500) / 1000) * 1000;
    const rej0 = byLabel(await stack.detector.metrics(), 'detector_rejections_total', 'reason', ['no-edge']);
    const low0 = byLabel(await stack.detector.metrics(), 'detector_low_confidence_total', 'factor');
    const skip0 = byLabel(await stack.executor!.metrics(), 'executor_opportunities_skipped_total', 'reason');
    const startTs = await localTimeOfModel(stack.sim, start);
    await playSchedule(stack.sim, plan.schedule, start, plan.tailMs);
    // Every opportunity has its report (traded, skipped, expired...), or 15 s passed.
    const opps = (): string[] => [...watch.opps.keys()];
    await waitUntil(() => opps().every((id) => watch.reports.has(id)), 15_000, () => 'reports').catch(() => undefined);
    await sleep(500);
    const d = await stack.detector.metrics();
    const rejections = delta(byLabel(d, 'detector_rejections_total', 'reason', ['no-edge']), rej0);
    const low = delta(byLabel(d, 'detector_low_confidence_total', 'factor'), low0);
    const skips = delta(byLabel(await stack.executor!.metrics(), 'executor_opportunities_skipped_total', 'reason'), skip0);
    const truth = await simTruth(stack.sim, start);
    const incidents = await stack.incidents();
    const trades: TradeRecord[] = [];
    const statuses = new Map<string, number>();
    let noReport = 0;
    for (const o of watch.opps.values()) {
      const r = watch.reports.get(o.id);
      if (r === undefined) {
        noReport++;
        continue;
      }
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      const buy = r.legs.find((l) => l.role === 'buy');
      const sell = r.legs.find((l) => l.role === 'sell');
      if (buy === undefined || sell === undefined) continue;
      trades.push({
        id: o.id,
        route: o.route,
        symbol: o.symbol,
        ts: o.detectedTs,
        size: o.size,
        oracleQuote: o.profitQuote,
        buyCid: buy.clientOrderId,
        sellCid: sell.clientOrderId,
        extraCids: r.legs.filter((l) => l.role !== 'buy' && l.role !== 'sell').map((l) => l.clientOrderId),
        ...(o.touched !== undefined ? { prices: { buyTouched: o.touched.buy, buyLimit: buy.limitPrice, sellTouched: o.touched.sell, sellLimit: sell.limitPrice } } : {}),
        timing: { receivedTs: r.timings.receivedTs, buySentTs: buy.sentTs, sellSentTs: sell.sentTs, buyAckTs: buy.ackTs, sellAckTs: sell.ackTs },
      });
    }
    const measured = dropWarmup(trades, truth.orders, startTs);
    return {
      name: OURS,
      params: `feed-ingestors → detector → executor, sim-mode config (threshold minProfitPct ${shipped.minProfitPct} % + volatility premium, minProfitUsd ${shipped.minProfitUsd}, riskLimitPerTrade ${shipped.riskLimitPerTrade}); ${OURS_CHANGES}`,
      detections: [...watch.oppList].filter((o) => o.variant === 'default').map((o) => ({ route: o.route, ts: o.detectedTs })),
      trades: measured.trades,
      windows: truth.windows.filter((w) => w.openModelMs <= start + planSpan({ ...plan, startModelMs: start })),
      orders: measured.orders,
      marks: truth.marks,
      startModelMs: start,
      notes: [
        `reports by status: ${[...statuses].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}${noReport > 0 ? `; ${noReport} opportunities without a report` : ''}`,
        `detector rejections (besides no-edge) during the schedule: ${rejections}; low confidence by weakest factor: ${low}`,
        `executor skips: ${skips}`,
        ...(incidents.length > 0 ? [`PROBLEMS: ${incidents.join('; ')}`] : []),
      ],
    };
  } finally {
    await watch.close();
    await stack.stop();
  }
}
