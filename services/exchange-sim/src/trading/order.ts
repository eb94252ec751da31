import Big from 'big.js';
import type { MarketBook, VenueName } from '../model/market';

export type Side = 'buy' | 'sell';

/** `limit` (GTC/IOC/FOK), `market` (IOC by nature), `limit_maker` (post-only GTC: refused when it would take). */
export type OrderType = 'limit' | 'market' | 'limit_maker';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/**
 * Lifecycle inside the sim: `pending` (received, waiting for slowAckMs; not matched yet) → `open` (resting in the
 * book, possibly partly filled; GTC and post-only orders) | `filled` | `expired` (IOC/FOK/market remainder dropped,
 * with or without fills; a post-only order that would have taken) | `canceled`; `rejected` orders never reach the
 * engine (kept for the control API only).
 */
export type SimOrderStatus = 'pending' | 'open' | 'filled' | 'expired' | 'canceled' | 'rejected';

export interface SimFill {
  price: string;
  qty: string;
  /** price × qty, exact. */
  quote: string;
  fee: string;
  feeAsset: string;
  tradeId: number;
  ts: number;
  /** True when this order was the resting (maker) side of the trade. */
  maker: boolean;
}

export interface SimOrder {
  readonly venue: VenueName;
  /** Binance: decimal order id; Coinbase: UUID. */
  readonly orderId: string;
  readonly clientOrderId: string;
  /** The text before the last '-' of the client order id (the whole id when it has none). */
  readonly tradeKey: string;
  /** Binance API key / Coinbase key name of the owner. */
  readonly accountKey: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  /** A market order sized in quote (Binance quoteOrderQty, Coinbase quote_size): that amount; otherwise null. */
  readonly quoteQty: string | null;
  /**
   * Requested base quantity (canonical decimal string). A quote-sized market order learns it when it executes (the
   * quantity its budget bought or sold).
   */
  qty: string;
  /** Limit price (canonical decimal string); for a market order the protective worst price it may trade at. */
  price: string;
  lots: number;
  limitTick: number;
  readonly createdTs: number;
  status: SimOrderStatus;
  updatedTs: number;
  fills: SimFill[];
  filledLots: number;
  filledQty: Big;
  filledQuote: Big;
  fee: Big;
  feeAsset: string;
  /** What was locked for this order (asset + amount at placement); `lockLeft` is what is still locked. */
  lockAsset: string;
  lockAmount: Big;
  lockLeft: Big;
  /** Book update id of the last change that consumed liquidity for (or from) this order (0: none). */
  bookUpdateId: number;
  rejectReason?: string;
  /** Trading faults injected into this order (control API only): timeout, slowAck, arrivalDelay, lateFill. */
  faults?: string[];
}

export function isFinal(o: SimOrder): boolean {
  return o.status !== 'pending' && o.status !== 'open';
}

/** Lots still to fill. */
export function remainingLots(o: SimOrder): number {
  return o.lots - o.filledLots;
}

/** `a3f9...-b` → `a3f9...`; an id without '-' is its own trade. */
export function tradeKeyOf(clientOrderId: string): string {
  const i = clientOrderId.lastIndexOf('-');
  return i > 0 ? clientOrderId.slice(0, i) : clientOrderId;
}

/** The contract's OrderState status of a sim order. */
function contractStatus(o: SimOrder): string {
  if (o.status === 'pending') return 'new';
  if (o.status === 'open') return o.filledLots > 0 ? 'partially_filled' : 'new';
  return o.status;
}

/** The contract's OrderState shape (packages/venues common/trading.ts) plus sim-only fields, for the control API. */
export function controlView(o: SimOrder): Record<string, unknown> {
  const filled = o.filledQty;
  return {
    venue: o.venue,
    symbol: o.symbol,
    clientOrderId: o.clientOrderId,
    venueOrderId: o.status === 'rejected' ? null : o.orderId,
    side: o.side,
    status: contractStatus(o),
    final: isFinal(o),
    requestedQty: o.qty,
    limitPrice: o.type === 'market' ? null : o.price,
    filledQty: filled.toFixed(),
    avgPrice: filled.gt(0) ? o.filledQuote.div(filled).toFixed() : null,
    filledQuote: o.filledQuote.toFixed(),
    fee: o.fee.toFixed(),
    feeAsset: o.feeAsset,
    fills: o.fills.map((f) => ({ price: f.price, qty: f.qty, fee: f.fee, feeAsset: f.feeAsset, tradeId: String(f.tradeId), maker: f.maker })),
    updatedTs: o.updatedTs,
    createdTs: o.createdTs,
    account: o.accountKey,
    tradeKey: o.tradeKey,
    bookUpdateId: o.bookUpdateId,
    type: o.type,
    timeInForce: o.timeInForce,
    quoteQty: o.quoteQty,
    locked: o.lockLeft.toFixed(),
    ...(o.rejectReason !== undefined ? { rejectReason: o.rejectReason } : {}),
    ...(o.faults !== undefined ? { faults: o.faults } : {}),
  };
}

/** What a new order is made of (validated, converted to book units). */
export interface OrderInput {
  account: { readonly key: string };
  mb: MarketBook;
  side: Side;
  /** Default: a limit IOC order. */
  type?: OrderType;
  timeInForce?: TimeInForce;
  quoteQty?: string | null;
  qty: string;
  price: string;
  lots: number;
  limitTick: number;
  clientOrderId: string;
  orderId: string;
}

/** A fresh pending order (nothing locked or filled yet). */
export function newSimOrder(venue: VenueName, n: OrderInput, feeAsset: string): SimOrder {
  const now = Date.now();
  const zero = new Big(0);
  return {
    venue,
    orderId: n.orderId,
    clientOrderId: n.clientOrderId,
    tradeKey: tradeKeyOf(n.clientOrderId),
    accountKey: n.account.key,
    symbol: n.mb.inst.symbol,
    base: n.mb.inst.base,
    quote: n.mb.inst.quote,
    side: n.side,
    type: n.type ?? 'limit',
    timeInForce: n.timeInForce ?? 'IOC',
    quoteQty: n.quoteQty ?? null,
    qty: n.qty,
    price: n.price,
    lots: n.lots,
    limitTick: n.limitTick,
    createdTs: now,
    status: 'pending',
    updatedTs: now,
    fills: [],
    filledLots: 0,
    filledQty: zero,
    filledQuote: zero,
    fee: zero,
    feeAsset,
    lockAsset: '',
    lockAmount: zero,
    lockLeft: zero,
    bookUpdateId: 0,
  };
}
