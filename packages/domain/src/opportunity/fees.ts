import type Big from 'big.js';
import { ONE } from './big-math';
import type { MarketRules } from './market-rules';

/**
 * How taker fees enter the profit of buying on `buy` and selling on `sell` the same base size:
 *
 *   profitQuote = sellNotional × sellFactor − buyNotional × buyFactor
 *
 * - buy fee in quote (default): buyFactor = 1 + fb, sellFactor = 1 − fs
 * - buy fee in base: the buy leg receives size × (1 − fb); that base shortfall is valued at the sell price, so
 *   buyFactor = 1, sellFactor = 1 − fs − fb.
 *
 * `buyFactor` is also what the buy venue's quote balance must cover per unit of notional.
 */
export interface FeeFactors {
  readonly buyFactor: Big;
  readonly sellFactor: Big;
  /** Float copies, for the pre-screen only. */
  readonly buyFactorF: number;
  readonly sellFactorF: number;
}

/** Float fee factors only (no big.js work): what the pre-screen needs on every pair. */
export function screenFeeFactors(buy: MarketRules, sell: MarketRules): { buyFactorF: number; sellFactorF: number } {
  const baseFee = buy.buyFeeAsset === 'base';
  return {
    buyFactorF: baseFee ? 1 : 1 + buy.takerFeeF,
    sellFactorF: baseFee ? 1 - sell.takerFeeF - buy.takerFeeF : 1 - sell.takerFeeF,
  };
}

export function feeFactors(buy: MarketRules, sell: MarketRules): FeeFactors {
  const baseFee = buy.buyFeeAsset === 'base';
  const buyFactor = baseFee ? ONE : ONE.plus(buy.takerFee);
  const sellFactor = baseFee ? ONE.minus(sell.takerFee).minus(buy.takerFee) : ONE.minus(sell.takerFee);
  return { buyFactor, sellFactor, ...screenFeeFactors(buy, sell) };
}
