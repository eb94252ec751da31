import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { nowMs } from '../common/clock';
import { avgPriceOf, splitSymbol } from '../common/order-state';
import { ParseError, sampleOf, sampleOfValue } from '../common/parse-error';
import { isFinalStatus, type Balance, type OrderFill, type OrderSide, type OrderState, type OrderStatus } from '../common/trading';
import { dec } from '../common/trading-decimal';
import {
  OrderNotFoundError,
  VenueAuthError,
  VenueError,
  VenueRateLimitError,
  VenueRejectError,
  VenueUnavailableError,
} from '../common/trading-errors';
import { COINBASE_VENUE } from './config';
import {
  AccountsResponse,
  BatchCancelResponse,
  CreateOrderResponse,
  ErrorBody,
  GetOrderResponse,
  ListFillsResponse,
  ListOrdersResponse,
  UserFrame,
  type Fill,
  type HistoricalOrder,
  type UserOrder,
} from './trading-wire';

function lazy<T extends TSchema>(schema: T): () => TypeCheck<T> {
  let c: TypeCheck<T> | undefined;
  return () => (c ??= TypeCompiler.Compile(schema));
}
const createCheck = lazy(CreateOrderResponse);
const getCheck = lazy(GetOrderResponse);
const listCheck = lazy(ListOrdersResponse);
const cancelCheck = lazy(BatchCancelResponse);
const accountsCheck = lazy(AccountsResponse);
const fillsCheck = lazy(ListFillsResponse);
const errorCheck = lazy(ErrorBody);
const userCheck = lazy(UserFrame);

const DECIMAL = /^\d+(\.\d+)?$/;

/** Reads optional decimal fields: absent = 0; present and malformed = noted in `bad` (the caller refuses the body). */
class DecimalFields {
  readonly bad: string[] = [];

  get(name: string, v: string | undefined): string {
    if (v === undefined) return '0';
    if (DECIMAL.test(v)) return dec.canonical(v);
    this.bad.push(`${name} ${JSON.stringify(v.slice(0, 40))}`);
    return '0';
  }
}

/** Coinbase order status → ours; null when unknown. Open-like states are `new` / `partially_filled` by filled size. */
export function coinbaseStatus(status: string, filledQty: string): OrderStatus | null {
  switch (status) {
    case 'FILLED':
      return 'filled';
    case 'CANCELLED':
      return 'canceled';
    case 'EXPIRED':
      return 'expired';
    case 'FAILED':
      return 'rejected';
    case 'PENDING':
    case 'OPEN':
    case 'QUEUED':
    case 'CANCEL_QUEUED':
    case 'EDIT_QUEUED':
    case 'UNKNOWN_ORDER_STATUS':
      return dec.isZero(filledQty) ? 'new' : 'partially_filled';
    default:
      return null;
  }
}

const side = (s: 'BUY' | 'SELL'): OrderSide => (s === 'BUY' ? 'buy' : 'sell');

function timeOf(...isoTimes: ReadonlyArray<string | null | undefined>): number {
  for (const t of isoTimes) {
    if (typeof t !== 'string' || t === '') continue;
    const ms = Date.parse(t);
    if (Number.isFinite(ms) && ms > 0) return ms;
  }
  return nowMs();
}

/** A historical order (get / list answers) → OrderState; fees are in the quote currency. */
export function orderStateFromHistorical(o: HistoricalOrder, symbol: string, fills: OrderFill[] = []): OrderState | ParseError {
  // A malformed amount is refused, never read as 0: a fill reported as nothing would be journaled as nothing.
  const d = new DecimalFields();
  const filledQty = d.get('filled_size', o.filled_size);
  const config = Object.values(o.order_configuration ?? {})[0];
  const avg = d.get('average_filled_price', o.average_filled_price);
  const filledValue = o.filled_value === undefined ? undefined : d.get('filled_value', o.filled_value);
  const fee = d.get('total_fees', o.total_fees);
  const requestedQty = d.get('base_size', config?.base_size);
  if (d.bad.length > 0) return new ParseError(`malformed ${d.bad.join(', ')}`, sampleOfValue(o));
  const status = coinbaseStatus(o.status, filledQty);
  if (status === null) return new ParseError(`unknown order status ${o.status}`, sampleOfValue(o));
  const filledQuote = filledValue ?? dec.mul(avg, filledQty);
  const state: OrderState = {
    venue: COINBASE_VENUE,
    symbol,
    clientOrderId: o.client_order_id,
    venueOrderId: o.order_id,
    side: side(o.side),
    status,
    final: isFinalStatus(status),
    requestedQty,
    filledQty,
    avgPrice: dec.isZero(filledQty) ? null : dec.isZero(avg) ? avgPriceOf(filledQuote, filledQty) : avg,
    filledQuote,
    fee,
    feeAsset: splitSymbol(o.product_id).quote,
    fills,
    updatedTs: timeOf(o.last_fill_time, o.created_time),
  };
  const reason = o.reject_message !== undefined && o.reject_message !== '' ? o.reject_message : o.reject_reason;
  if (status === 'rejected' && reason !== undefined && reason !== '') state.rejectReason = reason;
  return state;
}

