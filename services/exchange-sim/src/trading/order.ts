import Big from 'big.js';
import type { MarketBook, VenueName } from '../model/market';

export type Side = 'buy' | 'sell';

/**
 * Lifecycle inside the sim: `pending` (received, waiting for slowAckMs; not matched yet) → `filled` |
 * `expired` (IOC remainder dropped, with or without fills) | `canceled` (canceled while pending) ;
 * `rejected` orders never reach the engine (kept for the control API only).
 */
export type SimOrderStatus = 'pending' | 'filled' | 'expired' | 'canceled' | 'rejected';

export interface SimFill {
  price: string;
  qty: string;
  /** price × qty, exact. */
  quote: string;
  fee: string;
  feeAsset: string;
  tradeId: number;
  ts: number;
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
  /** Requested base quantity and limit price as decimal strings (canonical). */
  readonly qty: string;
  readonly price: string;
  readonly lots: number;
  readonly limitTick: number;
  readonly createdTs: number;
  status: SimOrderStatus;
  updatedTs: number;
  fills: SimFill[];
  filledQty: Big;
  filledQuote: Big;
  fee: Big;
  feeAsset: string;
  /** What was locked for this order (asset + amount); released when it is final. */
  lockAsset: string;
  lockAmount: Big;
  /** Book update id of the change that consumed liquidity for this order (0: none). */
  bookUpdateId: number;
  rejectReason?: string;
  /** Trading faults injected into this order (control API only): timeout, slowAck, arrivalDelay, lateFill. */
  faults?: string[];
}

export function isFinal(o: SimOrder): boolean {
  return o.status !== 'pending';
}

/** `a3f9...-b` → `a3f9...`; an id without '-' is its own trade. */
export function tradeKeyOf(clientOrderId: string): string {
  const i = clientOrderId.lastIndexOf('-');
  return i > 0 ? clientOrderId.slice(0, i) : clientOrderId;
}

/** The contract's OrderState shape (packages/venues common/trading.ts) plus sim-only fields, for the control API. */
export function controlView(o: SimOrder): Record<string, unknown> {
  const filled = o.filledQty;
  const status = o.status === 'pending' ? 'new' : o.status;
  return {
    venue: o.venue,
    symbol: o.symbol,
    clientOrderId: o.clientOrderId,
    venueOrderId: o.status === 'rejected' ? null : o.orderId,
    side: o.side,
    status,
    final: isFinal(o),
    requestedQty: o.qty,
    limitPrice: o.price,
    filledQty: filled.toFixed(),
    avgPrice: filled.gt(0) ? o.filledQuote.div(filled).toFixed() : null,
    filledQuote: o.filledQuote.toFixed(),
    fee: o.fee.toFixed(),
    feeAsset: o.feeAsset,
    fills: o.fills.map((f) => ({ price: f.price, qty: f.qty, fee: f.fee, feeAsset: f.feeAsset, tradeId: String(f.tradeId) })),
    updatedTs: o.updatedTs,
    createdTs: o.createdTs,
    account: o.accountKey,
    tradeKey: o.tradeKey,
    bookUpdateId: o.bookUpdateId,
    ...(o.rejectReason !== undefined ? { rejectReason: o.rejectReason } : {}),
    ...(o.faults !== undefined ? { faults: o.faults } : {}),
  };
}

/** What a new order is made of (validated, converted to book units). */
export interface OrderInput {
  account: { readonly key: string };
  mb: MarketBook;
  side: Side;
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
    qty: n.qty,
    price: n.price,
    lots: n.lots,
    limitTick: n.limitTick,
    createdTs: now,
    status: 'pending',
    updatedTs: now,
    fills: [],
    filledQty: zero,
    filledQuote: zero,
    fee: zero,
    feeAsset,
    lockAsset: '',
    lockAmount: zero,
    bookUpdateId: 0,
  };
}
