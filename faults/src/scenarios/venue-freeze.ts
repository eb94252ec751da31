import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { outages, statesText } from './feed-outages';
import { ms, type Scenario } from './scenario';

/**
 * Coinbase goes silent (connection open, nothing sent: no data, no heartbeats). While its book is frozen, Binance
 * jumps 30 bps: against the frozen Coinbase book that is a 30 bps "edge" that does not exist. The feed must be
 * marked stale within feed.staleAfterMs and no opportunity may use the frozen book.
 */
export const venueFreeze: Scenario = {
  name: 'venue-freeze',
  fault: 'coinbase sends nothing (connection open) while binance jumps 30 bps (freezeEveryS/freezeMs, then /control/dislocate)',
  async run(ctx) {
    const { sim, recorder, settings } = ctx;
    const frozenBefore = (await sim.venueStats('coinbase')).freezes;
    recorder.capture = true;
    await sim.faults('coinbase', { freezeEveryS: 0.05, freezeMs: 600_000 });
    await waitFor('coinbase frozen', async () => ((await sim.venueStats('coinbase')).freezes > frozenBefore ? true : undefined), 5000, 10);
    const tFreeze = now();
    const stale = await waitFor('coinbase feed marked not live', () => recorder.statesOf('coinbase', tFreeze).find((s) => s.state !== 'live'), settings.staleAfterMs * 3);
    await sleep(Math.max(0, tFreeze + settings.stalenessMs + 200 - now()));
    await sim.dislocate('BTC-USDT', 'binance', 30, 1200);
    await sleep(Math.max(1500, ctx.scale.faultMs - (now() - tFreeze)));
    await sim.resetFaults('coinbase');
    const tThaw = now();
    const live = await waitFor('coinbase live after the thaw', () => recorder.statesOf('coinbase', tThaw).find((s) => s.state === 'live'), 20_000);
    await sleep(settings.staleAfterMs);
    recorder.capture = false;
    const out = outages(ctx, 'coinbase', tFreeze, now());
    const truth = await ctx.booksMatchTruth('coinbase', tFreeze - 1000, now());
    const onFrozen = recorder.opportunities.filter(
      (o) => (o.msg.buy.venue === 'coinbase' || o.msg.sell.venue === 'coinbase') && o.msg.detectedTs > tFreeze + settings.stalenessMs && o.msg.detectedTs < tThaw,
    );
    const staleMs = stale.at - tFreeze;
    const checks: Check[] = [
      {
        name: 'freeze noticed',
        ok: staleMs <= settings.staleAfterMs * 1.25 + 250,
        detail: `coinbase feed went ${stale.state} ${ms(staleMs)} after its last message (feed.staleAfterMs ${settings.staleAfterMs})`,
      },
      {
        name: 'no opportunity on the frozen book',
        ok: onFrozen.length === 0,
        detail: `${onFrozen.length} opportunities used coinbase between staleness and thaw (the 30 bps binance jump against the frozen book)`,
      },
    ];
    checks.push(truth);
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `coinbase frozen for ${ms(tThaw - tFreeze)}; feed ${statesText(out.states)}; marked ${stale.state} after ${ms(staleMs)}`,
        `binance jumped 30 bps during the freeze: ${onFrozen.length} opportunities against the frozen coinbase book`,
        `coinbase live again ${ms(live.at - tThaw)} after it spoke again`,
      ],
      recoveryMs: live.at - tThaw,
      recoveryOf: 'venue speaks again → feed live',
      lost: truth.ok
        ? 'nothing: no opportunity on the frozen book, and every coinbase book published around the freeze equals the venue (changes not sent during the freeze were recovered)'
        : 'books differing from the venue were published after the freeze (see checks)',
      checks,
    };
  },
};