/** A `user` channel order → OrderState. `requestedQty` from the placement when known (else filled + leaves). */
export function orderStateFromUserOrder(o: UserOrder, symbol: string, requestedQty?: string): OrderState | ParseError {
  if (![o.cumulative_quantity, o.leaves_quantity, o.avg_price, o.total_fees].every((v) => DECIMAL.test(v))) {
    return new ParseError('bad decimals in user order', sampleOfValue(o));
  }
  const filledQty = dec.canonical(o.cumulative_quantity);
  const status = coinbaseStatus(o.status, filledQty);
  if (status === null) return new ParseError(`unknown order status ${o.status}`, sampleOfValue(o));
  const filledQuote = o.filled_value !== undefined && DECIMAL.test(o.filled_value) ? dec.canonical(o.filled_value) : dec.mul(o.avg_price, filledQty);
  return {
    venue: COINBASE_VENUE,
    symbol,
    clientOrderId: o.client_order_id,
    venueOrderId: o.order_id,
    side: side(o.order_side),
    status,
    final: isFinalStatus(status),
    requestedQty: requestedQty ?? dec.add(filledQty, o.leaves_quantity),
    filledQty,
    avgPrice: dec.isZero(filledQty) ? null : dec.isZero(o.avg_price) ? avgPriceOf(filledQuote, filledQty) : dec.canonical(o.avg_price),
    filledQuote,
    fee: dec.canonical(o.total_fees),
    feeAsset: splitSymbol(o.product_id).quote,
    fills: [],
    updatedTs: nowMs(),
  };
}

export function fillsFromWire(fills: readonly Fill[], quoteAsset: string): OrderFill[] {
  return fills.map((f) => {
    const fill: OrderFill = { price: f.price, qty: f.size, fee: f.commission, feeAsset: quoteAsset };
    const id = f.trade_id ?? f.entry_id;
    if (id !== undefined && id !== '') fill.tradeId = id;
    return fill;
  });
}

function check<T>(ok: boolean, body: unknown, what: string, value: () => T): T | ParseError {
  return ok ? value() : new ParseError(`malformed ${what}`, sampleOfValue(body));
}

export const parseCreateOrder = (b: unknown): CreateOrderResponse | ParseError => check(createCheck().Check(b), b, 'create order answer', () => b as CreateOrderResponse);
export const parseGetOrder = (b: unknown): HistoricalOrder | ParseError => check(getCheck().Check(b), b, 'get order answer', () => (b as { order: HistoricalOrder }).order);
export const parseListOrders = (b: unknown): ListOrdersResponse | ParseError => check(listCheck().Check(b), b, 'list orders answer', () => b as ListOrdersResponse);
export const parseBatchCancel = (b: unknown): BatchCancelResponse | ParseError => check(cancelCheck().Check(b), b, 'batch cancel answer', () => b as BatchCancelResponse);
export function parseFills(b: unknown): Fill[] | ParseError {
  if (!fillsCheck().Check(b)) return new ParseError('malformed fills answer', sampleOfValue(b));
  const bad = b.fills.find((f) => ![f.price, f.size, f.commission].every((v) => DECIMAL.test(v)));
  if (bad !== undefined) return new ParseError(`bad decimals in fill of order ${bad.order_id}`, sampleOfValue(b));
  return b.fills;
}

/** Accounts page → balances per currency (several accounts of one currency are summed) plus paging. */
export function parseAccounts(b: unknown): { balances: Balance[]; hasNext: boolean; cursor: string } | ParseError {
  if (!accountsCheck().Check(b)) return new ParseError('malformed accounts answer', sampleOfValue(b));
  const balances: Balance[] = [];
  for (const a of b.accounts) {
    if (!DECIMAL.test(a.available_balance.value) || (a.hold !== undefined && !DECIMAL.test(a.hold.value))) {
      return new ParseError(`bad decimals in account ${a.currency}`, sampleOfValue(b));
    }
    balances.push({ asset: a.currency, free: dec.canonical(a.available_balance.value), locked: a.hold === undefined ? '0' : dec.canonical(a.hold.value) });
  }
  return { balances, hasNext: b.has_next === true, cursor: b.cursor ?? '' };
}

/** Failure of a create-order answer with `success:false`: the venue's reason code and text. */
export function createFailure(r: CreateOrderResponse): { code: string; message: string } {
  const e = r.error_response;
  const code = e?.error ?? r.failure_reason ?? e?.new_order_failure_reason ?? e?.preview_failure_reason ?? 'UNKNOWN_FAILURE_REASON';
  const message = [e?.message, e?.error_details, e?.new_order_failure_reason, e?.preview_failure_reason].find((m) => m !== undefined && m !== '') ?? code;
  return { code, message };
}

