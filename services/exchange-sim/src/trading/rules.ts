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
export type CheckedQty = { ok: true; lots: number; qty: string } | { ok: false; failure: RuleFailure };

const DECIMAL = /^[0-9]{1,20}(\.[0-9]{1,20})?$/;
/** Binance's PRICE_FILTER maxPrice as published by the sim's exchangeInfo. */
export const MAX_PRICE = new Big('1000000');

/** True when `value` is a plain non-negative decimal the sim can parse exactly. */
export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/** A base quantity against the instrument's rules (min/max, step) → lots. */
export function checkQty(inst: Instrument, qtyText: string): CheckedQty {
  if (!isDecimal(qtyText)) return { ok: false, failure: 'bad_decimal' };
  const qty = new Big(qtyText);
  if (qty.lt(inst.minQty)) return { ok: false, failure: 'qty_min' };
  if (qty.gt(inst.maxQty)) return { ok: false, failure: 'qty_max' };
  const lots = qty.div(inst.stepSize);
  if (!lots.eq(lots.round(0, Big.roundDown))) return { ok: false, failure: 'qty_precision' };
  const lotsN = Number(lots.toFixed(0));
  if (!Number.isSafeInteger(lotsN)) return { ok: false, failure: 'qty_max' };
  return { ok: true, lots: lotsN, qty: qty.toFixed() };
}

/** A quote amount (price × qty, or a quote-sized order's budget) against min/max notional; null when it passes. */
export function checkNotional(inst: Instrument, notional: Big): 'notional_min' | 'notional_max' | null {
  if (notional.lt(inst.minNotional)) return 'notional_min';
  if (notional.gt(inst.maxNotional)) return 'notional_max';
  return null;
}

/**
 * Validates an order's quantity and limit price against the instrument's rules (tick, step,
 * min/max qty, min/max notional = price × qty) and converts them to book units (lots, ticks).
 */
export function checkOrder(inst: Instrument, qtyText: string, priceText: string): CheckedOrder {
  if (!isDecimal(qtyText) || !isDecimal(priceText)) return { ok: false, failure: 'bad_decimal' };
  const price = new Big(priceText);
  if (price.lte(0) || price.gt(MAX_PRICE)) return { ok: false, failure: 'price_range' };
  const ticks = price.div(inst.tickSize);
  if (!ticks.eq(ticks.round(0, Big.roundDown))) return { ok: false, failure: 'price_precision' };
  const q = checkQty(inst, qtyText);
  if (!q.ok) return q;
  const notional = new Big(q.qty).times(price);
  const n = checkNotional(inst, notional);
  if (n !== null) return { ok: false, failure: n };
  const ticksN = Number(ticks.toFixed(0));
  if (!Number.isSafeInteger(ticksN)) return { ok: false, failure: 'qty_max' };
  return { ok: true, lots: q.lots, limitTick: ticksN, qty: q.qty, price: price.toFixed(), notional };
}
