import { now } from '../recorder';
import type { Check } from '../types';
import { waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText } from './leg-outcome';
import { ms, type Scenario } from './scenario';

/**
 * Binance executes every order but never answers the HTTP request. The executor must give up after its request
 * timeout, find the order by client order id, and journal what the venue really did.
 */
export const legTimeout: Scenario = {
  name: 'leg-timeout',
  fault: 'binance executes orders but never answers them (POST /control/trading-faults timeoutRate: 1)',
  async run(ctx) {
    const { sim, recorder } = ctx;
    await sim.tradingFaults('binance', { timeoutRate: 1 });
    const t0 = now();
    let report;
    try {
      await sim.dislocate('BTC-USDT', 'binance', 30, 2500);
      report = await waitFor('a report of the trade with the unanswered leg', () => recorder.reportsSince(t0).find((r) => r.legs.length > 0), 20_000);
    } finally {
      await sim.resetTradingFaults('binance');
    }
    const tReport = now();
    await ctx.quiesce();
    const stats = await sim.tradingStats();
    const bn = report.legs.find((l) => l.venue === 'binance');
    const checks: Check[] = [
      { name: 'leg timed out', ok: (stats.faults.binance?.timeouts ?? 0) > 0, detail: `binance left ${stats.faults.binance?.timeouts ?? 0} order request(s) unanswered so far` },
      {
        name: 'outcome found at the venue',
        ok: bn !== undefined && bn.status !== 'unknown',
        detail: `${report.status}: ${legsText(report)}`,
      },
    ];
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [`journaled ${report.status} ${ms(tReport - t0)} after the jump: ${legsText(report)}`, ...(report.reason !== undefined ? [`reason: ${report.reason}`] : [])],
      recoveryMs: tReport - t0,
      recoveryOf: 'jump → the unanswered leg looked up and the trade journaled',
      lost: bn !== undefined && bn.status !== 'unknown' ? 'nothing: the unanswered order was found by client order id with its fills' : 'the unanswered order stayed unknown',
      checks,
    };
  },
};
