import Big from 'big.js';

/**
 * How taker fees enter the profit of buying `size` on one venue and selling it on another (the detector's model,
 * packages/domain opportunity/fees.ts):
 *
 *   profit = sellNotional × sell − buyNotional × buy
 *
 * - buy fee charged in quote: buy = 1 + fb, sell = 1 − fs
 * - buy fee charged in base (Binance's default, the received asset): the bought size is short by fb, valued at the
 *   sell price: buy = 1, sell = 1 − fs − fb.
 */
export interface FeeFactors {
  readonly buy: Big;
  readonly sell: Big;
  /** Float copies: only to screen (never to size or price). */
  readonly buyF: number;
  readonly sellF: number;
  /** The rates and the buy fee's asset, as configured (for the record). */
  readonly buyRate: string;
  readonly sellRate: string;
  readonly buyFeeIn: 'base' | 'quote';
}

const ONE = new Big(1);

export function feeFactors(buyRate: Big, buyFeeInBase: boolean, sellRate: Big): FeeFactors {
  const buy = buyFeeInBase ? ONE : ONE.plus(buyRate);
  const sell = buyFeeInBase ? ONE.minus(sellRate).minus(buyRate) : ONE.minus(sellRate);
  return {
    buy,
    sell,
    buyF: Number(buy.toString()),
    sellF: Number(sell.toString()),
    buyRate: buyRate.toFixed(),
    sellRate: sellRate.toFixed(),
    buyFeeIn: buyFeeInBase ? 'base' : 'quote',
  };
}
