import { promSamples } from '@arb/testkit';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText } from './leg-outcome';
import { ms, type Scenario } from './scenario';
import { closeWindow, closedAtVenues, exposureRecorded, oneSidedTrade, tradeJournaled } from './trade-faults';

/**
 * Writes stay paused until the executor's first in-flight record write has failed (its Redis command timeout, 2 s),
 * at most this long. A fixed 5 s pause was a race: when the first hedge's follow-up (timeout, then a lookup) took
 * over a second, the write before the second hedge began less than 2 s before the pause ended, waited it out and
 * never failed (seen in full short-form runs), so the retry was not tested. Unpaused right after the failure, the
 * retry (within executor.inflight.recordWriteRetryMs, 5 s) is what writes the record.
 */
const MAX_PAUSE_MS = 15_000;
const HEDGE_HOLD_MS = 2000;

/**
 * Redis loses every key (FLUSHALL) while a trade is one-sided and about to be hedged, with a second executor running:
 * the in-flight record, lease, reservations and ledger are gone. Exactly one executor may act on the trade (the owner,
 * which can tell the record was lost, not taken: its heartbeat never lapsed), every order must be journaled, and the
 * ledger must come back equal to the venues (seeded from total balances, then reconciled once no trade is in flight).
 */
export const redisLossMidHedge: Scenario = {
  name: 'redis-loss-mid-hedge',
  fault: 'Redis FLUSHALL while a trade is one-sided, before its hedge (a second executor running)',
  async run(ctx) {
    const { sim, stack } = ctx;
    const standby = await stack.startExtraExecutor('executor-standby');
    try {
      // The Coinbase buy filled (its answer withheld: one-sided at the venue), before any hedge: every later record write
      // of the trade finds its record gone. The window is closed at once (no second trade is what this measures).
      const { tradeKey } = await oneSidedTrade(ctx, (os) => os.some((o) => o.clientOrderId.endsWith('-b')));
      await (await stack.redisClient()).flushall();
      const tFlush = now();
      await closeWindow(ctx);
      for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);
      const reports = await tradeJournaled(ctx, tradeKey, 30_000);
      const tJournaled = now();
      await ctx.quiesce(30_000);
      await sleep(3000); // a second executor acting on the trade would do it now
      const orders = await sim.orders(`${tradeKey}-`);
      const after = orders.filter((o) => (o.createdTs ?? 0) > tFlush);
      const main = reports.find((r) => r.corrects === undefined);
      const owners = new Set(reports.map((r) => r.executorId));
      const checks: Check[] = [
        { name: 'data lost mid-trade', ok: orders.some((o) => o.clientOrderId.endsWith('-b') && o.filledQty !== '0'), detail: `FLUSHALL while ${orders.filter((o) => (o.createdTs ?? 0) <= tFlush).length} order(s) of the trade were at the venues, the Coinbase buy filled and its answer withheld` },
        { name: 'one executor acted on the trade', ok: owners.size === 1 && main !== undefined && !(main.reason ?? '').startsWith('reconciled'), detail: `${after.length} order(s) sent after the loss (${after.map((o) => o.clientOrderId).join(', ') || 'none'}); reports: ${reports.map((r) => `${r.id} ${r.status} by ${r.executorId}: ${legsText(r)}`).join('; ')}` },
        exposureRecorded(orders, reports),
        closedAtVenues(orders),
      ];
      const probe = await ctx.probeTrades(30_000);
      checks.push(tradedAfter(probe.reports, probe.firstMs));
      return {
        behaviour: [
          `FLUSHALL while trade ${tradeKey} was one-sided: its in-flight record, lease, reservation and every ledger entry gone`,
          `the owner's next in-flight record write found the record gone; its heartbeat had never lapsed (no executor could have taken the trade), so it wrote the record back and hedged; journaled ${main === undefined ? 'nothing' : `${main.status} ${ms(tJournaled - tFlush)} after the loss (${legsText(main)})`}`,
          'missing ledger entries were seeded again from the venues\' total balances (free + locked) and corrected once no trade was in flight',
        ],
        recoveryMs: tJournaled - tFlush,
        recoveryOf: 'FLUSHALL → every order of the trade journaled',
        lost: `nothing: every order journaled, the position closed (residual ${main?.residualBase ?? '?'} BTC), the ledger corrected from the venues`,
        checks,
      };
    } finally {
      await stack.stopService(standby.label);
    }
  },
};

