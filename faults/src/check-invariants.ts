import { redisKeys } from '@arb/contracts';
import type { FaultContext } from './context';
import { balancesMatchJournal, invariantList, journalMatchesVenues, ledgerMatchesVenues, noStaleDecisions, semaphoreHeld, type Holdings, type LedgerEntry } from './invariants';
import { readJournal } from './journal';
import { SYMBOLS, VENUES } from './stack';
import type { Check, Invariants } from './types';
import { sleep } from './wait';

/** Every (venue, asset) the traded symbols use. */
function ledgerKeys(): { venue: string; asset: string }[] {
  const assets = [...new Set(SYMBOLS.flatMap((s) => s.split('-')))];
  return VENUES.flatMap((venue) => assets.map((asset) => ({ venue, asset })));
}

/** The executor's inventory ledger as stored in Redis. */
async function readLedger(ctx: FaultContext): Promise<LedgerEntry[]> {
  const redis = await ctx.stack.redisClient();
  return Promise.all(
    ledgerKeys().map(async ({ venue, asset }) => {
      const [available, reserved] = await redis.hmget(redisKeys.inventory(venue, asset), 'available', 'reserved');
      return { venue, asset, available: available ?? null, reserved: reserved ?? null };
    }),
  );
}

/**
 * The ledger check, polled: the executor corrects its ledger from the venues only at a moment no trade is in flight
 * (every executor.inventory.reconcileIntervalMs), so after a fault that broke it (Redis data loss) it may take up to
 * that long; an exact ledger passes at once.
 */
async function ledgerCheck(ctx: FaultContext, holdings: () => Promise<Holdings>): Promise<Check> {
  const end = Date.now() + ctx.settings.ledgerSettleMs;
  for (;;) {
    const c = ledgerMatchesVenues(await readLedger(ctx), await holdings());
    if (c.ok || Date.now() > end) return c;
    await sleep(500);
  }
}

/**
 * The invariants now: the whole journal against every order the venues hold, the opportunities published since
 * `since` against the staleness limit, the most trades the venues ever saw at once against the limit, the inventory
 * ledger against the venues' balances, and the venues' balance changes since the suite started against the journal.
 */
export async function checkInvariants(ctx: FaultContext, since: number): Promise<Invariants> {
  const [journal, orders, stats, holdings] = await Promise.all([readJournal(ctx.stack.natsUrl), ctx.sim.orders(), ctx.sim.tradingStats(), ctx.sim.holdings()]);
  const opps = ctx.recorder.opportunities.filter((o) => o.at >= since).map((o) => o.msg);
  return {
    journal: journalMatchesVenues(journal, orders),
    stale: noStaleDecisions(opps, ctx.settings.stalenessMs),
    semaphore: semaphoreHeld(stats.maxConcurrentTrades, ctx.maxLeasesSeen, ctx.settings.maxConcurrentTrades),
    ledger: await ledgerCheck(ctx, () => ctx.sim.holdings()),
    balances: balancesMatchJournal(ctx.startHoldings, holdings, journal),
  };
}

export const invariantsOk = (i: Invariants): boolean => invariantList(i).every((c) => c.ok);
