import Big from 'big.js';
import type { Instrument } from '../model/instrument';

export type RuleFailure =
  | 'bad_decimal'
  | 'price_precision'
  | 'price_range'
  | 'qty_precision'
  | 'qty_min'
  | 'qty_max'
  | 'notional_min'
  | 'notional_max';

export type CheckedOrder = { ok: true; lots: number; limitTick: number; qty: string; price: string; notional: Big } | { ok: false; failure: RuleFailure };

const DECIMAL = /^[0-9]{1,20}(\.[0-9]{1,20})?$/;
/** Binance's PRICE_FILTER maxPrice as published by the sim's exchangeInfo. */
export const MAX_PRICE = new Big('1000000');

/** True when `value` is a plain non-negative decimal the sim can parse exactly. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * Validates an order's quantity and limit price against the instrument's rules (tick, step,
 * min/max qty, min/max notional = price × qty) and converts them to book units (lots, ticks).
 */
export function checkOrder(inst: Instrument, qtyText: string, priceText: string): CheckedOrder {
  if (!isDecimal(qtyText) || !isDecimal(priceText)) return { ok: false, failure: 'bad_decimal' };
  const qty = new Big(qtyText);
  const price = new Big(priceText);
  if (price.lte(0) || price.gt(MAX_PRICE)) return { ok: false, failure: 'price_range' };
  const ticks = price.div(inst.tickSize);
  if (!ticks.eq(ticks.round(0, Big.roundDown))) return { ok: false, failure: 'price_precision' };
  if (qty.lt(inst.minQty)) return { ok: false, failure: 'qty_min' };
  if (qty.gt(inst.maxQty)) return { ok: false, failure: 'qty_max' };
  const lots = qty.div(inst.stepSize);
  if (!lots.eq(lots.round(0, Big.roundDown))) return { ok: false, failure: 'qty_precision' };
  const notional = qty.times(price);
  if (notional.lt(inst.minNotional)) return { ok: false, failure: 'notional_min' };
  if (notional.gt(inst.maxNotional)) return { ok: false, failure: 'notional_max' };
  const lotsN = Number(lots.toFixed(0));
  const ticksN = Number(ticks.toFixed(0));
  if (!Number.isSafeInteger(lotsN) || !Number.isSafeInteger(ticksN)) return { ok: false, failure: 'qty_max' };
  return { ok: true, lots: lotsN, limitTick: ticksN, qty: qty.toFixed(), price: price.toFixed(), notional };
}
