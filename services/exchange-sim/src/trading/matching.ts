import { ASK, BID } from '../model/change-buffer';
import type { SimBook } from '../model/sim-book';
import type { Side, SimOrder } from './order';
import { restingOf } from './resting-book';

export interface MatchLevel {
  tick: number;
  lots: number;
  /** The trade id, when a resting book printed the trade (always for venue books; absent for a bare SimBook). */
  tradeId?: number;
  /** The resting order on the other side, when the liquidity was one (null/absent: the model's own). */
  maker?: SimOrder | null;
}

export interface MatchResult {
  /** Fills in execution order (best price first; at one price the model's part, then resting orders FIFO). */
  levels: MatchLevel[];
  filledLots: number;
  /** Update id of the book change that consumed the liquidity (0 when nothing filled). */
  updateId: number;
}

/**
 * Fills an IOC limit order against the CURRENT book: a buy walks the asks up to `limitTick`, a sell walks the bids
 * down to it, taking at most `lots`. The consumed liquidity leaves the book as ONE change (begin/set/end), so the
 * market-data feeds publish it and the history records it. Resting orders (GTC / post-only of any account) in the
 * consumed levels are filled as makers through the book's RestingBook, whoever the taker is (an account's order,
 * a sim-internal sweep): this is the one taker path.
 */
export function matchIoc(book: SimBook, side: Side, lots: number, limitTick: number): MatchResult {
  const resting = restingOf(book);
  resting?.sync();
  const levels: MatchLevel[] = [];
  const bookSide = side === 'buy' ? ASK : BID;
  const ticks = side === 'buy' ? book.asks : book.bids;
  let remaining = lots;
  for (let i = 0; i < ticks.length && remaining > 0; i++) {
    const tick = ticks[i] as number;
    if (side === 'buy' ? tick > limitTick : tick < limitTick) break;
    const take = Math.min(remaining, book.lots(bookSide, tick));
    if (take <= 0) continue;
    levels.push({ tick, lots: take });
    remaining -= take;
  }
  if (levels.length === 0) return { levels, filledLots: 0, updateId: 0 };
  book.begin();
  for (const l of levels) book.set(bookSide, l.tick, book.lots(bookSide, l.tick) - l.lots);
  const updateId = book.end();
  if (!resting) return { levels, filledLots: lots - remaining, updateId };
  const ts = Date.now();
  const parts = levels.flatMap((l) => resting.consume(bookSide, l.tick, l.lots, updateId, ts).map((p) => ({ tick: l.tick, lots: p.lots, tradeId: p.tradeId, maker: p.maker })));
  return { levels: parts, filledLots: lots - remaining, updateId };
}

/** Lots available at `limitTick` or better (for checks; does not change the book). */
export function availableLots(book: SimBook, side: Side, limitTick: number): number {
  const bookSide = side === 'buy' ? ASK : BID;
  const ticks = side === 'buy' ? book.asks : book.bids;
  let total = 0;
  for (const tick of ticks) {
    if (side === 'buy' ? tick > limitTick : tick < limitTick) break;
    total += book.lots(bookSide, tick);
  }
  return total;
}

/** True when an order at `limitTick` would take liquidity now (post-only check). */
export function wouldTake(book: SimBook, side: Side, limitTick: number): boolean {
  restingOf(book)?.sync();
  const best = side === 'buy' ? book.asks[0] : book.bids[0];
  return best !== undefined && (side === 'buy' ? best <= limitTick : best >= limitTick);
}
