import { ASK, BID } from '../model/change-buffer';
import type { SimBook } from '../model/sim-book';
import type { Side } from './order';

export interface MatchLevel {
  tick: number;
  lots: number;
}

export interface MatchResult {
  /** Fills in execution order (best price first), in ticks and lots. */
  levels: MatchLevel[];
  filledLots: number;
  /** Update id of the book change that consumed the liquidity (0 when nothing filled). */
  updateId: number;
}

/**
 * Fills an IOC limit order against the CURRENT book: a buy walks the asks up to `limitTick`, a
 * sell walks the bids down to it, taking at most `lots`. The consumed liquidity leaves the book as
 * ONE change (begin/set/end), so the market-data feeds publish it and the history records it.
 */
export function matchIoc(book: SimBook, side: Side, lots: number, limitTick: number): MatchResult {
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
  return { levels, filledLots: lots - remaining, updateId };
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
