import type Big from 'big.js';
import type { Account } from '../trading/account';
import type { OrderEvent } from '../trading/engine';
import type { SimFill, SimOrder } from '../trading/order';
import { binancePrice, binanceTif, binanceType, f8, origQuoteQty, STP_MODE } from './order-json';
import { binanceSymbol } from './streams';

/**
 * Engine events as Binance User Data Stream events for the owning API key: NEW when the order
 * enters the engine, one TRADE per fill (X = PARTIALLY_FILLED, or FILLED on the last; `m` true when it
 * was the maker: a resting order filled later), EXPIRED for an IOC/FOK/market remainder (or a post-only
 * order that would have taken), CANCELED, and `outboundAccountPosition` after the balances moved.
 * Event times `E` are `nowMs`, the venue's clock.
 */
export function binanceUserEvent(e: OrderEvent, nowMs: number): { apiKey: string; event: Record<string, unknown> } | null {
  switch (e.type) {
    case 'accepted':
      return { apiKey: e.order.accountKey, event: executionReport(e.order, 'NEW', null, 'NEW', e.order.filledQty, e.order.filledQuote, nowMs) };
    case 'fill': {
      const o = e.order;
      const status = o.filledQty.eq(o.qty) ? 'FILLED' : 'PARTIALLY_FILLED';
      return { apiKey: o.accountKey, event: executionReport(o, 'TRADE', e.fill, status, o.filledQty, o.filledQuote, nowMs) };
    }
    case 'done': {
      const o = e.order;
      if (o.status === 'expired') return { apiKey: o.accountKey, event: executionReport(o, 'EXPIRED', null, 'EXPIRED', o.filledQty, o.filledQuote, nowMs) };
      if (o.status === 'canceled') return { apiKey: o.accountKey, event: executionReport(o, 'CANCELED', null, 'CANCELED', o.filledQty, o.filledQuote, nowMs) };
      return null;
    }
    case 'balances':
      return { apiKey: e.account.key, event: accountPosition(e.account, e.assets, nowMs) };
    case 'open':
    case 'trade':
      return null;
  }
}

/** User Data Stream `executionReport` for one step of an order's life. */
function executionReport(o: SimOrder, exec: 'NEW' | 'TRADE' | 'EXPIRED' | 'CANCELED', fill: SimFill | null, status: string, cumQty: Big, cumQuote: Big, now: number): Record<string, unknown> {
  return {
    e: 'executionReport',
    E: now,
    s: binanceSymbol(o.symbol),
    c: o.clientOrderId,
    S: o.side === 'buy' ? 'BUY' : 'SELL',
    o: binanceType(o),
    f: binanceTif(o),
    q: f8(o.qty),
    p: binancePrice(o),
    P: '0.00000000',
    F: '0.00000000',
    g: -1,
    C: exec === 'CANCELED' ? o.clientOrderId : '',
    x: exec,
    X: status,
    r: 'NONE',
    i: Number(o.orderId),
    l: fill ? f8(fill.qty) : '0.00000000',
    z: f8(cumQty),
    L: fill ? f8(fill.price) : '0.00000000',
    n: fill ? f8(fill.fee) : '0',
    N: fill ? fill.feeAsset : null,
    T: fill ? fill.ts : o.updatedTs,
    t: fill ? fill.tradeId : -1,
    I: 0,
    w: o.status === 'open' || (exec === 'NEW' && o.timeInForce === 'GTC' && o.type !== 'market'),
    m: fill?.maker === true,
    M: fill !== null,
    O: o.createdTs,
    Z: f8(cumQuote),
    Y: fill ? f8(fill.quote) : '0.00000000',
    Q: origQuoteQty(o),
    W: o.createdTs,
    V: STP_MODE,
  };
}

/** User Data Stream `outboundAccountPosition` for the given assets. */
function accountPosition(account: Account, assets: string[], now: number): Record<string, unknown> {
  return {
    e: 'outboundAccountPosition',
    E: now,
    u: account.updatedTs,
    B: [...new Set(assets)].map((a) => {
      const b = account.balance(a);
      return { a, f: f8(b.free), l: f8(b.locked) };
    }),
  };
}
