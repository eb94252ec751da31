import type { InstrumentInfo } from './instrument';
import type { OrderSide } from './trading';
import { dec } from './trading-decimal';
import { VenueRejectError } from './trading-errors';

export interface OrderRulesOptions {
  /**
   * A limit price that is not a multiple of the tick size: `reject` (default: prices come from the venue's own book,
   * so an off-tick price is a bug) or `conservative` (buy rounds down, sell rounds up: never a worse limit).
   */
  readonly priceRounding?: 'reject' | 'conservative';
}

/** The order as it will be sent, after the venue's trading rules were applied. */
export interface CheckedOrder {
  /** Quantity rounded DOWN to the step size. */
  readonly qty: string;
  readonly price: string;
  /** qty × price. */
  readonly notional: string;
}

/**
 * Applies a symbol's trading rules BEFORE anything is sent: quantity rounded down to the step, price on the tick,
 * min/max quantity, min/max notional, trading status. Throws VenueRejectError (code `FILTER_*`, nothing sent).
 */
export function applyOrderRules(
  venue: string,
  rules: InstrumentInfo,
  side: OrderSide,
  qty: string,
  price: string,
  options: OrderRulesOptions = {},
): CheckedOrder {
  const reject = (code: string, message: string): never => {
    throw new VenueRejectError(`${venue} ${rules.symbol}: ${message} (not sent)`, { venue, code });
  };
  if (!rules.trading) reject('FILTER_NOT_TRADING', 'symbol is not trading');
  if (!dec.isPositive(qty)) reject('FILTER_BAD_QTY', `quantity ${JSON.stringify(qty)} is not a positive decimal`);
  if (!dec.isPositive(price)) reject('FILTER_BAD_PRICE', `price ${JSON.stringify(price)} is not a positive decimal`);

  const q = dec.floorToStep(qty, rules.stepSize);
  if (dec.isZero(q)) reject('FILTER_LOT_SIZE', `quantity ${qty} rounds down to 0 at step ${rules.stepSize}`);
  if (dec.cmp(q, rules.minQty) < 0) reject('FILTER_MIN_QTY', `quantity ${q} is below the minimum ${rules.minQty}`);
  if (rules.maxQty !== null && dec.cmp(q, rules.maxQty) > 0) reject('FILTER_MAX_QTY', `quantity ${q} is above the maximum ${rules.maxQty}`);

  let p = dec.canonical(price);
  if (!dec.isMultipleOf(p, rules.tickSize)) {
    if ((options.priceRounding ?? 'reject') === 'reject') reject('FILTER_PRICE_TICK', `price ${price} is not a multiple of the tick ${rules.tickSize}`);
    p = side === 'buy' ? dec.floorToStep(p, rules.tickSize) : dec.ceilToStep(p, rules.tickSize);
    if (dec.isZero(p)) reject('FILTER_PRICE_TICK', `price ${price} rounds to 0 at tick ${rules.tickSize}`);
  }

  const notional = dec.mul(q, p);
  if (dec.cmp(notional, rules.minNotional) < 0) reject('FILTER_MIN_NOTIONAL', `notional ${notional} is below the minimum ${rules.minNotional}`);
  if (rules.maxNotional !== null && dec.cmp(notional, rules.maxNotional) > 0) {
    reject('FILTER_MAX_NOTIONAL', `notional ${notional} is above the maximum ${rules.maxNotional}`);
  }
  return { qty: q, price: p, notional };
}
