import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { statusCounts } from './leg-outcome';
import type { Scenario } from './scenario';

/**
 * The reference run before any fault, and the semaphore's contention case: two windows open at once (BTC-USDT and
 * ETH-USDT, two routes) while every order takes 300 ms to answer, so both trades want a slot at the same time and the
 * cluster-wide limit (executor.concurrency.maxConcurrentTrades, 1 in this suite) must make one wait or skip.
 */
export const concurrentWindows: Scenario = {
  name: 'concurrent-windows',
  fault: 'none (reference): two arbitrage windows at once with slow venue answers (slowAckMs: 300), contending for one semaphore slot',
  async run(ctx) {
    const { sim, recorder, settings } = ctx;
    for (const v of ['binance', 'coinbase'] as const) await sim.tradingFaults(v, { slowAckMs: 300 });
    const t0 = now();
    try {
      await Promise.all([sim.dislocate('BTC-USDT', 'binance', 30, 2500), sim.dislocate('ETH-USDT', 'coinbase', 30, 2500)]);
      await waitFor('both windows journaled', () => {
        const symbols = new Set(recorder.reportsSince(t0).map((r) => r.symbol));
        return symbols.size === 2 ? true : undefined;
      }, 15_000);
      await sleep(2600);
    } finally {
      for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);
    }
    await ctx.quiesce();
    const reports = recorder.reportsSince(t0);
    const firstAt = recorder.reports.find((r) => r.at >= t0)?.at;
    const stats = await sim.tradingStats();
    const checks: Check[] = [
      { name: 'both windows handled', ok: new Set(reports.map((r) => r.symbol)).size === 2, detail: statusCounts(reports) },
      { name: 'contention', ok: stats.maxConcurrentTrades <= settings.maxConcurrentTrades, detail: `venues saw at most ${stats.maxConcurrentTrades} trade(s) at once with limit ${settings.maxConcurrentTrades}` },
    ];
    return {
      behaviour: [`${reports.length} reports for two simultaneous windows (an opportunity per book update while a window lasts; those finding the route or the slot busy are journaled as skipped): ${statusCounts(reports)}`],
      recoveryMs: firstAt === undefined ? null : firstAt - t0,
      recoveryOf: 'no fault: jump → first trade journaled (the reference latency)',
      lost: 'nothing',
      checks,
    };
  },
};
