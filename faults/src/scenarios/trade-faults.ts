import type { ExecutionReport } from '@arb/contracts';
import Big from 'big.js';
import type { FaultContext } from '../context';
import { readJournal } from '../journal';
import type { SimOrder } from '../sim-control';
import type { Check } from '../types';
import { waitFor } from '../wait';
import { DUST_USD } from './leg-outcome';

const orderKey = (o: { venue: string; clientOrderId: string }): string => `${o.venue}/${o.clientOrderId}`;

/**
 * Opens a window (Binance BTC-USDT +30 bps: buy on Coinbase, sell on Binance) with Binance refusing every order and
 * Coinbase executing every order at once but never answering it (the executor learns the outcome only after its
 * request timeout, executor.requestTimeoutMs, 2 s), so the trade is one-sided at the venue while the executor still
 * waits: the Coinbase buy filled, the Binance sell and every hedge on Binance refused. Resolves once the trade's orders
 * at the venues satisfy `until` (or its buy missed: `filled` false), with its trade key. The faults stay set.
 */
async function oneSidedOnce(ctx: FaultContext, until: (orders: readonly SimOrder[]) => boolean): Promise<{ tradeKey: string; filled: boolean }> {
  const { sim } = ctx;
  const known = new Set((await sim.orders()).map(orderKey));
  await sim.tradingFaults('binance', { failAll: true });
  await sim.tradingFaults('coinbase', { timeoutRate: 1 });
  await sim.dislocate('BTC-USDT', 'binance', 30, 5000);
  return waitFor(
    'the trade\'s orders at the venues',
    async () => {
      const fresh = (await sim.orders()).filter((o) => !known.has(orderKey(o)));
      const key = fresh[0]?.tradeKey;
      if (key === undefined) return undefined;
      const orders = fresh.filter((o) => o.tradeKey === key);
      const buy = orders.find((o) => o.clientOrderId.endsWith('-b'));
      if (buy?.final === true && new Big(buy.filledQty).eq(0)) return { tradeKey: key, filled: false };
      return until(orders) ? { tradeKey: key, filled: buy !== undefined && !new Big(buy.filledQty).eq(0) } : undefined;
    },
    15_000,
    10,
  );
}

/** Closes the window at once (Binance back down 30 bps, where Coinbase still is): no further opportunity from it. */
export async function closeWindow(ctx: FaultContext): Promise<void> {
  await ctx.sim.dislocate('BTC-USDT', 'binance', -30, 5000);
}

/** A window in which no trade became one-sided (its buy missed every time: the book moved before it arrived). */
export class NoOneSidedTradeError extends Error {
  override readonly name = 'NoOneSidedTradeError';
}

/**
 * oneSidedOnce until the trade's buy filled (a window can miss: the book moved), at most `attempts` windows; resolves
 * with the trade key (faults still set), or throws NoOneSidedTradeError.
 */
export async function oneSidedTrade(ctx: FaultContext, until: (orders: readonly SimOrder[]) => boolean, attempts = 5): Promise<{ tradeKey: string; attempts: number }> {
  for (let i = 1; ; i++) {
    const t = await oneSidedOnce(ctx, until);
    if (t.filled) return { tradeKey: t.tradeKey, attempts: i };
    await closeWindow(ctx);
    for (const v of ['binance', 'coinbase'] as const) await ctx.sim.resetTradingFaults(v);
    await ctx.quiesce(30_000);
    if (i >= attempts) throw new NoOneSidedTradeError(`no trade became one-sided in ${attempts} windows (the Coinbase buy missed each time)`);
  }
}

/** The journal's reports (and corrections) holding an order of trade `tradeKey`. */
export async function reportsOf(ctx: FaultContext, tradeKey: string): Promise<ExecutionReport[]> {
  return (await readJournal(ctx.stack.nats.url)).filter((r) => r.legs.some((l) => l.clientOrderId.startsWith(`${tradeKey}-`)));
}

/** Net base the trade's orders moved at the venues (buys − sells, fills only), and a price to value it. */
export function venueNet(orders: readonly SimOrder[]): { base: Big; price: Big } {
  let base = new Big(0);
  let qty = new Big(0);
  let quote = new Big(0);
  for (const o of orders) {
    base = o.side === 'buy' ? base.plus(o.filledQty) : base.minus(o.filledQty);
    qty = qty.plus(o.filledQty);
    quote = quote.plus(o.filledQuote);
  }
  return { base, price: qty.gt(0) ? quote.div(qty) : new Big(0) };
}

/** The trade's position at the venues is closed: what its orders left is dust (≤ DUST_USD). */
export function closedAtVenues(orders: readonly SimOrder[]): Check {
  const { base, price } = venueNet(orders);
  const usd = base.abs().times(price);
  return {
    name: 'position closed at the venues',
    ok: usd.lte(DUST_USD),
    detail: `the trade's ${orders.length} orders net ${base.toFixed()} BTC at the venues (${usd.toFixed(2)} USD; dust limit ${DUST_USD} USD): ${orders.map((o) => `${o.clientOrderId.split('-').pop() ?? ''} ${o.side} ${o.status} ${o.filledQty}`).join(', ')}`,
  };
}

/** What the journal says the trade left (sum of its reports' residuals) equals what its orders left at the venues. */
export function exposureRecorded(orders: readonly SimOrder[], reports: readonly ExecutionReport[]): Check {
  let venue = venueNet(orders).base;
  for (const o of orders) if (o.feeAsset === 'BTC') venue = venue.minus(o.fee);
  const journal = reports.reduce((a, r) => a.plus(r.residualBase), new Big(0));
  return {
    name: 'exposure recorded',
    ok: journal.eq(venue),
    detail: `the journal's residual ${journal.toFixed()} BTC (${reports.length} report(s)); the venues' net of the trade's fills and base fees ${venue.toFixed()} BTC`,
  };
}

/** Journaled qty of one venue order, summed over a trade's reports (report + corrections). */
export function journaledQty(reports: readonly ExecutionReport[], o: { venue: string; clientOrderId: string }): Big {
  return reports.flatMap((r) => r.legs).filter((l) => orderKey(l) === orderKey(o)).reduce((a, l) => a.plus(l.filledQty), new Big(0));
}

/**
 * Waits until every order of the trade at the venues is final and in the journal with its fill (report +
 * corrections), and `extra` holds; resolves with the trade's reports and orders.
 */
export async function tradeJournaled(
  ctx: FaultContext,
  tradeKey: string,
  timeoutMs: number,
  extra: (rs: ExecutionReport[], orders: SimOrder[]) => boolean = () => true,
): Promise<ExecutionReport[]> {
  return waitFor(
    `every order of trade ${tradeKey} journaled`,
    async () => {
      const [orders, reports] = await Promise.all([ctx.sim.orders(`${tradeKey}-`), reportsOf(ctx, tradeKey)]);
      const journaled = new Set(reports.flatMap((r) => r.legs.map(orderKey)));
      const done = orders.length > 0 && orders.every((o) => o.final && journaled.has(orderKey(o)) && journaledQty(reports, o).eq(o.filledQty));
      return done && extra(reports, orders) ? reports : undefined;
    },
    timeoutMs,
    250,
  );
}
