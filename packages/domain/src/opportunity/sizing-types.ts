import type Big from 'big.js';
import type { MarketRules } from './market-rules';
import type { ExactSide } from './parsed-book';

/** Everything the exact depth walk needs for one directed pair. */
export interface SizingInput {
  /** The buy venue's asks, best (lowest) first. */
  readonly asks: ExactSide;
  /** The sell venue's bids, best (highest) first. */
  readonly bids: ExactSide;
  readonly buy: MarketRules;
  readonly sell: MarketRules;
  /** Max buy notional (quote, at the executed VWAP) of one trade; null = unbounded. */
  readonly riskLimitQuote: Big | null;
  /**
   * Quote available on the buy venue; null = not checked. It must cover what the venue locks for the IOC buy:
   * limit price × size, times (1 + fee) when the fee is charged in quote.
   */
  readonly quoteAvailable: Big | null;
  /** Base available on the sell venue; null = not checked. */
  readonly baseAvailable: Big | null;
  /**
   * Required net edge, bps of buy notional (default 0). The walk maximizes the risk-adjusted profit
   * profit − hurdle × buyNotional: every unit traded must clear the hurdle, so the average net edge of the chosen
   * size does too. With 0 this is the plain net-profit maximum.
   */
  readonly hurdleBps?: Big;
  /** Extra cap on the base size (e.g. the haircut against the touched levels); absent/null = none. */
  readonly maxSize?: Big | null;
}

/** The profit-maximizing feasible trade, every figure exact. */
export interface SizedTrade {
  /** Base size of both legs, a multiple of `lot`. */
  readonly size: Big;
  /** The common lot: least common multiple of both venues' lot steps. */
  readonly lot: Big;
  /** Σ price × size over the asks consumed / bids consumed (quote). */
  readonly buyNotional: Big;
  readonly sellNotional: Big;
  /** Taker fees valued in quote (a buy fee charged in base is valued at the sell VWAP). */
  readonly buyFeeQuote: Big;
  readonly sellFeeQuote: Big;
  /** sellNotional − buyNotional − fees. */
  readonly profitQuote: Big;
  /** profitQuote − hurdle × buyNotional (what the walk maximized); >= 0. */
  readonly objective: Big;
  /** IOC limit prices: the worst level touched on each side (tick-rounded outward only if off tick). */
  readonly buyLimit: Big;
  readonly sellLimit: Big;
  /** Number of levels touched on each side. */
  readonly buyLevels: number;
  readonly sellLevels: number;
}

export type SizingRejection = 'no-edge' | 'below-threshold' | 'below-min-size' | 'no-inventory';

export type SizingResult =
  | { readonly ok: true; readonly trade: SizedTrade }
  | { readonly ok: false; readonly reason: SizingRejection };
