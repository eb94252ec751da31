import Big from 'big.js';
import type { Venue } from '../context';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep } from '../wait';
import { tradedAfter } from './feed-fault';
import { positionClosed, statusCounts } from './leg-outcome';
import { ms, type Scenario } from './scenario';

/**
 * One venue refuses every signed request (HTTP 418 ban or 429 rate limit with Retry-After: POST /control/trading-faults
 * refuseStatus) for `scale.faultMs` while arbitrage windows keep opening. The executor may learn of it from one trade
 * (that trade's leg there is refused and the other leg closed by the leg-risk policy); after that no trade may be
 * sent until the venue answers again (its Retry-After passed and an authenticated read succeeded): skipped with a
 * reason. The review measured 234 one-legged trades and -344.58 USD in a 20 s Binance ban.
 */
function venueBan(name: string, venue: Venue, status: 418 | 429, retryAfterS: (faultMs: number) => number, fullOnly: boolean): Scenario {
  return {
    name,
    fault: `${venue} refuses every signed request with ${status} (${status === 418 ? 'IP ban' : 'rate limit'}, Retry-After ${status === 418 ? 'the ban length' : '1 s'}) while windows keep opening`,
    fullOnly,
    async run(ctx) {
      const { sim, scale } = ctx;
      const refusedBefore = (await sim.tradingStats()).faults[venue]?.refused ?? 0;
      const t0 = now();
      await sim.tradingFaults(venue, { refuseStatus: status, refuseRetryAfterS: retryAfterS(scale.faultMs) });
      let windows = 0;
      while (now() - t0 < scale.faultMs) {
        await sim.dislocate('BTC-USDT', windows % 2 === 0 ? 'binance' : 'coinbase', windows % 4 < 2 ? 30 : -30, 1000);
        windows++;
        await sleep(1500);
      }
      await sim.resetTradingFaults(venue);
      const tEnd = now();
      await ctx.quiesce();
      const during = ctx.recorder.reportsSince(t0).filter((r) => r.timings.receivedTs <= tEnd);
      const sent = during.filter((r) => r.legs.length > 0);
      const skipped = during.filter((r) => r.status === 'skipped' && (r.reason ?? '').startsWith(`venue-unavailable: ${venue}`));
      const refused = ((await sim.tradingStats()).faults[venue]?.refused ?? 0) - refusedBefore;
      const pnl = sent.reduce((a, r) => a.plus(r.realizedPnlUsd), new Big(0));
      const resumeMs = await ctx.venuesAvailable();
      const probe = await ctx.probeTrades();
      const checks: Check[] = [
        { name: 'the venue refused us', ok: refused > 0, detail: `${refused} signed request(s) refused with ${status} by ${venue}` },
        { name: 'at most one trade sent into the refusal', ok: sent.length <= 1, detail: `${sent.length} trade(s) with orders, ${skipped.length} skipped (venue-unavailable) over ${windows} windows` },
        { name: 'refused venue skipped with a reason', ok: skipped.length > 0, detail: skipped[0]?.reason ?? 'none skipped' },
        ...(sent.length > 0 ? [positionClosed(sent)] : []),
        tradedAfter(probe.reports, probe.firstMs),
      ];
      return {
        behaviour: [
          `${venue} refused ${refused} request(s) with ${status} for ${ms(tEnd - t0)}; ${windows} windows opened meanwhile`,
          `reports while refused: ${statusCounts(during) || 'none'}; ${sent.length} trade(s) sent (realized ${pnl.toFixed(2)} USD), ${skipped.length} skipped as venue-unavailable`,
          `${venue} tradable again ${ms(resumeMs)} after the refusals stopped (Retry-After, then an authenticated read)`,
          `first trade journaled ${ms(probe.firstMs)} after the next window opened`,
        ],
        recoveryMs: tEnd - t0 + resumeMs,
        recoveryOf: 'refusals start → venue tradable again',
        lost: `${sent.length} trade(s) sent before the refusal was known (realized ${pnl.toFixed(2)} USD); windows during the refusal not traded`,
        checks,
      };
    },
  };
}

export const venueBan418: Scenario = venueBan('venue-ban', 'binance', 418, (faultMs) => Math.ceil(faultMs / 1000), false);
export const venueRateLimit429: Scenario = venueBan('venue-rate-limit', 'coinbase', 429, () => 1, true);
