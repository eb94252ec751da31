import type { IncomingMessage, ServerResponse } from 'node:http';
import { crossLevels } from '../faults/crossed-depth';
import type { VenueFaults } from '../faults/venue-faults';
import type { Instrument } from '../model/instrument';
import type { MarketBook } from '../model/market';
import { requestUrl, sendJson } from '../net/http-util';
import type { VenueStats } from '../net/stats';
import { depthSnapshot } from './events';
import { exchangeInfo } from './exchange-info';
import type { OrderCountLimiter } from './order-count';
import { depthWeight, type WeightLimiter } from './weight-limiter';

export interface BinanceRestContext {
  /** Books by Binance symbol (BTCUSDT). */
  readonly books: Map<string, MarketBook>;
  readonly limiter: WeightLimiter;
  /** Only its configured ORDERS limits are read here (exchangeInfo `rateLimits`). */
  readonly orderCounts: OrderCountLimiter;
  readonly faults: VenueFaults;
  readonly stats: VenueStats;
}

const ERR = {
  internal: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  badSymbol: { code: -1121, msg: 'Invalid symbol.' },
};

/** Binance Spot public REST: ping, time, exchangeInfo, depth (and the futures hosts' empty exchangeInfo); errors as {code,msg}. */
export function handleBinanceRest(ctx: BinanceRestContext, req: IncomingMessage, res: ServerResponse): void {
  const { stats, limiter } = ctx;
  stats.restRequests++;
  const url = requestUrl(req);
  const fail = (status: number, body: { code: number; msg: string }, headers: Record<string, string> = {}): void => {
    if (status === 429) stats.rest429++;
    else if (status >= 500) stats.rest5xx++;
    else stats.rest4xx++;
    sendJson(res, status, body, headers);
  };
  const fault = ctx.faults.restFault();
  if (fault === 429) {
    return fail(429, { code: -1003, msg: `Too much request weight used; current limit is ${limiter.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.` }, { 'retry-after': '1' });
  }
  if (fault === 503) return fail(503, ERR.internal);
  if (req.method !== 'GET') return fail(405, { code: -1000, msg: 'Method not allowed.' });
  const q = url.searchParams;
  let weight = 1;
  let body: string | (() => string) | null = null;
  switch (url.pathname) {
    case '/api/v3/ping':
      body = '{}';
      break;
    case '/api/v3/time':
      body = () => JSON.stringify({ serverTime: ctx.faults.now() });
      break;
    case '/api/v3/exchangeInfo': {
      weight = 20;
      const wanted = requestedSymbols(q);
      if (wanted === 'bad') return fail(400, { code: -1100, msg: "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'." });
      const insts: Instrument[] = [];
      for (const s of wanted ?? [...ctx.books.keys()]) {
        const mb = ctx.books.get(s);
        if (!mb) return fail(400, ERR.badSymbol);
        insts.push(mb.inst);
      }
      body = () => JSON.stringify(exchangeInfo(insts, limiter.limitPerMinute, ctx.orderCounts.rateLimits(), ctx.faults.now()));
      break;
    }
    case '/fapi/v1/exchangeInfo':
    case '/dapi/v1/exchangeInfo':
      // The futures hosts' exchangeInfo, for clients that load every market type: the sim lists no futures.
      weight = 1;
      body = () => JSON.stringify({ ...exchangeInfo([], limiter.limitPerMinute, [], ctx.faults.now()), assets: [] });
      break;
    case '/api/v3/depth': {
      const symbol = q.get('symbol');
      if (!symbol) return fail(400, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
      const rawLimit = q.get('limit');
      let limit = 100;
      if (rawLimit !== null) {
        if (!/^[0-9]{1,20}$/.test(rawLimit) || Number(rawLimit) < 1) {
          return fail(400, { code: -1100, msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'." });
        }
        limit = Math.min(Number(rawLimit), 5000);
      }
      weight = depthWeight(limit);
      const mb = ctx.books.get(symbol);
      if (!mb) return fail(400, ERR.badSymbol);
      stats.depthSnapshots++;
      const crossed = ctx.faults.crossedDepth();
      body = () => {
        if (crossed) stats.crossedDepthServed++;
        const top = mb.book.top(limit);
        return depthSnapshot(mb.inst, mb.book.updateId, crossed ? crossLevels(top) : top);
      };
      break;
    }
    default:
      return fail(404, { code: -1000, msg: `Unknown endpoint ${url.pathname}.` });
  }
  const ok = limiter.take(weight);
  const headers = { 'x-mbx-used-weight': String(limiter.used), 'x-mbx-used-weight-1m': String(limiter.used) };
  if (!ok) {
    return fail(429, { code: -1003, msg: `Too much request weight used; current limit is ${limiter.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.` }, { ...headers, 'retry-after': String(limiter.retryAfterS()) });
  }
  sendJson(res, 200, typeof body === 'function' ? body() : body, headers);
}

function requestedSymbols(q: URLSearchParams): string[] | null | 'bad' {
  const one = q.get('symbol');
  if (one !== null) return [one];
  const many = q.get('symbols');
  if (many === null) return null;
  try {
    const v: unknown = JSON.parse(many);
    if (Array.isArray(v) && v.every((s): s is string => typeof s === 'string')) return v;
  } catch {
    // fall through
  }
  return 'bad';
}
