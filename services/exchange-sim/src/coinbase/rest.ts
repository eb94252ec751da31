import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VenueFaults } from '../faults/venue-faults';
import { isoMicros, priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import { requestUrl, sendJson } from '../net/http-util';
import type { VenueStats } from '../net/stats';
import type { Tape } from '../trading/tape';
import { FIAT_CURRENCIES, cryptoCurrencyJson } from './currencies';
import { bookSummary, exchangeRates, marketTradeJson, productJson } from './products';

export interface CoinbaseRestContext {
  readonly books: Map<string, MarketBook>;
  readonly faults: VenueFaults;
  readonly stats: VenueStats;
  readonly tape: Tape;
}

const PREFIX = '/api/v3/brokerage';
const PRODUCT_TYPES = ['SPOT', 'FUTURE', 'UNKNOWN_PRODUCT_TYPE'];

/**
 * Coinbase Advanced Trade public REST (`/api/v3/brokerage/time`, `/market/products[/{id}[/ticker]]`,
 * `/market/product_book`) and the Coinbase App public v2 endpoints clients read at start-up (`/v2/currencies`,
 * `/v2/currencies/crypto`, `/v2/exchange-rates`, `/v2/time`); errors as {error, error_details, message}.
 */
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
  const q = url.searchParams;
  const now = ctx.faults.now();
  if (path === `${PREFIX}/time`) {
    return sendJson(res, 200, { iso: new Date(now).toISOString(), epochSeconds: String(Math.floor(now / 1000)), epochMillis: String(now) });
  }
  if (path === `${PREFIX}/market/products`) {
    const type = q.get('product_type') ?? 'UNKNOWN_PRODUCT_TYPE';
    if (!PRODUCT_TYPES.includes(type)) return fail(400, 'INVALID_ARGUMENT', `invalid product_type ${type}`);
    const ids = new Set(q.getAll('product_ids'));
    // The sim lists spot products only: a FUTURE listing is empty.
    const all = type === 'FUTURE' ? [] : [...ctx.books.values()].filter((mb) => ids.size === 0 || ids.has(mb.inst.symbol));
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    const limit = Number(q.get('limit') ?? 0) || all.length;
    const products = all.slice(offset, offset + limit).map((mb) => productJson(mb, ctx.tape));
    return sendJson(res, 200, { products, num_products: String(products.length) });
  }
  if (path.startsWith(`${PREFIX}/market/products/`)) {
    const rest = decodeURIComponent(path.slice(`${PREFIX}/market/products/`.length));
    const ticker = rest.endsWith('/ticker');
    const mb = ctx.books.get(ticker ? rest.slice(0, -'/ticker'.length) : rest);
    if (!mb) return fail(404, 'NOT_FOUND', 'ProductID is invalid');
    if (!ticker) return sendJson(res, 200, productJson(mb, ctx.tape));
    const limit = Math.min(Math.max(1, Number(q.get('limit') ?? 100) || 100), 1000);
    const top = mb.book.top(1);
    const bid = top.bids[0];
    const ask = top.asks[0];
    return sendJson(res, 200, {
      trades: ctx.tape.recent(mb.inst.symbol, limit).map((p) => marketTradeJson(mb, p)),
      best_bid: bid ? priceStr(mb.inst, bid[0]) : '',
      best_ask: ask ? priceStr(mb.inst, ask[0]) : '',
    });
  }
  if (path === `${PREFIX}/market/product_book`) {
    const id = q.get('product_id') ?? '';
    const mb = ctx.books.get(id);
    if (!mb) return fail(404, 'NOT_FOUND', 'ProductID is invalid');
    const limit = Number(q.get('limit') ?? '0');
    const top = mb.book.top(Number.isInteger(limit) && limit > 0 ? limit : Infinity);
    const lv = ([t, l]: [number, number]) => ({ price: priceStr(mb.inst, t), size: qtyStr(mb.inst, l) });
    return sendJson(res, 200, {
      pricebook: { product_id: id, bids: top.bids.map(lv), asks: top.asks.map(lv), time: isoMicros(ctx.faults.preciseNow()) },
      ...bookSummary(mb, ctx.tape),
    });
  }
  if (path === '/v2/currencies') return sendJson(res, 200, { data: FIAT_CURRENCIES });
  if (path === '/v2/currencies/crypto') {
    const codes = new Set<string>();
    for (const mb of ctx.books.values()) codes.add(mb.inst.base).add(mb.inst.quote);
    return sendJson(res, 200, { data: [...codes].sort().map((c, i) => cryptoCurrencyJson(c, i + 1)) });
  }
  if (path === '/v2/exchange-rates') {
    const currency = (q.get('currency') ?? 'USD').toUpperCase();
    const rates = exchangeRates([...ctx.books.values()], currency);
    if (!rates) return sendJson(res, 400, { errors: [{ id: 'invalid_request', message: `Invalid currency (${currency})` }] });
    return sendJson(res, 200, { data: { currency, rates } });
  }
  if (path === '/v2/time') return sendJson(res, 200, { data: { iso: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), epoch: Math.floor(now / 1000) } });
  return fail(404, 'NOT_FOUND', `unknown endpoint ${path}`);
}
