import Big from 'big.js';
import type { TradingConfig } from '../config/trading-schema';
import type { VenueName } from '../model/market';
import type { Side } from './order';

/**
 * Taker fee model of a venue. `feeInQuote(side)`: Binance's default charges the RECEIVED asset
 * (base on buys, quote on sells); Coinbase always charges quote. Fees are per fill, rounded DOWN
 * to `decimals`, so the amount locked at placement always covers them.
 */
export class FeePolicy {
  readonly rate: Big;

  constructor(
    rate: string,
    readonly decimals: number,
    private readonly mode: 'received' | 'quote',
  ) {
    this.rate = new Big(rate);
  }

  feeInQuote(side: Side): boolean {
    return this.mode === 'quote' || side === 'sell';
  }

  feeAsset(side: Side, base: string, quote: string): string {
    return this.feeInQuote(side) ? quote : base;
  }

  /** Fee of one fill: on its quote amount, or on its base quantity. */
  fee(side: Side, qty: Big, quoteAmount: Big): Big {
    const on = this.feeInQuote(side) ? quoteAmount : qty;
    return on.times(this.rate).round(this.decimals, Big.roundDown);
  }

  /** What a new order locks: buys lock quote (notional, plus the fee when charged in quote), sells lock base. */
  lockFor(side: Side, qty: Big, notional: Big, base: string, quote: string): { asset: string; amount: Big } {
    if (side === 'sell') return { asset: base, amount: qty };
    return { asset: quote, amount: this.feeInQuote('buy') ? notional.plus(notional.times(this.rate)) : notional };
  }
}

/** The fee policy `sim.trading.<venue>` configures (a venue without a `commission` key charges quote). */
export function venueFeePolicy(trading: TradingConfig, venue: VenueName): FeePolicy {
  const t: TradingConfig[VenueName] & { commission?: 'received' | 'quote' } = trading[venue];
  return new FeePolicy(t.takerFee, t.feeDecimals, t.commission ?? 'quote');
}
