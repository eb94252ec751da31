import Big from 'big.js';
import { ASK, BID } from '../model/change-buffer';
import type { MarketBook } from '../model/market';
import type { Side } from './order';
import { restingOf } from './resting-book';

/** A market order in book units: how many lots and the worst price (tick) it may trade at, from the book now. */
export interface MarketPlan {
  lots: number;
  limitTick: number;
}

/**
 * A market order for `lots`: the worst tick it reaches walking the opposite side now (the last level when the book
 * is too thin: the rest will expire). Null when that side is empty.
 */
export function planByLots(mb: MarketBook, side: Side, lots: number): MarketPlan | null {
  const { book } = mb;
  restingOf(book)?.sync();
  const ticks = side === 'buy' ? book.asks : book.bids;
  const bookSide = side === 'buy' ? ASK : BID;
  let total = 0;
  let last: number | null = null;
  for (const t of ticks) {
    last = t;
    total += book.lots(bookSide, t);
    if (total >= lots) break;
  }
  return last === null ? null : { lots, limitTick: last };
}

/**
 * A market order sized in quote (`budget`): the whole lots it buys (or sells) walking the opposite side now, never
 * spending (or receiving) more than the budget, and the worst tick reached. Null when not even one lot fits.
 */
export function planByQuote(mb: MarketBook, side: Side, budget: Big): MarketPlan | null {
  const { book, inst } = mb;
  restingOf(book)?.sync();
  const ticks = side === 'buy' ? book.asks : book.bids;
  const bookSide = side === 'buy' ? ASK : BID;
  const tick = new Big(inst.tickSize);
  let left = budget;
  let lots = 0;
  let limitTick = 0;
  for (const t of ticks) {
    const lotCost = tick.times(t).times(inst.stepSize);
    const fit = Number(left.div(lotCost).round(0, Big.roundDown).toFixed(0));
    const take = Math.min(book.lots(bookSide, t), fit);
    if (take <= 0) break;
    lots += take;
    left = left.minus(lotCost.times(take));
    limitTick = t;
  }
  return lots > 0 ? { lots, limitTick } : null;
}
