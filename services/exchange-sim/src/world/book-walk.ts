import Big from 'big.js';
import { ASK, BID } from '../model/change-buffer';
import type { Instrument } from '../model/instrument';
import type { MarketBook } from '../model/market';
import type { FeeFactors } from './fee-factors';

/** What buying the buy venue's asks against selling the sell venue's bids yields, exactly, at the true books. */
export interface WalkResult {
  /** Net edge of the first unit, bps of its buy price (after both fees). */
  readonly topEdgeBps: Big;
  /** Base size of every unit whose net edge (after fees) is above the hurdle. */
  readonly size: Big;
  /** profit = sellNotional × fees.sell − buyNotional × fees.buy, in quote. */
  readonly profit: Big;
  readonly buyNotional: Big;
  readonly sellNotional: Big;
  /** Best ask / best bid, and the worst levels touched (ticks of each venue). */
  readonly buyTopTick: number;
  readonly sellTopTick: number;
  readonly buyLimitTick: number;
  readonly sellLimitTick: number;
}

interface Units {
  readonly tick: Big;
  readonly step: Big;
}

const unitsCache = new WeakMap<Instrument, Units>();
const BPS = new Big(10_000);

function units(inst: Instrument): Units {
  let u = unitsCache.get(inst);
  if (!u) {
    u = { tick: new Big(inst.tickSize), step: new Big(inst.stepSize) };
    unitsCache.set(inst, u);
  }
  return u;
}

/** Exact price of a tick / size of a lot count of an instrument. */
export const tickPrice = (inst: Instrument, tick: number): Big => units(inst).tick.times(tick);
export const lotQty = (inst: Instrument, lots: number): Big => units(inst).step.times(lots);

/** Smallest lot count of `inst` holding at least `qty`. */
export function lotsCovering(inst: Instrument, qty: Big): number {
  return Number(qty.div(units(inst).step).round(0, Big.roundUp).toFixed(0));
}

/**
 * Walks the buy venue's asks (best first) against the sell venue's bids (best first) while the marginal unit's net
 * edge after fees is above `hurdleBps` (bps of the buy price): bid × fees.sell > ask × (fees.buy + hurdle). Exact
 * (big.js on the books' integer ticks and lots). Null when the first unit is not above the hurdle or a side is empty.
 */
export function walkCrossed(buy: MarketBook, sell: MarketBook, fees: FeeFactors, hurdleBps = 0): WalkResult | null {
  const asks = buy.book.asks;
  const bids = sell.book.bids;
  if (asks.length === 0 || bids.length === 0) return null;
  const kBuy = hurdleBps > 0 ? fees.buy.plus(new Big(hurdleBps).div(BPS)) : fees.buy;
  const bi = buy.inst;
  const si = sell.inst;
  let i = 0;
  let j = 0;
  let ask = tickPrice(bi, asks[0] as number);
  let bid = tickPrice(si, bids[0] as number);
  const topBuy = ask.times(fees.buy);
  const topEdgeBps = bid.times(fees.sell).minus(topBuy).div(ask).times(BPS);
  if (!bid.times(fees.sell).gt(ask.times(kBuy))) return null;
  let aRem = lotQty(bi, buy.book.lots(ASK, asks[0] as number));
  let bRem = lotQty(si, sell.book.lots(BID, bids[0] as number));
  let size = new Big(0);
  let buyN = new Big(0);
  let sellN = new Big(0);
  let buyLimitTick = asks[0] as number;
  let sellLimitTick = bids[0] as number;
  for (;;) {
    const q = aRem.lt(bRem) ? aRem : bRem;
    size = size.plus(q);
    buyN = buyN.plus(q.times(ask));
    sellN = sellN.plus(q.times(bid));
    buyLimitTick = asks[i] as number;
    sellLimitTick = bids[j] as number;
    aRem = aRem.minus(q);
    bRem = bRem.minus(q);
    if (aRem.eq(0)) {
      if (++i >= asks.length) break;
      ask = tickPrice(bi, asks[i] as number);
      aRem = lotQty(bi, buy.book.lots(ASK, asks[i] as number));
    }
    if (bRem.eq(0)) {
      if (++j >= bids.length) break;
      bid = tickPrice(si, bids[j] as number);
      bRem = lotQty(si, sell.book.lots(BID, bids[j] as number));
    }
    if (!bid.times(fees.sell).gt(ask.times(kBuy))) break;
  }
  return {
    topEdgeBps,
    size,
    profit: sellN.times(fees.sell).minus(buyN.times(fees.buy)),
    buyNotional: buyN,
    sellNotional: sellN,
    buyTopTick: asks[0] as number,
    sellTopTick: bids[0] as number,
    buyLimitTick,
    sellLimitTick,
  };
}
