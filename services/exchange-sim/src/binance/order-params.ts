import Big from 'big.js';
import type { MarketBook } from '../model/market';
import { decimalsOf } from '../model/scaled';
import { planByLots, planByQuote } from '../trading/market-order';
import { checkNotional, checkOrder, checkQty, type RuleFailure } from '../trading/rules';
import type { OrderType, Side, TimeInForce } from '../trading/order';
import { illegal, mandatory, type BinanceError } from './auth';

/** Binance's order types the sim executes (exchangeInfo `orderTypes` lists exactly these). */
export const BINANCE_ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET'] as const;
export type BinanceOrderType = (typeof BINANCE_ORDER_TYPES)[number];

export interface ParsedBinanceOrder {
  mb: MarketBook;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  /** MARKET with quoteOrderQty: the quote amount. */
  quoteQty: string | null;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  notional: Big;
  clientOrderId: string | null;
  respType: 'ACK' | 'RESULT' | 'FULL';
}

export const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

const bad = (code: number, msg: string): BinanceError => ({ status: 400, code, msg });
export const BAD_SYMBOL = bad(-1121, 'Invalid symbol.');
const notRequired = (name: string): BinanceError => bad(-1106, `Parameter '${name}' sent when not required.`);
/** errors.md, messages of -1010/-2010/-2011 (answered with -1013 by the venue for an order type a symbol lacks). */
const NOT_ENABLED: Record<string, string> = {
  STOP_LOSS: 'Stop loss orders are not supported for this symbol.',
  STOP_LOSS_LIMIT: 'Stop loss limit orders are not supported for this symbol.',
  TAKE_PROFIT: 'Take profit orders are not supported for this symbol.',
  TAKE_PROFIT_LIMIT: 'Take profit limit orders are not supported for this symbol.',
};
/** The venue answers this when the opposite side is empty (the sim's books never are; kept explicit). */
export const NO_LIQUIDITY = { status: 400, code: -2010, msg: 'Market is closed.' } satisfies BinanceError;

const FILTER: Record<Exclude<RuleFailure, 'bad_decimal'>, string> = {
  price_precision: 'PRICE_FILTER',
  price_range: 'PRICE_FILTER',
  qty_precision: 'LOT_SIZE',
  qty_min: 'LOT_SIZE',
  qty_max: 'LOT_SIZE',
  notional_min: 'NOTIONAL',
  notional_max: 'NOTIONAL',
};
const filterFailure = (f: Exclude<RuleFailure, 'bad_decimal'>): BinanceError => bad(-1013, `Filter failure: ${FILTER[f]}`);

function decimalParam(name: string, v: string): BinanceError | null {
  if (!/^[0-9]{1,20}(\.[0-9]{1,20})?$/.test(v)) return illegal(name, DECIMAL_RANGE);
  if (decimalsOf(v) > 8) return bad(-1111, `Parameter '${name}' has too much precision.`);
  return null;
}

/**
 * Validates POST /api/v3/order parameters as Binance does for the order types the sim supports (LIMIT with
 * GTC/IOC/FOK, MARKET by `quantity` or `quoteOrderQty`, LIMIT_MAKER): mandatory parameters (-1102), enums
 * (-1117/-1116/-1115), parameters a type does not take (-1106), order types the symbol does not enable (-1013 with
 * the venue's text), client order id, decimals (at most 8), then the filters (PRICE_FILTER, LOT_SIZE, NOTIONAL) →
 * -1013 "Filter failure: …". A MARKET order is sized against the book now (its worst price bounds what it locks).
 */
