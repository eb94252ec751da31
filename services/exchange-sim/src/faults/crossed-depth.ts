import type { LevelsState } from '../model/book-history';

/**
 * A crossed copy of a book (fault injection, `crossedDepthRate`): one extra bid, as big as the best bid, priced one
 * tick above the best ask, as a venue's stale or corrupt snapshot cache could serve. Unchanged when a side is empty.
 */
export function crossLevels(state: LevelsState): LevelsState {
  const bestAsk = state.asks[0];
  const bestBid = state.bids[0];
  if (bestAsk === undefined || bestBid === undefined) return state;
  return { bids: [[bestAsk[0] + 1, bestBid[1]], ...state.bids], asks: state.asks };
}