/**
 * Redis refuses writes for 5 s (CLIENT PAUSE WRITE: a failover, a stuck primary) right after the first hedge order of a
 * one-sided trade: the in-flight record cannot be written before the next hedge. The report must hold every order
 * already sent; the executor retries the record write (executor.inflight.recordWriteRetryMs) and, Redis being back,
 * completes the hedge/unwind.
 */
export const redisUnwritableMidHedge: Scenario = {
  name: 'redis-unwritable-mid-hedge',
  fault: `Redis refuses writes (CLIENT PAUSE WRITE) from right after the first hedge order of a one-sided trade reached the venue (held ${HEDGE_HOLD_MS / 1000} s there) until an in-flight record write of the executor failed (at most ${MAX_PAUSE_MS / 1000} s)`,
  async run(ctx) {
    const { sim, stack } = ctx;
    const writeErrors = async (): Promise<number> => promSamples(await stack.metrics(stack.executor.label), 'executor_redis_errors_total').find((x) => x.labels.get('op') === 'inflight')?.value ?? 0;
    const errorsBefore = await writeErrors();
    // One-sided (the Coinbase buy filled, its answer withheld; the Binance sell refused); then Binance takes orders again
    // but holds each HEDGE_HOLD_MS, and the window closes (the held hedge will not fill): the executor must write its
    // record again before the next hedge, while Redis refuses writes.
    const { tradeKey } = await oneSidedTrade(ctx, (os) => os.some((o) => o.clientOrderId.endsWith('-b')) && os.some((o) => o.clientOrderId.endsWith('-s')));
    await sim.resetTradingFaults('binance');
    await sim.tradingFaults('binance', { slowAckMs: HEDGE_HOLD_MS });
    // Closed 10 bps past where Coinbase is: the hedge's limit (the entry's marketable sell limit, hedgeSlippageBps
    // worse) can sit right at the old Binance bid, and a hedge that fills leaves no next write to refuse. 10 bps the
    // other way is no window after both fees and the threshold.
    await sim.dislocate('BTC-USDT', 'binance', -40, 5000);
    await waitFor('the first hedge at the venue', async () => ((await sim.orders(`${tradeKey}-h1`)).length > 0 ? true : undefined), 15_000, 10);
    const redis = await stack.redisClient();
    await redis.call('CLIENT', 'PAUSE', String(MAX_PAUSE_MS), 'WRITE');
    const tPause = now();
    for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);
    await waitFor('a failed in-flight record write', async () => ((await writeErrors()) > errorsBefore ? true : undefined), MAX_PAUSE_MS, 50).catch(() => undefined);
    await redis.call('CLIENT', 'UNPAUSE');
    const pausedMs = now() - tPause;
    const reports = await tradeJournaled(ctx, tradeKey, 30_000);
    const tJournaled = now();
    await ctx.quiesce(30_000);
    const orders = await sim.orders(`${tradeKey}-`);
    const main = reports.find((r) => r.corrects === undefined);
    const failedWrites = (await writeErrors()) - errorsBefore;
    const checks: Check[] = [
      {
        name: 'Redis unwritable mid-hedge',
        ok: orders.some((o) => o.clientOrderId.endsWith('-h1')) && failedWrites > 0,
        detail: `writes paused ${ms(pausedMs)} after ${orders.filter((o) => (o.createdTs ?? 0) <= tPause).length} order(s) of the trade reached the venues; ${failedWrites} in-flight record write(s) failed meanwhile (retried)`,
      },
      { name: 'every order sent is in the report', ok: main !== undefined && orders.every((o) => main.legs.some((l) => l.clientOrderId === o.clientOrderId)), detail: main === undefined ? 'no report' : `${main.status}: ${legsText(main)}` },
      exposureRecorded(orders, reports),
      closedAtVenues(orders),
    ];
    const probe = await ctx.probeTrades(30_000);
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `Redis writes paused ${ms(pausedMs)} from the first hedge of trade ${tradeKey} until an in-flight record write failed`,
        `the next hedge waited for its in-flight record write (retried) and went out once Redis took writes again; journaled ${main === undefined ? 'nothing' : `${main.status} ${ms(tJournaled - tPause)} after the pause began (${legsText(main)})`}`,
      ],
      recoveryMs: tJournaled - tPause,
      recoveryOf: 'writes paused → the trade closed and journaled',
      lost: 'nothing: every order sent is in the report',
      checks,
    };
  },
};
