import type Big from 'big.js';
import { bigMax, bigMin, floorToStep, lcmStep, ZERO } from './big-math';
import { buyLimitOf, sellLimitOf } from './level-limits';
import { feeFactors } from './fees';
import { SizingBounds, type Segment } from './sizing-bounds';
import type { SizingInput, SizingResult } from './sizing-types';

const BPS_FRACTION = '0.0001';

/**
 * Finds the base size that maximizes net profit (after both taker fees, less the optional hurdle) of buying the
 * buy venue's asks and selling the sell venue's bids, subject to: both venues' min/max size and min notional
 * (limit × size), the common lot, the risk limit (buy notional), quote inventory on the buy venue and base
 * inventory on the sell venue, and the visible depth.
 *
 * Optimality: the walk splits sizes into segments (s0, e] where both sides stay on one level, so limits are constant
 * and notionals linear; the objective's slope there is m = bid × sellFactor − ask × (buyFactor + hurdle). Asks ascend
 * and bids descend, so m never increases: the objective is concave. Upper bounds (max size, risk, inventory) are
 * prefix constraints; lower bounds (min size, min notionals) are monotone inside a segment. Hence the optimum is
 * either the largest feasible lot point before the peak (searched backwards from the peak or the cap) or the first
 * feasible lot point after it. Each level costs a handful of big.js operations; bounds are only solved (divisions)
 * in the segment where they bind, then rounded to the lot grid and re-verified exactly.
 */
export function optimizeSize(input: SizingInput): SizingResult {
  const { asks, bids, buy, sell, riskLimitQuote: R, quoteAvailable: Q, baseAvailable: baseInv } = input;
  if (asks.length === 0 || bids.length === 0) return { ok: false, reason: 'no-edge' };
  const { buyFactor: kb, sellFactor: ks } = feeFactors(buy, sell);
  const hurdle = input.hurdleBps === undefined || input.hurdleBps.eq(0) ? null : input.hurdleBps.times(BPS_FRACTION);
  const kObj = hurdle === null ? kb : kb.plus(hurdle);
  let ask = asks.at(0);
  let bid = bids.at(0);
  let askK = ask.price.times(kObj);
  let bidK = bid.price.times(ks);
  if (bidK.lte(hurdle === null ? askK : ask.price.times(kb))) return { ok: false, reason: 'no-edge' };
  if (bidK.lt(askK)) return { ok: false, reason: 'below-threshold' };

  let maxS: Big | null = buy.maxSize === null ? sell.maxSize : sell.maxSize === null ? buy.maxSize : bigMin(buy.maxSize, sell.maxSize);
  if (baseInv !== null) maxS = maxS === null ? baseInv : bigMin(maxS, baseInv);
  const cap = input.maxSize ?? null;
  if (cap !== null) maxS = maxS === null ? cap : bigMin(maxS, cap);
  const b = new SizingBounds(input, lcmStep(buy.lotStep, sell.lotStep), kb, ks, hurdle, bigMax(buy.minSize, sell.minSize), maxS);

  // Current ask level (buy side) and bid level (sell side), with cumulative size/notional before them.
  let i = 0;
  let aCumS = ZERO;
  let aCumN = ZERO;
  let aEnd = ask.size;
  let aEndN = ask.size.times(ask.price);
  let buyLimit = buyLimitOf(ask.price, buy);
  let lockK = Q === null ? null : buyLimit.times(kb);
  // True when neither the risk limit nor quote inventory can bind anywhere in this ask level.
  let askFree = (R === null || aEndN.lte(R)) && (lockK === null || aEnd.times(lockK).lte(Q as Big));
  let j = 0;
  let bCumS = ZERO;
  let bCumN = ZERO;
  let bEnd = bid.size;
  let sellLimit = sellLimitOf(bid.price, sell);

  const pres: Segment[] = [];
  let preCapH: Big | null = null;
  let preHit: [Segment, Big] | null | undefined;
  let post: [Segment, Big] | null = null;
  let rising = true;
  for (;;) {
    const e = bigMin(aEnd, bEnd);
    const g: Segment = { s0: bigMax(aCumS, bCumS), e, i, j, askP: ask.price, bidP: bid.price, aCumS, aCumN, bCumS, bCumN, buyLimit, sellLimit };
    const capped = (maxS !== null && e.gt(maxS)) || (!askFree && !b.uppersOk(g, e));
    if (rising && bidK.gt(askK)) {
      pres.push(g);
      if (capped) {
        preCapH = b.solveUpper(g);
        break;
      }
    } else {
      if (rising) {
        rising = false;
        // The peak is the end of the last rising segment: if that exact size is feasible, nothing after beats it.
        preHit = b.lastFeasible(pres, null);
        const last = pres[pres.length - 1];
        if (preHit !== null && last !== undefined && preHit[1].eq(last.e)) break;
      }
      const h = capped ? b.solveUpper(g) : floorToStep(e, b.lot);
      const lo = h.gt(g.s0) ? b.firstLower(g, h) : null;
      if (lo !== null) {
        post = [g, lo];
        break;
      }
      if (capped) break;
    }
    const askEnds = e.eq(aEnd);
    if (askEnds) {
      if (++i >= asks.length) break;
      ask = asks.at(i);
      aCumS = aEnd;
      aCumN = aEndN;
      aEnd = aCumS.plus(ask.size);
      aEndN = aCumN.plus(ask.size.times(ask.price));
      askK = ask.price.times(kObj);
      buyLimit = buyLimitOf(ask.price, buy);
      lockK = Q === null ? null : buyLimit.times(kb);
      askFree = (R === null || aEndN.lte(R)) && (lockK === null || aEnd.times(lockK).lte(Q as Big));
    }
    if (e.eq(bEnd)) {
      if (++j >= bids.length) break;
      bCumN = bCumN.plus(bid.size.times(bid.price));
      bid = bids.at(j);
      bCumS = bEnd;
      bEnd = bCumS.plus(bid.size);
      bidK = bid.price.times(ks);
      sellLimit = sellLimitOf(bid.price, sell);
    }
  }

  if (preHit === undefined) preHit = b.lastFeasible(pres, preCapH);
  const pre = preHit === null ? null : b.trade(preHit[0], preHit[1]);
  const postT = post === null ? null : b.trade(post[0], post[1]);
  const best = pre === null ? postT : postT === null || pre.objective.gte(postT.objective) ? pre : postT;
  const noInventory = (Q !== null && Q.lte(0)) || (baseInv !== null && baseInv.lte(0));
  if (best === null) return { ok: false, reason: noInventory ? 'no-inventory' : 'below-min-size' };
  if (best.profitQuote.lte(0)) return { ok: false, reason: 'no-edge' };
  if (best.objective.lt(0)) return { ok: false, reason: 'below-threshold' };
  return { ok: true, trade: best };
}
