import Big from 'big.js';
import type { SimOrder, TradeRecord } from './records';

/**
 * Net result of one trade's orders in quote, exact: every fill's quote and base, each fee taken from the asset it was
 * charged in (Binance charges buys in base). `realized`: the base left over (a one-legged trade not completed) is
 * valued at its own average fill price (the side it came from), so only the quantity bought AND sold makes or loses
 * money; `marked`: the leftover valued at `mark` instead (what holding the exposure happened to be worth at the end).
 */
export function ordersPnl(orders: readonly SimOrder[], symbol: string, mark: Big): { realized: Big; marked: Big; residualBase: Big } {
  const [base, quote] = symbol.split('-') as [string, string];
  let q = new Big(0);
  let b = new Big(0);
  const qty = { buy: new Big(0), sell: new Big(0) };
  const quoteOf = { buy: new Big(0), sell: new Big(0) };
  for (const o of orders) {
    qty[o.side] = qty[o.side].plus(o.filledQty);
    quoteOf[o.side] = quoteOf[o.side].plus(o.filledQuote);
    const feeBase = o.feeAsset === base ? new Big(o.fee) : new Big(0);
    const feeQuote = o.feeAsset === quote ? new Big(o.fee) : new Big(0);
    if (o.side === 'buy') {
      b = b.plus(o.filledQty).minus(feeBase);
      q = q.minus(o.filledQuote).minus(feeQuote);
    } else {
      b = b.minus(o.filledQty).minus(feeBase);
      q = q.plus(o.filledQuote).minus(feeQuote);
    }
  }
  const side = b.gt(0) ? 'buy' : 'sell';
  const cost = qty[side].gt(0) ? quoteOf[side].div(qty[side]) : mark;
  return { realized: q.plus(b.times(cost)), marked: q.plus(b.times(mark)), residualBase: b };
}

export type LegOutcome = 'both' | 'one-legged' | 'partial' | 'none';

/**
 * How a trade's entry legs came out (the sim's record): both filled their whole size; neither filled; unequal fills
 * (one-legged: exposure the strategy has to deal with); equal partial fills.
 */
export function legOutcome(t: TradeRecord, byCid: ReadonlyMap<string, SimOrder>): LegOutcome {
  const buy = byCid.get(t.buyCid);
  const sell = byCid.get(t.sellCid);
  const filled = (o: SimOrder | undefined): Big => new Big(o?.filledQty ?? '0');
  const full = (o: SimOrder | undefined): boolean => o !== undefined && filled(o).gte(o.requestedQty) && filled(o).gt(0);
  if (full(buy) && full(sell)) return 'both';
  const fb = filled(buy);
  const fs = filled(sell);
  if (fb.eq(0) && fs.eq(0)) return 'none';
  return fb.eq(fs) ? 'partial' : 'one-legged';
}
