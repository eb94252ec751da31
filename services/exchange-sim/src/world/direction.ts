import Big from 'big.js';
import type { MarketBook } from '../model/market';
import type { FeeFactors } from './fee-factors';
import { tickPrice } from './book-walk';
import type { ReactionSampler } from './reaction';
import type { WindowRecord } from './window-record';

/** The rivals of one symbol (resolved from sim.rivals and its per-symbol overrides). */
export interface RivalSettings {
  readonly share: Big;
  readonly minEdgeBps: number;
  readonly reaction: ReactionSampler;
}

/** Float slack when screening against a threshold, in bps (far above double error on tick × tickValue). */
const SCREEN_EPS_BPS = 1e-6;
const BPS = new Big(10_000);

/**
 * One direction of one symbol: buy on `buy`'s asks, sell on `sell`'s bids. Holds the direction's open window (if
 * any) and its rival's state.
 */
export class Direction {
  /** The open window, or null. */
  window: WindowRecord | null = null;
  /** Float first-unit edge of the window's best snapshot (to screen for a new best cheaply). */
  bestEdgeF = -Infinity;
  /** Whether the rival saw this direction crossed (after its fees) at the last screen. */
  rivalCrossed = false;
  /** Model time of the pending rival sweep (Infinity: none) and the reaction time drawn for it. */
  rivalFireAt = Infinity;
  rivalReactionMs = 0;

  constructor(
    /** Position in the world's list: fixes the order of simultaneous events (determinism). */
    readonly index: number,
    readonly symbol: string,
    readonly buy: MarketBook,
    readonly sell: MarketBook,
    readonly fees: FeeFactors,
    readonly rivalFees: FeeFactors,
    /** null: no rivals on this symbol. */
    readonly rival: RivalSettings | null,
  ) {}

  /** Float net edge of the first unit, bps of the buy price; -Infinity when a side is empty. Screening only. */
  topEdgeF(f: FeeFactors): number {
    const a = this.buy.book.asks[0];
    const b = this.sell.book.bids[0];
    if (a === undefined || b === undefined) return -Infinity;
    const ask = a * this.buy.inst.tickValue;
    return ((b * this.sell.inst.tickValue * f.sellF - ask * f.buyF) / ask) * 10_000;
  }

  /**
   * Whether the first unit's net edge after fees `f` is above `hurdleBps`. The float screen decides when it is
   * clearly on one side; at the boundary the exact prices do.
   */
  crossed(f: FeeFactors, hurdleBps: number): boolean {
    const e = this.topEdgeF(f);
    if (e > hurdleBps + SCREEN_EPS_BPS) return true;
    if (!(e > hurdleBps - SCREEN_EPS_BPS)) return false;
    const ask = tickPrice(this.buy.inst, this.buy.book.asks[0] as number);
    const bid = tickPrice(this.sell.inst, this.sell.book.bids[0] as number);
    return bid.times(f.sell).minus(ask.times(f.buy)).times(BPS).gt(ask.times(hurdleBps));
  }
}
