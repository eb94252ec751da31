import type Big from 'big.js';
import { bigMax, bigMin, ceilToStep, floorToStep, ZERO } from './big-math';
import type { SizedTrade, SizingInput } from './sizing-types';

/**
 * One segment of the joint walk: sizes in (s0, e] fill ask level `i` of the buy venue and bid level `j` of the sell
 * venue, so both limit prices are constant and every notional is linear in size.
 */
export interface Segment {
  readonly s0: Big;
  readonly e: Big;
  readonly i: number;
  readonly j: number;
  readonly askP: Big;
  readonly bidP: Big;
  /** Cumulative size / notional of the levels before `i` (asks) and `j` (bids). */
  readonly aCumS: Big;
  readonly aCumN: Big;
  readonly bCumS: Big;
  readonly bCumN: Big;
  readonly buyLimit: Big;
  readonly sellLimit: Big;
}

/** The exact bound checks and solutions of one sizing problem (see `optimizeSize`). */
export class SizingBounds {
  constructor(
    private readonly input: SizingInput,
    readonly lot: Big,
    private readonly kb: Big,
    private readonly ks: Big,
    private readonly hurdle: Big | null,
    private readonly minS: Big,
    private readonly maxS: Big | null,
  ) {}

  buyNotional(g: Segment, s: Big): Big {
    return g.aCumN.plus(s.minus(g.aCumS).times(g.askP));
  }

  sellNotional(g: Segment, s: Big): Big {
    return g.bCumN.plus(s.minus(g.bCumS).times(g.bidP));
  }

  /** Max size, risk limit (buy notional) and quote inventory (limit × size × buyFactor) at size `s` in `g`. */
  uppersOk(g: Segment, s: Big): boolean {
    const { riskLimitQuote: R, quoteAvailable: Q } = this.input;
    return (this.maxS === null || s.lte(this.maxS)) && (R === null || this.buyNotional(g, s).lte(R)) && (Q === null || s.times(g.buyLimit).times(this.kb).lte(Q));
  }

  /** Min size and both min notionals (limit × size) at size `s` in `g`. */
  lowersOk(g: Segment, s: Big): boolean {
    const { buy, sell } = this.input;
    return s.gte(this.minS) && s.times(g.buyLimit).gte(buy.minNotional) && s.times(g.sellLimit).gte(sell.minNotional);
  }

  /** Largest lot point in (−∞, e] of `g` meeting every upper bound (may be <= s0: none in the segment). */
  solveUpper(g: Segment): Big {
    const { riskLimitQuote: R, quoteAvailable: Q } = this.input;
    let h = g.e;
    if (this.maxS !== null && h.gt(this.maxS)) h = this.maxS;
    if (R !== null && this.buyNotional(g, h).gt(R)) h = bigMin(h, g.aCumS.plus(R.minus(g.aCumN).div(g.askP)));
    if (Q !== null && h.times(g.buyLimit).times(this.kb).gt(Q)) h = bigMin(h, Q.div(g.buyLimit.times(this.kb)));
    h = floorToStep(bigMax(h, ZERO), this.lot);
    while (h.gt(g.s0) && !this.uppersOk(g, h)) h = h.minus(this.lot);
    return h;
  }

  /** Smallest lot point in (s0, h] of `g` meeting every lower bound, or null. */
  firstLower(g: Segment, h: Big): Big | null {
    const { buy, sell } = this.input;
    if (sell.minNotional.gt(0) && g.sellLimit.lte(0)) return null;
    let lo = floorToStep(g.s0, this.lot).plus(this.lot);
    if (lo.lte(h) && this.lowersOk(g, lo)) return lo;
    lo = bigMax(lo, ceilToStep(this.minS, this.lot));
    if (buy.minNotional.gt(0)) lo = bigMax(lo, ceilToStep(buy.minNotional.div(g.buyLimit), this.lot));
    if (sell.minNotional.gt(0)) lo = bigMax(lo, ceilToStep(sell.minNotional.div(g.sellLimit), this.lot));
    while (lo.lte(h) && !this.lowersOk(g, lo)) lo = lo.plus(this.lot);
    return lo.lte(h) ? lo : null;
  }

  /**
   * The largest feasible lot point of the rising part of the walk: from the last segment (ending at `capH` when a
   * bound capped it, else at its end) backwards. Min size and buy min notional only grow with size, so failing them
   * ends the search; only the sell min notional (whose limit falls as the walk deepens) sends it further back.
   */
  lastFeasible(segs: readonly Segment[], capH: Big | null): [Segment, Big] | null {
    const { buy, sell } = this.input;
    for (let k = segs.length - 1; k >= 0; k--) {
      const g = segs[k] as Segment;
      const h = k === segs.length - 1 && capH !== null ? capH : floorToStep(g.e, this.lot);
      if (h.lte(g.s0)) continue;
      if (h.lt(this.minS) || h.times(g.buyLimit).lt(buy.minNotional)) return null;
      if (h.times(g.sellLimit).gte(sell.minNotional)) return [g, h];
    }
    return null;
  }

  trade(g: Segment, s: Big): SizedTrade {
    const { buy, sell } = this.input;
    const bn = this.buyNotional(g, s);
    const sn = this.sellNotional(g, s);
    const profitQuote = sn.times(this.ks).minus(bn.times(this.kb));
    return {
      size: s,
      lot: this.lot,
      buyNotional: bn,
      sellNotional: sn,
      buyFeeQuote: buy.buyFeeAsset === 'base' ? sn.times(buy.takerFee) : bn.times(buy.takerFee),
      sellFeeQuote: sn.times(sell.takerFee),
      profitQuote,
      objective: this.hurdle === null ? profitQuote : profitQuote.minus(bn.times(this.hurdle)),
      buyLimit: g.buyLimit,
      sellLimit: g.sellLimit,
      buyLevels: g.i + 1,
      sellLevels: g.j + 1,
    };
  }
}
