import type Big from 'big.js';
import { BPS, bigMax, bigMin, ceilToStep, floorToStep, lcmStep, ZERO } from './big-math';
import { feeFactors } from './fees';
import type { MarketRules } from './market-rules';
import type { ExactLevel } from './parsed-book';
import type { SizedTrade, SizingInput, SizingResult } from './sizing-types';

/**
 * One segment of the joint walk: sizes in (s0, e] fill the buy venue's ask level `i` and the sell venue's bid level
 * `j`, so both limit prices are constant and every notional is linear in size.
 */
interface Segment {
  s0: Big;
  e: Big;
  ask: ExactLevel;
  bid: ExactLevel;
  aCumS: Big;
  aCumN: Big;
  bCumS: Big;
  bCumN: Big;
  buyLimit: Big;
  sellLimit: Big;
  i: number;
  j: number;
}

/** Buy limit: the ask level's price, rounded UP to tick only if it is off tick (venue levels are on tick). */
const buyLimitOf = (p: Big, r: MarketRules): Big => (r.tick === null ? p : ceilToStep(p, r.tick));
/** Sell limit: the bid level's price, rounded DOWN to tick only if off tick. */
const sellLimitOf = (p: Big, r: MarketRules): Big => (r.tick === null ? p : floorToStep(p, r.tick));

/**
 * Finds the base size that maximizes net profit (after both taker fees, less the optional hurdle) of buying the
 * buy venue's asks and selling the sell venue's bids, subject to: both venues' min/max size and min notional (limit × size), the common lot,
 * the risk limit (buy notional), quote inventory on the buy venue and base inventory on the sell venue, and the
 * visible depth.
 *
 * Optimality: within a segment (constant levels on both sides) profit is linear in size with slope
 * m = bid × sellFactor − ask × (buyFactor + hurdle); asks ascend and bids descend, so m never increases: profit is concave.
 * Upper bounds (max size, risk, inventory) are monotone in size (prefix constraints); lower bounds are monotone
 * inside a segment (limits are constant there). So while m > 0 the best point of a segment is its largest feasible
 * lot point and later segments beat earlier ones; once m <= 0 the best point is the first feasible lot point. The
 * walk keeps the last feasible point before the peak and the first feasible one after it, and returns the better.
 * Every bound is solved exactly, rounded to the lot grid and re-verified exactly (never trusting a division).
 */
