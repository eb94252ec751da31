import type { FaultContext } from './context';
import { journalMatchesVenues, noStaleDecisions, semaphoreHeld } from './invariants';
import { readJournal } from './journal';
import type { Invariants } from './types';

/**
 * The three invariants now: the whole journal against every order the venues hold, the opportunities published
 * since `since` against the staleness limit, and the most trades the venues ever saw at once against the limit.
 */
export async function checkInvariants(ctx: FaultContext, since: number): Promise<Invariants> {
  const [journal, orders, stats] = await Promise.all([readJournal(ctx.stack.natsUrl), ctx.sim.orders(), ctx.sim.tradingStats()]);
  const opps = ctx.recorder.opportunities.filter((o) => o.at >= since).map((o) => o.msg);
  return {
    journal: journalMatchesVenues(journal, orders),
    stale: noStaleDecisions(opps, ctx.settings.stalenessMs),
    semaphore: semaphoreHeld(stats.maxConcurrentTrades, ctx.maxLeasesSeen, ctx.settings.maxConcurrentTrades),
  };
}

export const invariantsOk = (i: Invariants): boolean => i.journal.ok && i.stale.ok && i.semaphore.ok;
