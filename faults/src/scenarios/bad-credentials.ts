import { now } from '../recorder';
import type { Check } from '../types';
import { sleep } from '../wait';
import { tradedAfter } from './feed-fault';
import { ms, type Scenario } from './scenario';

/** Not the sim's Binance secret: signatures made with it are refused (-1022). */
const WRONG_SECRET = 'WrongSecretWrongSecretWrongSecretWrongSecretWrongSecretWrongSec';

/**
 * The executor is replaced by one with a wrong Binance API secret (a bad rollout) while windows keep opening. It must
 * say so clearly (without the secret), report not ready (/readyz 503) and consume nothing, so no trade is sent
 * with credentials a venue refuses; a correctly configured executor then trades. The review measured 15 unwound and
 * 9 rejected trades, -22.50 USD in 14 s.
 */
export const badCredentials: Scenario = {
  name: 'bad-credentials',
  fault: 'the executor restarted with a wrong Binance API secret (ARB__CREDENTIALS__BINANCE__SECRET_KEY) while windows keep opening',
  fullOnly: true,
  async run(ctx) {
    const { stack, sim, scale } = ctx;
    await stack.stopExecutor();
    const ordersBefore = (await sim.orders()).length;
    const t0 = now();
    const bad = await stack.startExecutor(ctx.settings, { ARB__CREDENTIALS__BINANCE__SECRET_KEY: WRONG_SECRET }, /"msg":"executor not ready: venue credentials not verified/);
    const tNotReady = now();
    const base = bad.metricsUrl.replace(/\/metrics$/, '');
    const readyz = (await fetch(`${base}/readyz`)).status;
    let windows = 0;
    while (now() - tNotReady < scale.faultMs) {
      await sim.dislocate('BTC-USDT', windows % 2 === 0 ? 'binance' : 'coinbase', 30, 1500);
      windows++;
      await sleep(2000);
    }
    const readyzLater = (await fetch(`${base}/readyz`)).status;
    const newOrders = (await sim.orders()).length - ordersBefore;
    const traded = ctx.recorder.reportsSince(t0).filter((r) => r.legs.length > 0);
    const lines = stack.lines(bad.label);
    const said = lines.find((l) => l.includes('credential check failed: binance refused our API credentials'));
    const leaked = lines.some((l) => l.includes(WRONG_SECRET));
    await stack.stopExecutor();
    const tGood = now();
    await stack.startExecutor(ctx.settings);
    const goodMs = now() - tGood;
    const probe = await ctx.probeTrades();
    const checks: Check[] = [
      { name: 'not ready', ok: readyz === 503 && readyzLater === 503, detail: `/readyz ${readyz} at start, ${readyzLater} after ${ms(now() - tNotReady)} of re-checks` },
      { name: 'nothing traded with refused credentials', ok: newOrders === 0 && traded.length === 0, detail: `${newOrders} venue order(s), ${traded.length} report(s) with orders over ${windows} windows` },
      { name: 'says why, without the secret', ok: said !== undefined && !leaked, detail: `${said === undefined ? 'no credential error logged' : 'credential error logged'}; secret ${leaked ? 'LEAKED in the log' : 'absent from the log'}` },
      tradedAfter(probe.reports, probe.firstMs),
    ];
    return {
      behaviour: [
        `executor with a wrong Binance secret up ${ms(tNotReady - t0)} after the restart, not ready (/readyz ${readyz}), not consuming`,
        `log: ${said === undefined ? '(nothing)' : (JSON.parse(said) as { msg?: string }).msg ?? said}`,
        `${windows} windows opened meanwhile: ${newOrders} order(s) sent`,
        `replaced by a correctly configured executor, ready ${ms(goodMs)} later; first trade ${ms(probe.firstMs)} after the next window opened`,
      ],
      recoveryMs: goodMs + probe.firstMs,
      recoveryOf: 'good executor started → first trade',
      lost: 'the windows opened while only the misconfigured executor ran were not traded (they wait in ARB_OPPS and expire)',
      checks,
    };
  },
};
