import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { nowMs } from '../common/clock';
import { avgPriceOf, feeOfFills, splitSymbol } from '../common/order-state';
import { ParseError, sampleOf, sampleOfValue } from '../common/parse-error';
import { isFinalStatus, type Balance, type OrderFill, type OrderSide, type OrderState, type OrderStatus } from '../common/trading';
import { dec } from '../common/trading-decimal';
import {
  ClockSkewError,
  OrderNotFoundError,
  VenueAuthError,
  VenueError,
  VenueRateLimitError,
  VenueRejectError,
  VenueTimeoutError,
  VenueUnavailableError,
} from '../common/trading-errors';
import { BINANCE_VENUE } from './config';
import { Account, ApiError, ExecutionReport, MyTrades, OrderWire, ServerTime, WsApiEvent, WsApiResponse, type MyTrade } from './trading-wire';

function lazy<T extends TSchema>(schema: T): () => TypeCheck<T> {
  let c: TypeCheck<T> | undefined;
  return () => (c ??= TypeCompiler.Compile(schema));
}
const orderCheck = lazy(OrderWire);
const accountCheck = lazy(Account);
const errorCheck = lazy(ApiError);
const timeCheck = lazy(ServerTime);
const tradesCheck = lazy(MyTrades);
const wsResponseCheck = lazy(WsApiResponse);
const wsEventCheck = lazy(WsApiEvent);
const execCheck = lazy(ExecutionReport);

const STATUS: Readonly<Record<string, OrderStatus>> = {
  NEW: 'new',
  PENDING_NEW: 'new',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELED: 'canceled',
  PENDING_CANCEL: 'partially_filled',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
};

/** Binance order status → ours; null for an unknown value. PENDING_CANCEL counts as still open. */
export function binanceStatus(status: string, executedQty: string): OrderStatus | null {
  const s = STATUS[status];
  if (s === undefined) return null;
  if (s === 'partially_filled' && status === 'PENDING_CANCEL' && dec.isZero(executedQty)) return 'new';
  return s;
}

const side = (s: 'BUY' | 'SELL'): OrderSide => (s === 'BUY' ? 'buy' : 'sell');

/** Fee asset when nothing filled yet: Binance charges the received asset by default. */
function receivedAsset(symbol: string, orderSide: OrderSide): string {
  const { base, quote } = splitSymbol(symbol);
  return orderSide === 'buy' ? base : quote;
}

function decimalsOk(...values: string[]): boolean {
  return values.every((v) => /^\d+(\.\d+)?$/.test(v));
}

/** New-order / query / cancel body → OrderState (symbol is the normalized name the caller asked about). */
export function parseOrderBody(body: unknown, symbol: string): OrderState | ParseError {
  if (!orderCheck().Check(body)) return new ParseError('malformed order body', sampleOfValue(body));
  const o = body;
  if (!decimalsOk(o.origQty, o.executedQty, o.cummulativeQuoteQty) || (o.fills ?? []).some((f) => !decimalsOk(f.price, f.qty, f.commission))) {
    return new ParseError('bad decimals in order body', sampleOfValue(body));
  }
  const status = binanceStatus(o.status, o.executedQty);
  if (status === null) return new ParseError(`unknown order status ${o.status}`, sampleOfValue(body));
  const orderSide = side(o.side);
  const fills: OrderFill[] = (o.fills ?? []).map((f) => {
    const fill: OrderFill = { price: f.price, qty: f.qty, fee: f.commission, feeAsset: f.commissionAsset };
    if (f.tradeId !== undefined) fill.tradeId = String(f.tradeId);
    return fill;
  });
  const { fee, feeAsset } = feeOfFills(fills, receivedAsset(symbol, orderSide));
  return {
    venue: BINANCE_VENUE,
    symbol,
    clientOrderId: o.origClientOrderId ?? o.clientOrderId,
    venueOrderId: String(o.orderId),
    side: orderSide,
    status,
    final: isFinalStatus(status),
    requestedQty: dec.canonical(o.origQty),
    filledQty: dec.canonical(o.executedQty),
    avgPrice: avgPriceOf(o.cummulativeQuoteQty, o.executedQty),
    filledQuote: dec.canonical(o.cummulativeQuoteQty),
    fee,
    feeAsset,
    fills,
    updatedTs: o.updateTime ?? o.transactTime ?? o.time ?? nowMs(),
  };
}

export function parseAccount(body: unknown): Balance[] | ParseError {
  if (!accountCheck().Check(body)) return new ParseError('malformed account body', sampleOfValue(body));
  const bad = body.balances.find((b) => !decimalsOk(b.free, b.locked));
  if (bad !== undefined) return new ParseError(`bad decimals in balance of ${bad.asset}`, sampleOfValue(body));
  return body.balances.map((b) => ({ asset: b.asset, free: b.free, locked: b.locked }));
}

export function parseServerTime(body: unknown): number | ParseError {
  if (!timeCheck().Check(body)) return new ParseError('malformed time body', sampleOfValue(body));
  return body.serverTime;
}

export function parseMyTrades(body: unknown): MyTrade[] | ParseError {
  if (!tradesCheck().Check(body)) return new ParseError('malformed myTrades body', sampleOfValue(body));
  const bad = body.find((t) => !decimalsOk(t.price, t.qty, t.commission));
  if (bad !== undefined) return new ParseError(`bad decimals in trade ${bad.id}`, sampleOfValue(body));
  return body;
}

export function fillsFromTrades(trades: readonly MyTrade[]): OrderFill[] {
  return trades.map((t) => ({ price: t.price, qty: t.qty, fee: t.commission, feeAsset: t.commissionAsset, tradeId: String(t.id) }));
}

