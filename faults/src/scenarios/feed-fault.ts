import type { ExecutionReport } from '@arb/contracts';
import type { FaultContext, Venue } from '../context';
import { now } from '../recorder';
import type { SimVenueStats } from '../sim-control';
import type { Check, ScenarioOutcome } from '../types';
import { sleep } from '../wait';
import { counterDelta, outages, statesText } from './feed-outages';
import { ms } from './scenario';

export interface FeedFaultOptions {
  readonly venues: readonly Venue[];
  /** POST /control/faults patch applied to each venue for `scale.faultMs`. */
  readonly patch: Readonly<Record<string, number>>;
  /** The sim counter that says how many faults were injected, and its name in the report. */
  readonly injected: keyof SimVenueStats;
  readonly what: string;
}

/** The check that trading works after a fault: probe windows each journaled a trade. */
export function tradedAfter(reports: readonly ExecutionReport[], firstMs: number): Check {
  return {
    name: 'trading after the fault',
    ok: reports.length > 0,
    detail: `${reports.length} probe window(s) traded (first reports: ${reports.map((r) => r.status).join(', ')}), the first journaled ${ms(firstMs)} after its jump`,
  };
}

/**
 * A market-data fault on `venues` for `scale.faultMs`, then reset: how many were injected, what the feeds did
 * (FeedStatus states and counters), the longest time a feed was not live, whether every book published meanwhile
 * equals the venue's true book at its sequence, and whether trading works afterwards.
 */
export async function feedFault(ctx: FaultContext, o: FeedFaultOptions): Promise<ScenarioOutcome> {
  const t0 = now();
  ctx.recorder.capture = true;
  const before = new Map<Venue, { stats: SimVenueStats; counters: Record<string, number> | undefined }>();
  for (const v of o.venues) before.set(v, { stats: await ctx.sim.venueStats(v), counters: ctx.recorder.countersOf(v) });
  for (const v of o.venues) await ctx.sim.faults(v, o.patch);
  await sleep(ctx.scale.faultMs);
  for (const v of o.venues) await ctx.sim.resetFaults(v);
  const tEnd = now();
  const backMs = await ctx.booksFlowing(tEnd, 20_000, o.venues);
  await sleep(ctx.settings.staleAfterMs);
  ctx.recorder.capture = false;
  const tTo = now();
  const behaviour: string[] = [];
  const checks: Check[] = [];
  let longest = 0;
  for (const v of o.venues) {
    const b = before.get(v);
    const stats = await ctx.sim.venueStats(v);
    const injected = Number(stats[o.injected]) - Number(b?.stats[o.injected] ?? 0);
    const out = outages(ctx, v, t0, tTo);
    longest = Math.max(longest, out.longestMs);
    const d = counterDelta(b?.counters, ctx.recorder.countersOf(v));
    behaviour.push(
      `${v}: ${injected} ${o.what} in ${ms(ctx.scale.faultMs)}; feed ${statesText(out.states)} (${out.count} outage(s)); ` +
        `gaps ${d.gaps ?? 0}, resyncs ${d.resyncs ?? 0}, reconnects ${d.reconnects ?? 0}, rejected frames ${d.rejected ?? 0}; longest pause between books ${ms(ctx.longestBookGap(v, t0, tTo))}`,
    );
    checks.push({ name: `${v}: fault injected`, ok: injected > 0, detail: `${injected} ${o.what}` });
    checks.push(await ctx.booksMatchTruth(v, t0, tTo));
  }
  behaviour.push(`books of every symbol flowing again ${ms(backMs)} after the fault was lifted`);
  const probe = await ctx.probeTrades();
  checks.push(tradedAfter(probe.reports, probe.firstMs));
  const truthOk = checks.filter((c) => c.name.includes('truth')).every((c) => c.ok);
  return {
    behaviour,
    recoveryMs: longest,
    recoveryOf: 'longest time a feed was not live (fault seen → resynced and live again)',
    lost: truthOk
      ? 'nothing: no book differing from the venue was published; changes missed during an outage were replaced by a fresh snapshot'
      : 'books differing from the venue were published (see checks)',
    checks,
  };
}