export function optimizeSize(input: SizingInput): SizingResult {
  const { asks, bids, buy, sell, riskLimitQuote: R, quoteAvailable: Q, baseAvailable: baseInv } = input;
  if (asks.length === 0 || bids.length === 0) return { ok: false, reason: 'no-edge' };
  const { buyFactor: kb, sellFactor: ks } = feeFactors(buy, sell);
  const hurdle = input.hurdleBps === undefined || input.hurdleBps.eq(0) ? null : input.hurdleBps.div(BPS);
  const kObj = hurdle === null ? kb : kb.plus(hurdle);
  const lot = lcmStep(buy.lotStep, sell.lotStep);
  const minS = bigMax(buy.minSize, sell.minSize);
  let maxS: Big | null = buy.maxSize === null ? sell.maxSize : sell.maxSize === null ? buy.maxSize : bigMin(buy.maxSize, sell.maxSize);
  if (baseInv !== null) maxS = maxS === null ? baseInv : bigMin(maxS, baseInv);
  const noInventory = (Q !== null && Q.lte(0)) || (baseInv !== null && baseInv.lte(0));

  const buyNotional = (g: Segment, s: Big): Big => g.aCumN.plus(s.minus(g.aCumS).times(g.ask.price));
  const sellNotional = (g: Segment, s: Big): Big => g.bCumN.plus(s.minus(g.bCumS).times(g.bid.price));
  const uppersOk = (g: Segment, s: Big): boolean =>
    (maxS === null || s.lte(maxS)) && (R === null || buyNotional(g, s).lte(R)) && (Q === null || s.times(g.buyLimit).times(kb).lte(Q));
  const lowersOk = (g: Segment, s: Big): boolean =>
    s.gte(minS) && s.times(g.buyLimit).gte(buy.minNotional) && s.times(g.sellLimit).gte(sell.minNotional);
  const trade = (g: Segment, s: Big): SizedTrade => {
    const bn = buyNotional(g, s);
    const sn = sellNotional(g, s);
    const buyFeeQuote = buy.buyFeeAsset === 'base' ? sn.times(buy.takerFee) : bn.times(buy.takerFee);
    const sellFeeQuote = sn.times(sell.takerFee);
    const profitQuote = sn.times(ks).minus(bn.times(kb));
    return {
      size: s,
      lot,
      buyNotional: bn,
      sellNotional: sn,
      buyFeeQuote,
      sellFeeQuote,
      profitQuote,
      objective: hurdle === null ? profitQuote : profitQuote.minus(bn.times(hurdle)),
      buyLimit: g.buyLimit,
      sellLimit: g.sellLimit,
      buyLevels: g.i + 1,
      sellLevels: g.j + 1,
    };
  };

  let i = 0;
  let j = 0;
  const first = { ask: asks.at(0), bid: bids.at(0) };
  const g: Segment = {
    s0: ZERO,
    e: ZERO,
    ...first,
    aCumS: ZERO,
    aCumN: ZERO,
    bCumS: ZERO,
    bCumN: ZERO,
    buyLimit: buyLimitOf(first.ask.price, buy),
    sellLimit: sellLimitOf(first.bid.price, sell),
    i,
    j,
  };
  if (g.bid.price.times(ks).lte(g.ask.price.times(kb))) return { ok: false, reason: 'no-edge' };
  // Slope of the objective in the current segment.
  let m = g.bid.price.times(ks).minus(g.ask.price.times(kObj));
  if (m.lt(0)) return { ok: false, reason: 'below-threshold' };
  let pre: SizedTrade | null = null;
  let post: SizedTrade | null = null;

  for (;;) {
    const aEnd = g.aCumS.plus(g.ask.size);
    const bEnd = g.bCumS.plus(g.bid.size);
    g.s0 = bigMax(g.aCumS, g.bCumS);
    g.e = bigMin(aEnd, bEnd);
    // Largest size in the segment allowed by the upper (prefix) bounds.
    let h = g.e;
    let capped = false;
    if (maxS !== null && h.gt(maxS)) [h, capped] = [maxS, true];
    if (R !== null && buyNotional(g, h).gt(R)) [h, capped] = [bigMin(h, g.aCumS.plus(R.minus(g.aCumN).div(g.ask.price))), true];
    if (Q !== null && h.times(g.buyLimit).times(kb).gt(Q)) [h, capped] = [bigMin(h, Q.div(g.buyLimit.times(kb))), true];
    h = floorToStep(bigMax(h, ZERO), lot);
    while (h.gt(g.s0) && !uppersOk(g, h)) h = h.minus(lot);
    const hasUpper = h.gt(g.s0);
    if (m.gt(0)) {
      if (hasUpper && lowersOk(g, h)) pre = trade(g, h);
    } else if (hasUpper && (sell.minNotional.lte(0) || g.sellLimit.gt(0))) {
      let lo = floorToStep(g.s0, lot).plus(lot);
      lo = bigMax(lo, ceilToStep(minS, lot));
      if (buy.minNotional.gt(0)) lo = bigMax(lo, ceilToStep(buy.minNotional.div(g.buyLimit), lot));
      if (sell.minNotional.gt(0)) lo = bigMax(lo, ceilToStep(sell.minNotional.div(g.sellLimit), lot));
      while (lo.lte(h) && !lowersOk(g, lo)) lo = lo.plus(lot);
      if (lo.lte(h)) {
        post = trade(g, lo);
        break;
      }
    }
    if (capped) break;
    // Advance the side(s) whose level ends here.
    if (g.e.eq(aEnd)) {
      if (++i >= asks.length) break;
      g.aCumN = g.aCumN.plus(g.ask.size.times(g.ask.price));
      g.aCumS = aEnd;
      g.ask = asks.at(i);
      g.buyLimit = buyLimitOf(g.ask.price, buy);
      g.i = i;
    }
    if (g.e.eq(bEnd)) {
      if (++j >= bids.length) break;
      g.bCumN = g.bCumN.plus(g.bid.size.times(g.bid.price));
      g.bCumS = bEnd;
      g.bid = bids.at(j);
      g.sellLimit = sellLimitOf(g.bid.price, sell);
      g.j = j;
    }
    m = g.bid.price.times(ks).minus(g.ask.price.times(kObj));
  }

  const best = pre === null ? post : post === null || pre.objective.gte(post.objective) ? pre : post;
  if (best === null) return { ok: false, reason: noInventory ? 'no-inventory' : 'below-min-size' };
  if (best.profitQuote.lte(0)) return { ok: false, reason: 'no-edge' };
  if (best.objective.lt(0)) return { ok: false, reason: 'below-threshold' };
  return { ok: true, trade: best };
}
