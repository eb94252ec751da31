/** Trading rules of one symbol on one venue, normalized (decimal strings). */
export interface InstrumentInfo {
  /** Normalized symbol `BTC-USDT`. */
  readonly symbol: string;
  /** The venue's own name (`BTCUSDT`, `BTC-USDT`). */
  readonly venueSymbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** True when the venue accepts orders now. */
  readonly trading: boolean;
  /** Price increment. */
  readonly tickSize: string;
  /** Quantity increment. */
  readonly stepSize: string;
  readonly minQty: string;
  /** Null when the venue sets no maximum. */
  readonly maxQty: string | null;
  /** Minimum order notional in quote units ("0" when none). */
  readonly minNotional: string;
  readonly maxNotional: string | null;
}
