import type { OrderEvent } from '../trading/engine';
import { accountPosition, executionReport } from './order-json';

/**
 * Engine events as Binance User Data Stream events for the owning API key: NEW when the order
 * enters the engine, one TRADE per fill (X = PARTIALLY_FILLED, or FILLED on the last), EXPIRED for
 * an IOC remainder, CANCELED, and `outboundAccountPosition` after the balances moved.
 */
export function binanceUserEvent(e: OrderEvent): { apiKey: string; event: Record<string, unknown> } | null {
  switch (e.type) {
    case 'accepted':
      return { apiKey: e.order.accountKey, event: executionReport(e.order, 'NEW', null, 'NEW', e.order.filledQty, e.order.filledQuote) };
    case 'fill': {
      const o = e.order;
      const status = o.filledQty.eq(o.qty) ? 'FILLED' : 'PARTIALLY_FILLED';
      return { apiKey: o.accountKey, event: executionReport(o, 'TRADE', e.fill, status, o.filledQty, o.filledQuote) };
    }
    case 'done': {
      const o = e.order;
      if (o.status === 'expired') return { apiKey: o.accountKey, event: executionReport(o, 'EXPIRED', null, 'EXPIRED', o.filledQty, o.filledQuote) };
      if (o.status === 'canceled') return { apiKey: o.accountKey, event: executionReport(o, 'CANCELED', null, 'CANCELED', o.filledQty, o.filledQuote) };
      return null;
    }
    case 'balances':
      return { apiKey: e.account.key, event: accountPosition(e.account, e.assets) };
  }
}
