import { now } from '../recorder';
import { SYMBOLS } from '../stack';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { outages, statesText } from './feed-outages';
import { ms, type Scenario } from './scenario';

/** GET /control/stats counters of the Binance venue this scenario reads. */
interface RestStats {
  readonly depthSnapshots: number;
  readonly crossedDepthServed: number;
  readonly rest429: number;
  readonly disconnectsInjected: number;
}

/** Binance's REQUEST_WEIGHT per minute per IP (the sim's `weightLimitPerMinute`), shared with the executors. */
const IP_WEIGHT_PER_MINUTE = 6000;
/** The snapshot depth config/sim.yaml asks for (venues.binance.snapshotLimit: 100) costs weight 5. */
const SNAPSHOT_WEIGHT = 5;

/**
 * Binance serves every REST depth snapshot crossed (a bid above the best ask) for `scale.faultMs`, after a forced
 * reconnect makes the ingestor resync. Before the fix the ingestor re-requested at once on every crossed snapshot:
 * 1,182 requests in 3.3 s, a 429, then the venue's Retry-After kept the feed down 25.8 s after the venue was good
 * again (a 418 IP ban on the real venue, for the executors too). The ingestor must back off (bounded requests, no 429)
 * and be live again promptly once snapshots are good.
 */
export const crossedSnapshot: Scenario = {
  name: 'crossed-snapshot',
  fault: 'binance serves crossed REST depth snapshots (crossedDepthRate: 1) after a forced reconnect, for the fault duration',
  async run(ctx) {
    const { sim, recorder, scale } = ctx;
    const stats = async (): Promise<RestStats> => sim.call<{ venues: { binance: RestStats } }>('/control/stats').then((s) => s.venues.binance);
    const before = await stats();
    recorder.capture = true;
    await sim.faults('binance', { crossedDepthRate: 1, disconnectEveryS: 0.2 });
    await waitFor('binance connections dropped', async () => ((await stats()).disconnectsInjected > before.disconnectsInjected ? true : undefined), 5000, 20);
    await sim.faults('binance', { disconnectEveryS: 0 });
    const t0 = now();
    await waitFor('a crossed snapshot served', async () => ((await stats()).crossedDepthServed > before.crossedDepthServed ? true : undefined), 10_000, 20);
    await sleep(Math.max(0, t0 + scale.faultMs - now()));
    const during = await stats();
    await sim.resetFaults('binance');
    const tGood = now();
    const live = await waitFor('binance feed live after the venue is good again', () => recorder.statesOf('binance', tGood).find((s) => s.state === 'live'), 60_000);
    const liveMs = live.at - tGood;
    await sleep(ctx.settings.staleAfterMs);
    recorder.capture = false;
    const after = await stats();
    const out = outages(ctx, 'binance', t0, now());
    const requests = during.depthSnapshots - before.depthSnapshots;
    const crossed = during.crossedDepthServed - before.crossedDepthServed;
    const faultS = (tGood - t0) / 1000;
    const weightPerMinute = (requests * SNAPSHOT_WEIGHT * 60) / Math.max(1, faultS);
    const budget = resyncBudget();
    const checks: Check[] = [
      {
        name: 'REST snapshot requests bounded',
        ok: requests <= budget.maxRequests(tGood - t0) && after.rest429 === before.rest429,
        detail:
          `${requests} depth requests (${crossed} crossed) in ${faultS.toFixed(1)} s ≈ ${Math.round(weightPerMinute)} weight/min of the IP's ${IP_WEIGHT_PER_MINUTE}; ` +
          `at most ${budget.maxRequests(tGood - t0)} allowed by the resync backoff; 429 answers ${after.rest429 - before.rest429}`,
      },
      {
        name: 'feed live promptly after the venue is good again',
        ok: liveMs <= budget.maxMs + 2000,
        detail: `binance live ${ms(liveMs)} after the last crossed snapshot (resync backoff maxMs ${budget.maxMs})`,
      },
    ];
    checks.push(await ctx.booksMatchTruth('binance', t0, now()));
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `binance served ${crossed} crossed snapshots of ${requests} requested in ${faultS.toFixed(1)} s (≈ ${Math.round(weightPerMinute)} weight/min); 429s ${after.rest429 - before.rest429}`,
        `binance feed ${statesText(out.states)}; live ${ms(liveMs)} after snapshots were good again`,
      ],
      recoveryMs: liveMs,
      recoveryOf: 'venue serves good snapshots again → feed live',
      lost: 'nothing: no book was published from a crossed snapshot (the feed was resyncing meanwhile)',
      checks,
    };
  },
};

/**
 * The feed-ingestor's resync backoff (config/default.yaml feed.resync, restated here as stack.ts restates the settings
 * its invariants use) and the most snapshot requests it allows in a span: per symbol one at once, then one per delay
 * at its smallest (the jitter taking the most off). Before the fix: 243 requests in 3.1 s (short form), 1,834 in 15 s.
 */
const RESYNC = { initialMs: 250, maxMs: 5000, jitter: 0.5 } as const;

function resyncBudget(): { maxMs: number; maxRequests: (spanMs: number) => number } {
  return {
    maxMs: RESYNC.maxMs,
    maxRequests: (spanMs) => {
      let n = 1;
      for (let k = 0, t = 0; t <= spanMs; k++) {
        t += Math.min(RESYNC.maxMs, RESYNC.initialMs * 2 ** k) * (1 - RESYNC.jitter);
        n++;
      }
      // + one per symbol: a second forced reconnect may land before the switch-off (each new connection syncs afresh).
      return (n + 1) * SYMBOLS.length;
    },
  };
}
