import type { BenchContext } from '../types';
import { SimProcess } from '../stack/sim-process';
import type { ShippedParams } from './params';
import type { StrategyRun } from './records';
import { modelNow, playSchedule, type Dislocation } from './scenario';
import { dropWarmup, localTimeOfModel, simTruth } from './sim-truth';
import { pollSource, tradingClients, wsSource } from './sources';
import type { BaselineSpec } from './strategies';
import { BaselineTaker } from './taker';

/** The sim as shipped (sim mode config) with its own jumps on: SimProcess turns them off unless told. */
export function shippedSimEnv(p: ShippedParams): Record<string, string> {
  return { ARB__SIM__JUMPS__PER_MINUTE: String(p.simJumpsPerMinute) };
}

export interface RunPlan {
  readonly schedule: readonly Dislocation[];
  /** Model instant of the first dislocation (the same for every strategy; later only if a run was not ready). */
  readonly startModelMs: number;
  /** Model ms after the last window's hold before the run ends. */
  readonly tailMs: number;
}

/** Span of the measured model interval from the start instant. */
export function planSpan(plan: RunPlan): number {
  return plan.schedule.reduce((m, d) => Math.max(m, d.offsetMs + d.durationMs), 0) + plan.tailMs;
}

/** One baseline on its own fresh exchange-sim (same seed, same schedule), trading through the venues' real APIs. */
export async function runBaseline(ctx: BenchContext, spec: BaselineSpec, shipped: ShippedParams, plan: RunPlan): Promise<StrategyRun> {
  const sim = await SimProcess.start(ctx, `capture-${spec.label}-sim`, shippedSimEnv(shipped));
  const notes: string[] = [];
  try {
    const clients = await tradingClients(sim, shipped);
    const taker = new BaselineTaker({ prefix: spec.prefix, rule: spec.rule, shipped, sizeCap: spec.sizeCap, clients });
    const source = spec.source.kind === 'ws' ? wsSource(sim, taker) : pollSource(sim, taker, shipped, spec.source.intervalMs);
    try {
      await source.start();
      const ready = await modelNow(sim);
      const start = ready + 200 > plan.startModelMs ? Math.ceil((ready + 200) / 1000) * 1000 : plan.startModelMs;
      if (start !== plan.startModelMs) notes.push(`ready at model ${ready} ms: schedule started at ${start} instead of ${plan.startModelMs}`);
      const startTs = await localTimeOfModel(sim, start);
      await playSchedule(sim, plan.schedule, start, plan.tailMs);
      await taker.drain();
      const truth = await simTruth(sim, start);
      const measured = dropWarmup(taker.trades, truth.orders, startTs);
      if (taker.errors > 0) notes.push(`${taker.errors} order requests failed (outcome from the sim's record)`);
      notes.push(`${taker.busySkips} decisions skipped while the route's previous trade was in flight`);
      return {
        name: spec.name,
        params: `${spec.params}; books: ${source.describe}`,
        detections: taker.detections,
        trades: measured.trades,
        windows: truth.windows.filter((w) => w.openModelMs <= start + planSpan(plan)),
        orders: measured.orders,
        marks: truth.marks,
        startModelMs: start,
        notes,
      };
    } finally {
      await source.stop();
      await clients.stop();
    }
  } finally {
    await sim.stop();
  }
}
