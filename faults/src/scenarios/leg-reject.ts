import type { ExecutionReport } from '@arb/contracts';
import Big from 'big.js';
import type { Check } from '../types';
import { sleep } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText, positionClosed, tradeUnder } from './leg-outcome';
import { ms, type Scenario } from './scenario';

/**
 * Coinbase rejects every order (as the venue does: success:false). Binance jumps 30 bps, so the trade buys on
 * Coinbase (rejected) and sells on Binance (filled): a one-legged position the executor must close (hedge on
 * Coinbase, which keeps failing, then unwind on Binance) and journal with its residual.
 */
export const legReject: Scenario = {
  name: 'leg-reject',
  fault: 'coinbase rejects every order (POST /control/trading-faults failAll: true) while a binance/coinbase window is traded',
  async run(ctx) {
    // The Binance sell may itself miss (IOC, the book moved): then there is no one-legged position; try another window.
    const sold = (r: ExecutionReport): boolean => r.legs.some((l) => l.role === 'sell' && l.venue === 'binance' && new Big(l.filledQty).gt(0));
    let windows = 0;
    let got: { report: ExecutionReport; ms: number };
    let pausedMs = 0;
    do {
      if (windows > 0) await sleep(2600);
      // The executor pauses a venue that refused maxConsecutiveRejects orders in a row (venueHealth): wait it out.
      pausedMs += await ctx.venuesAvailable();
      got = await tradeUnder(ctx, 'coinbase', { failAll: true }, 15_000);
      windows++;
    } while (!sold(got.report) && windows < 3);
    const { report, ms: tookMs } = got;
    await ctx.quiesce();
    const pauseAfter = await ctx.venuesAvailable();
    const checks: Check[] = [
      {
        name: 'one leg rejected, the other filled',
        ok: report.legs.some((l) => l.role === 'buy' && l.venue === 'coinbase' && l.status === 'rejected') && sold(report),
        detail: `window ${windows}: ${legsText(report)}`,
      },
      positionClosed([report]),
    ];
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `journaled ${report.status} ${ms(tookMs)} after the jump: ${legsText(report)}`,
        ...(report.reason !== undefined ? [`reason: ${report.reason}`] : []),
        `coinbase paused by the executor after its refusals (reject streak): ${ms(pausedMs + pauseAfter)} waited for it to be tradable again`,
      ],
      recoveryMs: tookMs,
      recoveryOf: 'jump → one-legged outcome resolved and journaled',
      lost: `residual ${report.residualBase} BTC (${report.residualUsd} USD); realized ${report.realizedPnlUsd} USD (the unwind's cost)`,
      checks,
    };
  },
};
