import type { Check } from '../types';
import { tradedAfter } from './feed-fault';
import { legsText, tradeUnder } from './leg-outcome';
import { ms, type Scenario } from './scenario';

/**
 * Binance executes every order but never answers the HTTP request. The executor must give up after its request
 * timeout, find the order by client order id, and journal what the venue really did.
 */
export const legTimeout: Scenario = {
  name: 'leg-timeout',
  fault: 'binance executes orders but never answers them (POST /control/trading-faults timeoutRate: 1)',
  async run(ctx) {
    const { report, ms: tookMs } = await tradeUnder(ctx, 'binance', { timeoutRate: 1 }, 20_000);
    await ctx.quiesce();
    const stats = await ctx.sim.tradingStats();
    const bn = report.legs.find((l) => l.venue === 'binance');
    const found = bn !== undefined && bn.status !== 'unknown';
    const checks: Check[] = [
      { name: 'leg timed out', ok: (stats.faults.binance?.timeouts ?? 0) > 0, detail: `binance left ${stats.faults.binance?.timeouts ?? 0} order request(s) unanswered so far` },
      { name: 'outcome found at the venue', ok: found, detail: `${report.status}: ${legsText(report)}` },
    ];
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [`journaled ${report.status} ${ms(tookMs)} after the jump: ${legsText(report)}`, ...(report.reason !== undefined ? [`reason: ${report.reason}`] : [])],
      recoveryMs: tookMs,
      recoveryOf: 'jump → the unanswered leg looked up and the trade journaled',
      lost: found ? 'nothing: the unanswered order was found by client order id with its fills' : 'the unanswered order stayed unknown',
      checks,
    };
  },
};
