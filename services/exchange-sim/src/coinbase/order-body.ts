import type Big from 'big.js';
import type { MarketBook } from '../model/market';
import { checkOrder, type RuleFailure } from '../trading/rules';
import type { Side } from '../trading/order';

/** A business failure of POST /orders: HTTP 200 with `success: false` and this `error_response`. */
export interface CbFailure {
  error: string;
  message: string;
  preview: string;
  newOrder: string;
}

/** A request the API refuses outright (HTTP 400 INVALID_ARGUMENT). */
export interface CbBadRequest {
  badRequest: string;
}

const f = (error: string, message: string, preview: string, newOrder = 'UNKNOWN_FAILURE_REASON'): CbFailure => ({ error, message, preview, newOrder });

export const CB_FAIL = {
  product: f('INVALID_PRODUCT_ID', 'Invalid product_id', 'PREVIEW_INVALID_PRODUCT_ID', 'INVALID_PRODUCT_ID'),
  side: f('INVALID_SIDE', 'Invalid side', 'PREVIEW_INVALID_SIDE', 'INVALID_SIDE'),
  config: f('UNSUPPORTED_ORDER_CONFIGURATION', 'Unsupported order configuration', 'PREVIEW_INVALID_ORDER_CONFIG', 'UNSUPPORTED_ORDER_CONFIGURATION'),
  insufficient: f('INSUFFICIENT_FUND', 'Insufficient balance in source account', 'PREVIEW_INSUFFICIENT_FUND'),
  rejected: f('COMMANDER_REJECTED_NEW_ORDER', 'Order rejected', 'UNKNOWN_PREVIEW_FAILURE_REASON', 'COMMANDER_REJECTED_NEW_ORDER'),
} satisfies Record<string, CbFailure>;

const RULES: Record<Exclude<RuleFailure, 'bad_decimal'>, CbFailure> = {
  price_precision: f('INVALID_LIMIT_PRICE_PRECISION', 'Too many decimals in order price', 'PREVIEW_INVALID_LIMIT_PRICE_PRECISION', 'INVALID_PRICE_PRECISION'),
  price_range: f('INVALID_LIMIT_PRICE', 'Invalid limit price', 'PREVIEW_INVALID_LIMIT_PRICE', 'INVALID_LIMIT_PRICE'),
  qty_precision: f('INVALID_SIZE_PRECISION', 'Too many decimals in order amount', 'PREVIEW_INVALID_SIZE_PRECISION', 'INVALID_SIZE_PRECISION'),
  qty_min: f('INVALID_BASE_SIZE_TOO_SMALL', 'Order size is too small', 'PREVIEW_INVALID_BASE_SIZE_TOO_SMALL'),
  qty_max: f('INVALID_BASE_SIZE_TOO_LARGE', 'Order size is too large', 'PREVIEW_INVALID_BASE_SIZE_TOO_LARGE'),
  notional_min: f('INVALID_QUOTE_SIZE_TOO_SMALL', 'Order notional is too small', 'PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL'),
  notional_max: f('INVALID_QUOTE_SIZE_TOO_LARGE', 'Order notional is too large', 'PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE'),
};

export interface ParsedCbOrder {
  clientOrderId: string;
  productId: string;
  side: Side;
  /** The request's order_configuration, echoed in the answer. */
  configuration: unknown;
  mb: MarketBook;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  notional: Big;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * POST /api/v3/brokerage/orders body → a sor_limit_ioc order (the only configuration the sim
 * executes), a business failure (answered 200 success:false), or a malformed request (400).
 */
export function parseCreateOrder(body: unknown, books: ReadonlyMap<string, MarketBook>): ParsedCbOrder | { failure: CbFailure; clientOrderId: string; productId: string; side: string; configuration: unknown } | CbBadRequest {
  const b = obj(body);
  if (!b) return { badRequest: 'body must be a JSON object' };
  const clientOrderId = b.client_order_id;
  const productId = b.product_id;
  const side = b.side;
  if (typeof clientOrderId !== 'string' || clientOrderId.length === 0 || clientOrderId.length > 128) return { badRequest: 'client_order_id is required' };
  if (typeof productId !== 'string') return { badRequest: 'product_id is required' };
  if (typeof side !== 'string') return { badRequest: 'side is required' };
  const configuration = b.order_configuration;
  const failed = (failure: CbFailure) => ({ failure, clientOrderId, productId, side, configuration });
  const mb = books.get(productId);
  if (!mb) return failed(CB_FAIL.product);
  if (side !== 'BUY' && side !== 'SELL') return failed(CB_FAIL.side);
  const cfg = obj(configuration);
  const ioc = obj(cfg?.sor_limit_ioc);
  if (!cfg || !ioc || Object.keys(cfg).length !== 1) return failed(CB_FAIL.config);
  const { base_size: size, limit_price: price } = ioc;
  if (typeof size !== 'string' || typeof price !== 'string') return { badRequest: 'sor_limit_ioc needs base_size and limit_price strings' };
  const c = checkOrder(mb.inst, size, price);
  if (!c.ok) return c.failure === 'bad_decimal' ? { badRequest: 'base_size and limit_price must be decimal strings' } : failed(RULES[c.failure]);
  return { clientOrderId, productId, side: side === 'BUY' ? 'buy' : 'sell', configuration, mb, qty: c.qty, price: c.price, lots: c.lots, limitTick: c.limitTick, notional: c.notional };
}