export function parseNewOrder(p: Map<string, string>, books: ReadonlyMap<string, MarketBook>): ParsedBinanceOrder | BinanceError {
  for (const name of ['symbol', 'side', 'type']) if (!p.get(name)) return mandatory(name);
  const mb = books.get(p.get('symbol') as string);
  if (!mb) return BAD_SYMBOL;
  const sideText = p.get('side');
  if (sideText !== 'BUY' && sideText !== 'SELL') return bad(-1117, 'Invalid side.');
  const side: Side = sideText === 'BUY' ? 'buy' : 'sell';
  const type = p.get('type') as string;
  if (!['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'].includes(type)) return bad(-1116, 'Invalid orderType.');
  const tif = p.get('timeInForce');
  if (tif !== undefined && !['GTC', 'IOC', 'FOK'].includes(tif)) return bad(-1115, 'Invalid timeInForce.');
  const notEnabled = NOT_ENABLED[type];
  if (notEnabled !== undefined) return bad(-1013, notEnabled);
  if (p.get('icebergQty') !== undefined) return bad(-1013, 'Iceberg orders are not supported for this symbol.');
  for (const name of ['stopPrice', 'trailingDelta']) if (p.get(name) !== undefined) return notRequired(name);
  const cid = p.get('newClientOrderId');
  if (cid !== undefined && !CLIENT_ORDER_ID.test(cid)) return illegal('newClientOrderId', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$');
  const rt = p.get('newOrderRespType') ?? (type === 'LIMIT_MAKER' ? 'ACK' : 'FULL');
  if (rt !== 'ACK' && rt !== 'RESULT' && rt !== 'FULL') return bad(-1100, "Illegal characters found in parameter 'newOrderRespType'; legal range is 'ACK, RESULT, FULL'.");
  const common = { mb, side, clientOrderId: cid ?? null, respType: rt } as const;
  if (type === 'MARKET') return parseMarket(p, common);
  if (type === 'LIMIT' && !tif) return mandatory('timeInForce');
  if (type === 'LIMIT_MAKER' && tif !== undefined) return notRequired('timeInForce');
  if (p.get('quoteOrderQty') !== undefined) return notRequired('quoteOrderQty');
  const qty = p.get('quantity');
  if (!qty) return mandatory('quantity');
  const price = p.get('price');
  if (!price) return mandatory('price');
  const e = decimalParam('quantity', qty) ?? decimalParam('price', price);
  if (e) return e;
  const c = checkOrder(mb.inst, qty, price);
  if (!c.ok) return c.failure === 'bad_decimal' ? illegal('quantity', DECIMAL_RANGE) : filterFailure(c.failure);
  return {
    ...common,
    type: type === 'LIMIT_MAKER' ? 'limit_maker' : 'limit',
    timeInForce: type === 'LIMIT_MAKER' ? 'GTC' : (tif as TimeInForce),
    quoteQty: null,
    qty: c.qty,
    price: c.price,
    lots: c.lots,
    limitTick: c.limitTick,
    notional: c.notional,
  };
}

function parseMarket(p: Map<string, string>, common: Pick<ParsedBinanceOrder, 'mb' | 'side' | 'clientOrderId' | 'respType'>): ParsedBinanceOrder | BinanceError {
  const { mb, side } = common;
  for (const name of ['price', 'timeInForce']) if (p.get(name) !== undefined) return notRequired(name);
  const qty = p.get('quantity');
  const quoteQty = p.get('quoteOrderQty');
  if (!qty && !quoteQty) return bad(-1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
  if (qty && quoteQty) return notRequired('quoteOrderQty');
  const tick = new Big(mb.inst.tickSize);
  if (quoteQty) {
    const e = decimalParam('quoteOrderQty', quoteQty);
    if (e) return e;
    const budget = new Big(quoteQty);
    const n = checkNotional(mb.inst, budget);
    if (n !== null) return filterFailure(n);
    const plan = planByQuote(mb, side, budget);
    if (!plan) return mb.book[side === 'buy' ? 'asks' : 'bids'].length === 0 ? NO_LIQUIDITY : filterFailure('qty_min');
    const planned = new Big(mb.inst.stepSize).times(plan.lots);
    // A buy locks its budget; a sell locks the base the budget sells at the book now.
    return { ...common, type: 'market', timeInForce: 'IOC', quoteQty: budget.toFixed(), qty: planned.toFixed(), price: tick.times(plan.limitTick).toFixed(), lots: plan.lots, limitTick: plan.limitTick, notional: budget };
  }
  const e = decimalParam('quantity', qty as string);
  if (e) return e;
  const q = checkQty(mb.inst, qty as string);
  if (!q.ok) return q.failure === 'bad_decimal' ? illegal('quantity', DECIMAL_RANGE) : filterFailure(q.failure);
  const plan = planByLots(mb, side, q.lots);
  if (!plan) return NO_LIQUIDITY;
  const best = (side === 'buy' ? mb.book.asks[0] : mb.book.bids[0]) as number;
  const n = checkNotional(mb.inst, tick.times(best).times(q.qty));
  if (n !== null) return filterFailure(n);
  const worst = tick.times(plan.limitTick);
  return { ...common, type: 'market', timeInForce: 'IOC', quoteQty: null, qty: q.qty, price: worst.toFixed(), lots: q.lots, limitTick: plan.limitTick, notional: worst.times(q.qty) };
}

export function isBinanceError(v: unknown): v is BinanceError {
  return typeof v === 'object' && v !== null && 'code' in v && 'msg' in v && 'status' in v;
}
