import { screenFeeFactors } from './fees';
import type { MarketRules } from './market-rules';
import type { ParsedBook } from './parsed-book';

/**
 * Float pre-screen: the net edge (bps of buy notional) of the FIRST unit traded, from cached best prices:
 * (bestBid × sellFactor − bestAsk × buyFactor) / bestAsk × 10 000.
 *
 * Profit is concave in size and the per-unit net edge only falls as the walk goes deeper, so the average net edge
 * of any size is at most this number: a pair whose top edge is <= 0 (or below the threshold) can be rejected
 * without the exact walk. NaN when a side is empty. Floats screen here; they never size or price anything.
 */
export function topEdgeBps(buyBook: ParsedBook, sellBook: ParsedBook, buy: MarketRules, sell: MarketRules): number {
  const f = screenFeeFactors(buy, sell);
  const ask = buyBook.bestAsk;
  return ((sellBook.bestBid * f.sellFactorF - ask * f.buyFactorF) / ask) * 10_000;
}

/** Slack allowed for float rounding when screening against a threshold, in bps (far above double error). */
export const SCREEN_EPSILON_BPS = 1e-6;
