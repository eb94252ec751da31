import Big from 'big.js';
import type { MarketBook } from '../model/market';
import { planByLots, planByQuote } from '../trading/market-order';
import { checkNotional, checkOrder, checkQty, isDecimal, type RuleFailure } from '../trading/rules';
import type { OrderType, Side, TimeInForce } from '../trading/order';
import { decimalsOf } from '../model/scaled';

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
  postOnly: f('INVALID_LIMIT_PRICE_POST_ONLY', 'Limit price is not valid for a post only order', 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY', 'INVALID_LIMIT_PRICE_POST_ONLY'),
  noLiquidity: f('INVALID_NO_LIQUIDITY', 'No liquidity', 'PREVIEW_INVALID_NO_LIQUIDITY', 'INVALID_NO_LIQUIDITY'),
  quotePrecision: f('INVALID_QUOTE_SIZE_PRECISION', 'Too many decimals in order quote size', 'PREVIEW_INVALID_QUOTE_SIZE_PRECISION'),
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

/** The order configurations the sim executes (anything else: UNSUPPORTED_ORDER_CONFIGURATION). */
export const CB_CONFIGS = ['market_market_ioc', 'sor_limit_ioc', 'limit_limit_gtc', 'limit_limit_fok'] as const;

export interface ParsedCbOrder {
  clientOrderId: string;
  productId: string;
  side: Side;
  /** The request's order_configuration, echoed in the answer. */
  configuration: unknown;
  mb: MarketBook;
  type: OrderType;
  timeInForce: TimeInForce;
  /** market_market_ioc with quote_size: the amount. */
  quoteQty: string | null;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  notional: Big;
}

type CbFailed = { failure: CbFailure; clientOrderId: string; productId: string; side: string; configuration: unknown };

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * POST /api/v3/brokerage/orders body → one of the configurations the sim executes (`sor_limit_ioc`,
 * `limit_limit_gtc` with `post_only`, `limit_limit_fok`, `market_market_ioc` by `base_size` or `quote_size`), a
 * business failure (answered 200 success:false), or a malformed request (400). A post-only order that would take
 * now is refused (INVALID_LIMIT_PRICE_POST_ONLY); a market order is sized against the book now.
 */
export function parseCreateOrder(body: unknown, books: ReadonlyMap<string, MarketBook>, wouldTake: (mb: MarketBook, side: Side, tick: number) => boolean): ParsedCbOrder | CbFailed | CbBadRequest {
  const b = obj(body);
  if (!b) return { badRequest: 'body must be a JSON object' };
  const clientOrderId = b.client_order_id;
  const productId = b.product_id;
  const sideText = b.side;
  if (typeof clientOrderId !== 'string' || clientOrderId.length === 0 || clientOrderId.length > 128) return { badRequest: 'client_order_id is required' };
  if (typeof productId !== 'string') return { badRequest: 'product_id is required' };
  if (typeof sideText !== 'string') return { badRequest: 'side is required' };
  const configuration = b.order_configuration;
  const failed = (failure: CbFailure): CbFailed => ({ failure, clientOrderId, productId, side: sideText, configuration });
  const mb = books.get(productId);
  if (!mb) return failed(CB_FAIL.product);
  if (sideText !== 'BUY' && sideText !== 'SELL') return failed(CB_FAIL.side);
  const side: Side = sideText === 'BUY' ? 'buy' : 'sell';
  const cfg = obj(configuration);
  const kinds = cfg ? Object.keys(cfg) : [];
  const kind = kinds[0];
  if (!cfg || kinds.length !== 1 || !(CB_CONFIGS as readonly string[]).includes(kind as string)) return failed(CB_FAIL.config);
  const c = obj(cfg[kind as string]);
  if (!c) return { badRequest: `${kind as string} must be an object` };
  const common = { clientOrderId, productId, side, configuration, mb };
  if (kind === 'market_market_ioc') {
    const m = parseMarket(c, mb, side);
    return 'badRequest' in m ? m : 'failure' in m ? failed(m.failure) : { ...common, ...m };
  }
  const { base_size: size, limit_price: price, post_only: postOnly } = c;
  if (c.quote_size !== undefined) return failed(CB_FAIL.config);
  if (typeof size !== 'string' || typeof price !== 'string') return { badRequest: `${kind as string} needs base_size and limit_price strings` };
  if (postOnly !== undefined && typeof postOnly !== 'boolean') return { badRequest: 'post_only must be a boolean' };
  const checked = checkOrder(mb.inst, size, price);
  if (!checked.ok) return checked.failure === 'bad_decimal' ? { badRequest: 'base_size and limit_price must be decimal strings' } : failed(RULES[checked.failure]);
  const maker = kind === 'limit_limit_gtc' && postOnly === true;
  if (maker && wouldTake(mb, side, checked.limitTick)) return failed(CB_FAIL.postOnly);
  const timeInForce: TimeInForce = kind === 'sor_limit_ioc' ? 'IOC' : kind === 'limit_limit_fok' ? 'FOK' : 'GTC';
  return { ...common, type: maker ? 'limit_maker' : 'limit', timeInForce, quoteQty: null, qty: checked.qty, price: checked.price, lots: checked.lots, limitTick: checked.limitTick, notional: checked.notional };
}

type MarketFields = Pick<ParsedCbOrder, 'type' | 'timeInForce' | 'quoteQty' | 'qty' | 'price' | 'lots' | 'limitTick' | 'notional'>;

function parseMarket(c: Record<string, unknown>, mb: MarketBook, side: Side): MarketFields | { failure: CbFailure } | CbBadRequest {
  const { base_size: base, quote_size: quote } = c;
  if ((base === undefined) === (quote === undefined)) return { badRequest: 'market_market_ioc needs exactly one of base_size and quote_size' };
  const size = (base ?? quote) as unknown;
  if (typeof size !== 'string' || !isDecimal(size)) return { badRequest: 'base_size / quote_size must be decimal strings' };
  const tick = new Big(mb.inst.tickSize);
  if (quote !== undefined) {
    if (decimalsOf(size) > decimalsOf(mb.inst.tickSize)) return { failure: CB_FAIL.quotePrecision };
    const budget = new Big(size);
    const n = checkNotional(mb.inst, budget);
    if (n !== null) return { failure: RULES[n] };
    const plan = planByQuote(mb, side, budget);
    if (!plan) return { failure: CB_FAIL.noLiquidity };
    const qty = new Big(mb.inst.stepSize).times(plan.lots).toFixed();
    return { type: 'market', timeInForce: 'IOC', quoteQty: budget.toFixed(), qty, price: tick.times(plan.limitTick).toFixed(), lots: plan.lots, limitTick: plan.limitTick, notional: budget };
  }
  const q = checkQty(mb.inst, size);
  if (!q.ok) return q.failure === 'bad_decimal' ? { badRequest: 'base_size must be a decimal string' } : { failure: RULES[q.failure] };
  const plan = planByLots(mb, side, q.lots);
  if (!plan) return { failure: CB_FAIL.noLiquidity };
  const worst = tick.times(plan.limitTick);
  return { type: 'market', timeInForce: 'IOC', quoteQty: null, qty: q.qty, price: worst.toFixed(), lots: q.lots, limitTick: plan.limitTick, notional: worst.times(q.qty) };
}