export interface ErrorContext {
  readonly label: string;
  readonly mutating: boolean;
  readonly retryAfterMs: number | null;
  /**
   * The request looked one order up by its id (GET /orders/historical/{order_id}): the venue's own "order not found"
   * answer then means the order does not exist (OrderNotFoundError). Elsewhere, and for any other 404, it does not.
   */
  readonly orderLookup?: boolean;
}

/** The venue's answer for an unknown order id: 404 `{"error":"NOT_FOUND","message":"order with this orderID was not found"}`. */
export function isOrderNotFound(httpStatus: number, body: unknown): boolean {
  if (httpStatus !== 404 || !errorCheck().Check(body) || body.error !== 'NOT_FOUND') return false;
  return [body.message, body.error_details].some((m) => m !== undefined && /\border\b.*\bnot found\b/i.test(m));
}

/**
 * A non-2xx answer → the typed error: 401/403 auth, 429 rate limit, 5xx unavailable, else reject. A 404 is an unknown
 * order (OrderNotFoundError) only when it is the venue's NOT_FOUND answer to an order lookup; any other 404 (a wrong
 * path, a proxy or gateway page) says nothing about the order: VenueUnavailableError (retryable; outcome unknown for
 * an order request), so nobody reads it as "the order never arrived".
 */
export function coinbaseError(httpStatus: number, body: unknown, text: string, ctx: ErrorContext): VenueError {
  const venue = COINBASE_VENUE;
  const e = errorCheck().Check(body) ? body : null;
  const code = e?.error ?? (typeof e?.code === 'string' || typeof e?.code === 'number' ? e.code : null);
  const msg = e?.message ?? e?.error_details ?? sampleOf(text.replace(/\s+/g, ' ').trim(), 200);
  const message = `${venue} ${ctx.label}: HTTP ${httpStatus}${code === null ? '' : ` ${code}`} ${msg}`.trim();
  const d = { venue, code, httpStatus };
  if (httpStatus === 401 || httpStatus === 403) return new VenueAuthError(message, d);
  if (httpStatus === 429) return new VenueRateLimitError(message, { ...d, retryAfterMs: ctx.retryAfterMs });
  if (httpStatus === 404) return ctx.orderLookup === true && isOrderNotFound(httpStatus, body) ? new OrderNotFoundError(message, d) : new VenueUnavailableError(message, { ...d, outcomeUnknown: ctx.mutating });
  if (httpStatus >= 500) return new VenueUnavailableError(message, { ...d, outcomeUnknown: ctx.mutating });
  return new VenueRejectError(message, d);
}

export type CoinbaseUserWsFrame =
  | { readonly kind: 'user'; readonly seq: number; readonly events: UserFrame['events'] }
  | { readonly kind: 'other'; readonly seq: number | null; readonly channel: string; readonly subscribed?: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** A frame's `sequence_num` when it is one (an integer ≥ 0), else null: a bad number must not reset gap detection. */
const seqOf = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

/** One frame of the user WebSocket → typed frame or ParseError (never throws). */
export function parseUserWsFrame(text: string): CoinbaseUserWsFrame | ParseError {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (cause) {
    return new ParseError('not valid JSON', sampleOf(text), {}, { cause });
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return new ParseError('frame is not an object', sampleOf(text));
  const r = root as Record<string, unknown>;
  if (r.type === 'error') return { kind: 'error', message: typeof r.message === 'string' ? r.message : sampleOf(text) };
  if (r.channel === 'user') {
    if (!userCheck().Check(root)) return new ParseError('malformed user frame', sampleOf(text), { seq: seqOf(r.sequence_num) });
    return { kind: 'user', seq: root.sequence_num, events: root.events };
  }
  if (typeof r.channel === 'string') {
    const seq = seqOf(r.sequence_num);
    if (r.channel !== 'subscriptions') return { kind: 'other', seq, channel: r.channel };
    // `{"channel":"subscriptions","events":[{"subscriptions":{"user":[...],"heartbeats":[...]}}]}`: what is active now.
    const subscribed = new Set<string>();
    for (const ev of Array.isArray(r.events) ? (r.events as unknown[]) : []) {
      const subs = typeof ev === 'object' && ev !== null ? (ev as { subscriptions?: unknown }).subscriptions : undefined;
      if (typeof subs === 'object' && subs !== null) for (const k of Object.keys(subs)) subscribed.add(k);
    }
    return { kind: 'other', seq, channel: r.channel, subscribed: [...subscribed] };
  }
  return new ParseError('unrecognized frame', sampleOf(text));
}
