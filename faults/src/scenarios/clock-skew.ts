import { promValue } from '@arb/testkit';
import { now } from '../recorder';
import type { Check } from '../types';
import { tradedAfter } from './feed-fault';
import { outages, statesText } from './feed-outages';
import { ms, type Scenario } from './scenario';

const BINANCE_AHEAD_MS = 8000;
const COINBASE_BEHIND_MS = 3000;

/**
 * The venues' clocks disagree with ours: Binance runs 8 s ahead (beyond its 5 s recvWindow, so requests signed with
 * our clock are refused with -1021 until the client re-measures the offset), Coinbase 3 s behind (inside its JWT
 * leeway). Market data must stay live (staleness is judged on our own receive times) and trading must go on.
 */
export const clockSkew: Scenario = {
  name: 'clock-skew',
  fault: `venue clocks off ours: binance +${BINANCE_AHEAD_MS / 1000} s (past recvWindow 5 s), coinbase -${COINBASE_BEHIND_MS / 1000} s (POST /control/faults clockOffsetMs)`,
  async run(ctx) {
    const { sim } = ctx;
    const tooOld = async (): Promise<number> => promValue(await sim.metrics(), 'sim_bad_input_total', { venue: 'binance', kind: 'auth_timestamp' }) ?? 0;
    const refusedBefore = await tooOld();
    const t0 = now();
    let probe;
    try {
      await sim.faults('binance', { clockOffsetMs: BINANCE_AHEAD_MS });
      await sim.faults('coinbase', { clockOffsetMs: -COINBASE_BEHIND_MS });
      probe = await ctx.probeTrades();
    } finally {
      await sim.resetFaults('binance');
      await sim.resetFaults('coinbase');
    }
    const t1 = now();
    const refused = (await tooOld()) - refusedBefore;
    const feeds = (['binance', 'coinbase'] as const).map((v) => ({ v, out: outages(ctx, v, t0, t1) }));
    const checks: Check[] = [
      { name: 'skew refused by binance', ok: refused > 0, detail: `binance refused ${refused} request(s) signed with our clock (-1021 outside recvWindow), then accepted the re-timed ones` },
      { name: 'feeds stayed live', ok: feeds.every((f) => f.out.count === 0 && f.out.longestMs === 0), detail: feeds.map((f) => `${f.v}: ${f.out.states.length === 0 ? 'live throughout' : statesText(f.out.states)}`).join('; ') },
      tradedAfter(probe.reports, probe.firstMs),
    ];
    return {
      behaviour: [
        `binance refused ${refused} request(s) as too old; the executor re-measured the venue's clock and the orders went through`,
        `feeds: ${checks[1]?.detail ?? ''}`,
        `first window under skew journaled ${ms(probe.firstMs)} after its jump: ${probe.reports.map((r) => r.status).join(', ')}`,
      ],
      recoveryMs: probe.firstMs,
      recoveryOf: 'jump under skew → trade journaled (includes the clock re-sync and retry)',
      lost: 'nothing: refused requests were rejected before execution and re-sent once with a corrected timestamp',
      checks,
    };
  },
};
