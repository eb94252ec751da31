import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VenueFaults } from '../faults/venue-faults';
import { isoMicros, priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import { requestUrl, sendJson } from '../net/http-util';
import type { VenueStats } from '../net/stats';
import { productJson } from './products';

export interface CoinbaseRestContext {
  readonly books: Map<string, MarketBook>;
  readonly faults: VenueFaults;
  readonly stats: VenueStats;
}

const PREFIX = '/api/v3/brokerage';

/** Coinbase Advanced Trade public REST; errors as {error, error_details, message}. */
export function handleCoinbaseRest(ctx: CoinbaseRestContext, req: IncomingMessage, res: ServerResponse): void {
  const { stats } = ctx;
  stats.restRequests++;
  const fail = (status: number, error: string, details: string): void => {
    if (status === 429) stats.rest429++;
    else if (status >= 500) stats.rest5xx++;
    else stats.rest4xx++;
    sendJson(res, status, { error, error_details: details, message: details });
  };
  const fault = ctx.faults.restFault();
  if (fault === 429) return fail(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests');
  if (fault === 503) return fail(503, 'UNAVAILABLE', 'Service temporarily unavailable');
  if (req.method !== 'GET') return fail(405, 'METHOD_NOT_ALLOWED', 'method not allowed');
  const url = requestUrl(req);
  const path = url.pathname;
  if (path === `${PREFIX}/time`) {
    const now = ctx.faults.now();
    return sendJson(res, 200, { iso: new Date(now).toISOString(), epochSeconds: String(Math.floor(now / 1000)), epochMillis: String(now) });
  }
  if (path === `${PREFIX}/market/products`) {
    const products = [...ctx.books.values()].map((mb) => productJson(mb.inst, mb.book));
    return sendJson(res, 200, { products, num_products: products.length });
  }
  if (path.startsWith(`${PREFIX}/market/products/`)) {
    const id = decodeURIComponent(path.slice(`${PREFIX}/market/products/`.length));
    const mb = ctx.books.get(id);
    if (!mb) return fail(404, 'NOT_FOUND', 'ProductID is invalid');
    return sendJson(res, 200, productJson(mb.inst, mb.book));
  }
  if (path === `${PREFIX}/market/product_book`) {
    const id = url.searchParams.get('product_id') ?? '';
    const mb = ctx.books.get(id);
    if (!mb) return fail(404, 'NOT_FOUND', 'ProductID is invalid');
    const limit = Number(url.searchParams.get('limit') ?? '0');
    const top = mb.book.top(Number.isInteger(limit) && limit > 0 ? limit : Infinity);
    const lv = ([t, l]: [number, number]) => ({ price: priceStr(mb.inst, t), size: qtyStr(mb.inst, l) });
    return sendJson(res, 200, {
      pricebook: { product_id: id, bids: top.bids.map(lv), asks: top.asks.map(lv), time: isoMicros(ctx.faults.preciseNow()) },
    });
  }
  return fail(404, 'NOT_FOUND', `unknown endpoint ${path}`);
}
