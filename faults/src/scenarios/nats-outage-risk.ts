import type { ExecutionReport } from '@arb/contracts';
import { promValue } from '@arb/testkit';
import Big from 'big.js';
import { readJournal } from '../journal';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep } from '../wait';
import { ms, type Scenario } from './scenario';

/** Filled notional of today's (UTC) reports, both legs and any hedge/unwind (USDT at 1 USD): the daily-volume figure. */
function volumeToday(reports: readonly ExecutionReport[]): Big {
  const d = new Date();
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  let v = new Big(0);
  for (const r of reports) {
    if (r.timings.finalTs < day) continue;
    for (const l of r.legs) if (l.avgPrice !== null) v = v.plus(new Big(l.filledQty).times(l.avgPrice));
  }
  return v;
}

/** Room left under the limit when the run starts: a handful of trades (each up to ~2 x 5,000 USD). */
const BUDGET_USD = 40_000;

/**
 * The executor runs with a daily volume limit a few trades above today's journaled volume (the only default this
 * scenario changes, so that the limit is reached within the run); NATS goes away for `scale.faultMs` and comes back;
 * then windows keep opening. The risk figures must follow the journal again (the follower re-creates its consumer
 * after the outage) and trading must stop at the limit with `daily-volume` skips. The review measured, after a 15 s
 * outage with a 150,000 USD limit: 350,859 USD traded and no daily-volume skip (the figure frozen for 120 s).
 */
export const natsOutageRisk: Scenario = {
  name: 'nats-outage-risk',
  fault: 'nats-server down for the fault duration, then windows keep opening under a daily volume limit a few trades away',
  fullOnly: true,
  async run(ctx) {
    const { stack, sim, scale } = ctx;
    const v0 = volumeToday(await readJournal(stack.nats.url));
    const limit = v0.plus(BUDGET_USD).round(0, 0);
    await stack.stopExecutor();
    const exec = await stack.startExecutor(ctx.settings, { ARB__EXECUTOR__RISK__DAILY_VOLUME_LIMIT_USD: limit.toFixed(0) });
    const t0 = now();
    await stack.natsOutage(scale.faultMs);
    const tUp = now();
    await ctx.booksFlowing(tUp, 30_000);
    const volumeGauge = async (): Promise<number> => promValue(await stack.metrics(exec.label), 'executor_daily_volume_usd') ?? 0;
    let windows = 0;
    let limited = false;
    while (!limited && windows < 24) {
      await sim.dislocate('BTC-USDT', windows % 2 === 0 ? 'binance' : 'coinbase', windows % 4 < 2 ? 30 : -30, 2000);
      windows++;
      await sleep(2600);
      limited = ctx.recorder.reportsSince(tUp).some((r) => (r.reason ?? '').startsWith('daily-volume'));
    }
    await ctx.quiesce();
    await sleep(1500);
    const journal = await readJournal(stack.nats.url);
    const v1 = volumeToday(journal);
    const gauge = await volumeGauge();
    const after = ctx.recorder.reportsSince(tUp);
    const traded = after.filter((r) => r.legs.length > 0).length;
    const skips = after.filter((r) => (r.reason ?? '').startsWith('daily-volume')).length;
    const stale = after.filter((r) => (r.reason ?? '').startsWith('risk-stale')).length;
    // One trade may finish while the next is admitted (its report not yet folded): one trade's volume of tolerance.
    const slack = new Big(12_000);
    await stack.stopExecutor();
    await stack.startExecutor(ctx.settings);
    const checks: Check[] = [
      { name: 'volume stopped at the limit', ok: v1.lte(limit.plus(slack)), detail: `journaled today ${v1.toFixed(0)} USD vs limit ${limit.toFixed(0)} (+${slack.toFixed(0)} for one trade in flight); ${v1.minus(v0).toFixed(0)} USD traded in this run` },
      { name: 'daily-volume skips after the outage', ok: skips > 0, detail: `${skips} daily-volume skip(s), ${traded} trade(s) over ${windows} windows after NATS came back` },
      { name: 'risk figure follows the journal', ok: Math.abs(gauge - Number(v1)) < 1, detail: `executor_daily_volume_usd ${gauge.toFixed(2)} vs journal ${v1.toFixed(2)} USD` },
    ];
    return {
      behaviour: [
        `executor restarted with executor.risk.dailyVolumeLimitUsd ${limit.toFixed(0)} USD (today's journaled volume ${v0.toFixed(0)} + ${BUDGET_USD}; default 5,000,000) so that the limit is reached within the run`,
        `nats-server down and back in ${ms(tUp - t0)}`,
        `${windows} windows after the restart: ${traded} trade(s), ${skips} daily-volume skip(s), ${stale} risk-stale skip(s)`,
        `volume ${v0.toFixed(0)} → ${v1.toFixed(0)} USD (limit ${limit.toFixed(0)}); the executor's figure ${gauge.toFixed(0)} USD`,
        'executor restarted with the default limits afterwards',
      ],
      recoveryMs: tUp - t0,
      recoveryOf: 'server stopped → back',
      lost: 'nothing: the journal kept every report; trading stopped at the limit',
      checks,
    };
  },
};
