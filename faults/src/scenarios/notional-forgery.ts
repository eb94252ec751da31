import Big from 'big.js';
import { opportunity, publishOpportunity } from '../inject';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { ms, type Scenario } from './scenario';

/**
 * Opportunities whose prices are forged are published straight on ARB_OPPS (as anything with publish rights there
 * could): the review's case — 2 BTC with limit prices of 10 USDT, a 20 USD notional on the message's own prices
 * against a 10,000 USD per-trade limit, 130,000 USDT at the book — and limits on the book with a size worth more than
 * the limit at the book. Neither may send an order: the executor checks limits against the latest books it received
 * and the notional at max(limit, touch).
 */
export const notionalForgery: Scenario = {
  name: 'notional-forgery',
  fault: 'forged opportunities on ARB_OPPS: 2 BTC at limit 10 USDT (20 USD by its own prices), and limits on the book with 1 BTC (~65,000 USD vs the 10,000 limit)',
  async run(ctx) {
    const { stack, sim } = ctx;
    const t0 = now();
    const ordersBefore = (await sim.orders()).length;
    const [ask, bid] = [(await sim.top('binance', 'BTC-USDT')).ask, (await sim.top('coinbase', 'BTC-USDT')).bid];
    const forged = opportunity({ symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '2', buyLimit: '10', sellLimit: '10', ttlMs: 5000 });
    const oversized = opportunity({
      symbol: 'BTC-USDT', buyVenue: 'binance', sellVenue: 'coinbase', size: '1',
      buyLimit: new Big(ask).times('1.002').round(2, 0).toFixed(2), sellLimit: new Big(bid).times('0.998').round(2, 0).toFixed(2), ttlMs: 5000,
    });
    for (const o of [forged, oversized]) await publishOpportunity(stack.nats.url, o);
    const reports = await waitFor(
      'both forged opportunities journaled',
      () => {
        const rs = ctx.recorder.reportsSince(t0).filter((r) => r.oppId === forged.id || r.oppId === oversized.id);
        return rs.length === 2 ? rs : undefined;
      },
      15_000,
    );
    const handledMs = now() - t0;
    await sleep(500);
    const newOrders = (await sim.orders()).length - ordersBefore;
    const of = (id: string) => reports.find((r) => r.oppId === id);
    const checks: Check[] = [
      {
        name: 'forged limits refused',
        ok: of(forged.id)?.status === 'skipped' && (of(forged.id)?.reason ?? '').startsWith('book-deviation') && of(forged.id)?.legs.length === 0,
        detail: `2 BTC at limit 10: ${of(forged.id)?.status ?? '?'} (${of(forged.id)?.reason ?? 'no reason'}), ${of(forged.id)?.legs.length ?? '?'} orders`,
      },
      {
        name: 'notional at the book over the limit refused',
        ok: of(oversized.id)?.status === 'skipped' && (of(oversized.id)?.reason ?? '').startsWith('risk-notional') && of(oversized.id)?.legs.length === 0,
        detail: `1 BTC on the book: ${of(oversized.id)?.status ?? '?'} (${of(oversized.id)?.reason ?? 'no reason'}), ${of(oversized.id)?.legs.length ?? '?'} orders`,
      },
      { name: 'no order sent', ok: newOrders === 0, detail: `${newOrders} venue order(s) created while the forged opportunities were handled` },
    ];
    return {
      behaviour: [
        `binance ask ${ask}, coinbase bid ${bid} when the forgeries were published`,
        ...reports.map((r) => `${r.oppId === forged.id ? '2 BTC at limit 10' : '1 BTC on the book'}: ${r.status} (${r.reason ?? ''})`),
        `both journaled ${ms(handledMs)} after publishing, ${newOrders} venue order(s)`,
      ],
      recoveryMs: handledMs,
      recoveryOf: 'forged opportunities published → refused and journaled',
      lost: newOrders === 0 ? 'nothing: no order was sent for either forgery' : `${newOrders} order(s) sent for forged opportunities`,
      checks,
    };
  },
};