/** An executionReport → the order's state as of this event (its fills: just this event's fill, if it is a trade). */
export function orderStateFromReport(ev: ExecutionReport, symbol: string): OrderState | ParseError {
  // Decimals first: the status mapping reads `z` (PENDING_CANCEL with nothing filled is `new`).
  if (!decimalsOk(ev.q, ev.z, ev.Z, ev.l, ev.L, ev.n ?? '0')) return new ParseError('bad decimals in executionReport', sampleOfValue(ev));
  const status = binanceStatus(ev.X, ev.z);
  if (status === null) return new ParseError(`unknown order status ${ev.X}`, sampleOfValue(ev));
  const orderSide = side(ev.S);
  const fills: OrderFill[] = [];
  if (ev.x === 'TRADE' && !dec.isZero(ev.l)) {
    const fill: OrderFill = { price: ev.L, qty: ev.l, fee: ev.n ?? '0', feeAsset: ev.N ?? '' };
    if (ev.t !== undefined && ev.t >= 0) fill.tradeId = String(ev.t);
    fills.push(fill);
  }
  const { fee, feeAsset } = feeOfFills(fills, receivedAsset(symbol, orderSide));
  // A cancel carries the order's own id in `C` and the cancel request's id in `c`.
  const clientOrderId = ev.X === 'CANCELED' && typeof ev.C === 'string' && ev.C !== '' ? ev.C : ev.c;
  const state: OrderState = {
    venue: BINANCE_VENUE,
    symbol,
    clientOrderId,
    venueOrderId: String(ev.i),
    side: orderSide,
    status,
    final: isFinalStatus(status),
    requestedQty: dec.canonical(ev.q),
    filledQty: dec.canonical(ev.z),
    avgPrice: avgPriceOf(ev.Z, ev.z),
    filledQuote: dec.canonical(ev.Z),
    fee,
    feeAsset,
    fills,
    updatedTs: ev.T,
  };
  if (status === 'rejected' && ev.r !== undefined && ev.r !== 'NONE') state.rejectReason = ev.r;
  return state;
}

export type WsApiFrame =
  | { readonly kind: 'response'; readonly response: WsApiResponse }
  | { readonly kind: 'executionReport'; readonly report: ExecutionReport }
  | { readonly kind: 'streamTerminated' }
  | { readonly kind: 'otherEvent'; readonly type: string };

/** One WebSocket API text frame → typed frame or ParseError (never throws). */
export function parseWsApiFrame(text: string): WsApiFrame | ParseError {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (cause) {
    return new ParseError('not valid JSON', sampleOf(text), {}, { cause });
  }
  if (typeof root === 'object' && root !== null && 'event' in root) {
    if (!wsEventCheck().Check(root)) return new ParseError('malformed event frame', sampleOf(text));
    const ev = root.event;
    if (ev.e === 'executionReport') {
      if (!execCheck().Check(ev)) return new ParseError('malformed executionReport', sampleOf(text));
      return { kind: 'executionReport', report: ev };
    }
    if (ev.e === 'eventStreamTerminated') return { kind: 'streamTerminated' };
    return { kind: 'otherEvent', type: ev.e };
  }
  if (wsResponseCheck().Check(root)) return { kind: 'response', response: root };
  return new ParseError('unrecognized frame', sampleOf(text));
}

export interface ErrorContext {
  readonly label: string;
  readonly mutating: boolean;
  readonly retryAfterMs: number | null;
  readonly timeoutMs: number;
}

const AUTH_CODES = new Set([-1002, -1022, -2014, -2015]);

/**
 * A failed answer (HTTP status + Binance `{code,msg}` when present) → the typed error. Venue messages are included
 * (they carry no secrets); the label never contains the query string.
 */
export function binanceError(httpStatus: number, body: unknown, text: string, ctx: ErrorContext): VenueError {
  const venue = BINANCE_VENUE;
  const api = errorCheck().Check(body) ? body : null;
  const code = api?.code ?? null;
  const msg = api?.msg ?? sampleOf(text.trim(), 200);
  const message = `${venue} ${ctx.label}: HTTP ${httpStatus}${code === null ? '' : ` ${code}`} ${msg}`.trim();
  const d = { venue, code, httpStatus };
  if (httpStatus === 418) return new VenueRateLimitError(message, { ...d, retryAfterMs: ctx.retryAfterMs, banned: true });
  if (httpStatus === 429 || code === -1003 || code === -1015) return new VenueRateLimitError(message, { ...d, retryAfterMs: ctx.retryAfterMs });
  if (code === -1021) return new ClockSkewError(message, d);
  if ((code !== null && AUTH_CODES.has(code)) || httpStatus === 401) return new VenueAuthError(message, d);
  if (code === -2013 || (code === -2011 && /unknown order/i.test(msg))) return new OrderNotFoundError(message, d);
  if (code === -1007) return new VenueTimeoutError(message, { ...d, timeoutMs: ctx.timeoutMs });
  if (code === -1008) return new VenueUnavailableError(message, { ...d, outcomeUnknown: false });
  if (httpStatus >= 500 || code === -1000 || code === -1001 || code === -1006) {
    // rest-api.md: 5XX = execution status UNKNOWN, except the explicit "not processed" answers.
    const notProcessed = /service unavailable|unable to process your request/i.test(msg) || code === -1001;
    return new VenueUnavailableError(message, { ...d, outcomeUnknown: ctx.mutating && !notProcessed });
  }
  return new VenueRejectError(message, d);
}
