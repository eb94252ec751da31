import Big from 'big.js';
import type { PriceLevel } from '@arb/domain';

/** What a baseline rule needs besides the books: both taker fees, the threshold and the size limits. */
export interface RuleParams {
  readonly buyFee: Big;
  readonly sellFee: Big;
  /** Net profit / buy notional at least this (fraction: minProfitPct / 100). */
  readonly minProfitFraction: Big;
  /** Absolute minimum net profit (quote); 0 = none. */
  readonly minProfitQuote: Big;
  /** Largest size (base) a trade may have: notional cap and inventory. */
  readonly maxSize: Big;
  readonly lotStep: Big;
  /** Smallest buy notional (quote) the venues accept. */
  readonly minNotional: Big;
}

/** A baseline's decision: both legs' size and IOC limits, and its expected profit at the books it decided on. */
export interface RuleDecision {
  readonly size: string;
  readonly buyLimit: string;
  readonly sellLimit: string;
  /** sellNotional × (1 − fs) − buyNotional × (1 + fb) at the VWAPs of `size` on these books (the oracle of this decision). */
  readonly profitQuote: string;
  readonly buyNotional: string;
}

export type BaselineRule = (asks: readonly PriceLevel[], bids: readonly PriceLevel[], p: RuleParams) => RuleDecision | undefined;

/** Walks `size` through the levels (best first): notional and worst price touched; undefined when too thin. */
export function walk(levels: readonly PriceLevel[], size: Big): { notional: Big; worst: string } | undefined {
  let left = size;
  let notional = new Big(0);
  for (const [price, qty] of levels) {
    const take = left.lt(qty) ? left : new Big(qty);
    notional = notional.plus(take.times(price));
    left = left.minus(take);
    if (left.lte(0)) return { notional, worst: price };
  }
  return undefined;
}

/** Exact net profit of buying `size` on `asks` and selling it on `bids`, both taker fees in quote. */
export function profitAt(asks: readonly PriceLevel[], bids: readonly PriceLevel[], size: Big, p: Pick<RuleParams, 'buyFee' | 'sellFee'>): RuleDecision | undefined {
  const b = walk(asks, size);
  const s = walk(bids, size);
  if (b === undefined || s === undefined) return undefined;
  const profit = s.notional.times(new Big(1).minus(p.sellFee)).minus(b.notional.times(new Big(1).plus(p.buyFee)));
  return { size: size.toString(), buyLimit: b.worst, sellLimit: s.worst, profitQuote: profit.toString(), buyNotional: b.notional.toString() };
}

function passes(d: RuleDecision, p: RuleParams): boolean {
  const profit = new Big(d.profitQuote);
  return profit.gt(0) && profit.gte(p.minProfitQuote) && profit.gte(new Big(d.buyNotional).times(p.minProfitFraction)) && new Big(d.buyNotional).gte(p.minNotional);
}

/**
 * Hummingbot's `arbitrage` strategy rule: a FIXED order amount (here `maxSize`), its profitability computed at the
 * VWAP of that amount on both books (after fees) must reach min_profitability; both orders go out at once, limits at
 * the worst price the amount touches. Thin books (amount deeper than the book) are no trade.
 */
export const hummingbotRule: BaselineRule = (asks, bids, p) => {
  const size = floorStep(p.maxSize, p.lotStep);
  if (size.lte(0)) return undefined;
  const d = profitAt(asks, bids, size, p);
  return d !== undefined && passes(d, p) ? d : undefined;
};

/**
 * bitrinjani/r2's rule: the best ask and best bid only, volume = min(ask volume, bid volume, maxSize); trade when the
 * profit of that volume after commissions reaches minTargetProfit (absolute) and minTargetProfitPercent. Limits at
 * the two top prices.
 */
export const r2Rule: BaselineRule = (asks, bids, p) => {
  const ask = asks[0];
  const bid = bids[0];
  if (ask === undefined || bid === undefined) return undefined;
  const top = new Big(ask[1]).lt(bid[1]) ? new Big(ask[1]) : new Big(bid[1]);
  const size = floorStep(top.lt(p.maxSize) ? top : p.maxSize, p.lotStep);
  if (size.lte(0)) return undefined;
  const d = profitAt([ask], [bid], size, p);
  return d !== undefined && passes(d, p) ? d : undefined;
};

export function floorStep(x: Big, step: Big): Big {
  return x.div(step).round(0, Big.roundDown).times(step);
}
