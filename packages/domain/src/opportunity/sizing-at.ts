import type Big from 'big.js';
import { bigMax, bigMin, ZERO } from './big-math';
import { feeFactors } from './fees';
import { buyLimitOf, sellLimitOf } from './level-limits';
import type { ExactSide } from './parsed-book';
import type { SizedTrade, SizingInput } from './sizing-types';

const BPS_FRACTION = '0.0001';

/** Walks `side` (best first) for `size`: notional, worst level price and levels touched; null when too thin. */
function walk(side: ExactSide, size: Big): { notional: Big; worst: Big; levels: number } | null {
  let left = size;
  let notional = ZERO;
  let worst: Big | null = null;
  let k = 0;
  while (left.gt(0)) {
    if (k >= side.length) return null;
    const l = side.at(k++);
    const take = bigMin(left, l.size);
    notional = notional.plus(take.times(l.price));
    left = left.minus(take);
    worst = l.price;
  }
  return worst === null ? null : { notional, worst, levels: k };
}

/**
 * The trade of exactly `size` (a lot multiple) on the books of `input`, for a size below the walk's optimum (the
 * haircut): upper bounds (max size, risk limit, inventory) hold since they held at the optimum and only grow with
 * size, and the hurdle holds since the objective is concave and ≥ 0 at 0 and at the optimum. Null when a lower bound
 * fails (min size, either min notional at its limit) or the profit is not positive: the caller re-runs the walk.
 */
export function tradeAtSize(input: SizingInput, size: Big, lot: Big): SizedTrade | null {
  const { buy, sell } = input;
  const a = walk(input.asks, size);
  const b = walk(input.bids, size);
  if (a === null || b === null) return null;
  const buyLimit = buyLimitOf(a.worst, buy);
  const sellLimit = sellLimitOf(b.worst, sell);
  if (size.lt(bigMax(buy.minSize, sell.minSize)) || size.times(buyLimit).lt(buy.minNotional) || size.times(sellLimit).lt(sell.minNotional)) return null;
  const { buyFactor: kb, sellFactor: ks } = feeFactors(buy, sell);
  const profitQuote = b.notional.times(ks).minus(a.notional.times(kb));
  if (profitQuote.lte(0)) return null;
  const hurdle = input.hurdleBps === undefined ? null : input.hurdleBps.times(BPS_FRACTION);
  return {
    size,
    lot,
    buyNotional: a.notional,
    sellNotional: b.notional,
    buyFeeQuote: buy.buyFeeAsset === 'base' ? b.notional.times(buy.takerFee) : a.notional.times(buy.takerFee),
    sellFeeQuote: b.notional.times(sell.takerFee),
    profitQuote,
    objective: hurdle === null ? profitQuote : profitQuote.minus(a.notional.times(hurdle)),
    buyLimit,
    sellLimit,
    buyLevels: a.levels,
    sellLevels: b.levels,
  };
}
