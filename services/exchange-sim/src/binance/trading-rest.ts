import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../net/http-util';
import { BERR, checkTimestamp, mandatory, signedPayload, verifySignature, type BinanceError } from './auth';
import { accountJson, cancelOrderJson, queryOrderJson } from './order-json';
import { myTradesWeight, parseMyTrades, selectTrades } from './my-trades';
import { BAD_SYMBOL, isBinanceError } from './order-params';
import { ORDER_ERR as ERR, findOrder, placeOrder, randomId } from './order-routes';
import { capitalConfigJson } from './wallet-json';
import type { BinanceTradingContext } from './trading-context';

export const TRADING_PATHS = new Set([
  '/api/v3/order',
  '/api/v3/account',
  '/api/v3/openOrders',
  '/api/v3/myTrades',
  '/api/v3/rateLimit/order',
  '/sapi/v1/capital/config/getall',
  '/sapi/v1/margin/allPairs',
  '/sapi/v1/margin/isolated/allPairs',
]);

/** MARKET_DATA endpoints: the API key is checked, a signature is not needed (one that is sent is ignored). */
const KEY_ONLY = new Set(['GET /sapi/v1/margin/allPairs']);

type Weight = number | ((params: ReadonlyMap<string, string>) => number);
const WEIGHTS: Record<string, Weight> = {
  'POST /api/v3/order': 1,
  'GET /api/v3/order': 4,
  'DELETE /api/v3/order': 1,
  'GET /api/v3/account': 20,
  'GET /api/v3/openOrders': 6,
  'GET /api/v3/myTrades': myTradesWeight,
  'GET /api/v3/rateLimit/order': 40,
  'GET /sapi/v1/capital/config/getall': 10,
  'GET /sapi/v1/margin/allPairs': 1,
  'GET /sapi/v1/margin/isolated/allPairs': 10,
};

/**
 * Binance Spot signed endpoints (HMAC-SHA256 keys): POST/GET/DELETE /api/v3/order, GET /api/v3/openOrders,
 * GET /api/v3/account, GET /api/v3/myTrades, GET /api/v3/rateLimit/order; and the wallet/margin endpoints clients
 * call at start-up: GET /sapi/v1/capital/config/getall (the account's coins), /sapi/v1/margin/allPairs and
 * /sapi/v1/margin/isolated/allPairs (empty: the sim has no margin trading).
 */
export async function handleBinanceTrading(ctx: BinanceTradingContext, req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<void> {
  const { stats, limiter } = ctx;
  stats.restRequests++;
  /** Order counts (set for POST /api/v3/order once the account is known). */
  let orderCountHeaders: Record<string, string> = {};
  const headers = (): Record<string, string> => ({ 'x-mbx-used-weight': String(limiter.used), 'x-mbx-used-weight-1m': String(limiter.used), ...orderCountHeaders });
  const fail = (e: BinanceError, kind: string | null = null, extra: Record<string, string> = {}): void => {
    if (e.status === 429) stats.rest429++;
    else if (e.status >= 500) stats.rest5xx++;
    else stats.rest4xx++;
    if (kind) ctx.badInput(kind);
    sendJson(res, e.status, { code: e.code, msg: e.msg }, { ...headers(), ...extra });
  };
  const route = `${req.method ?? 'GET'} ${path}`;
  const weight = WEIGHTS[route];
  if (weight === undefined) return fail({ status: 405, code: -1000, msg: 'Method not allowed.' }, 'bad_method');
  const refused = ctx.trading.faults.refusal();
  if (refused !== null) {
    const msg =
      refused.status === 418
        ? `Way too much request weight used; IP banned until ${ctx.now() + refused.retryAfterS * 1000}. Please use WebSocket Streams for live updates to avoid bans.`
        : `Too much request weight used; current limit is ${limiter.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`;
    return fail({ status: refused.status, code: -1003, msg }, null, { 'retry-after': String(refused.retryAfterS) });
  }
  let body = '';
  try {
    body = await readBody(req);
  } catch {
    return fail({ status: 400, code: -1000, msg: 'An unknown error occurred while processing the request.' }, 'bad_body');
  }
  const { payload, signature, params } = signedPayload(rawQuery, body);
  const apiKey = req.headers['x-mbx-apikey'];
  if (typeof apiKey !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(apiKey)) return fail(BERR.badKeyFormat, 'auth_key_format');
  const key = ctx.keys.get(apiKey);
  const account = ctx.trading.accounts.get(apiKey);
  if (key === undefined || !account) return fail(BERR.rejectedKey, 'auth_unknown_key');
  if (!KEY_ONLY.has(route)) {
    if (!signature) return fail(mandatory('signature'), 'auth_no_signature');
    if (!verifySignature(key, payload, signature)) return fail(BERR.badSignature, 'auth_bad_signature');
    const clock = checkTimestamp(params.get('timestamp'), params.get('recvWindow'), ctx.now());
    if (clock) return fail(clock, 'auth_timestamp');
  }
  if (route === 'POST /api/v3/order') orderCountHeaders = ctx.orderCounts.headers(account.key);
  if (!limiter.take(typeof weight === 'number' ? weight : weight(params))) {
    return fail({ status: 429, code: -1003, msg: `Too much request weight used; current limit is ${limiter.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.` }, null, {
      'retry-after': String(limiter.retryAfterS()),
    });
  }
  const ok = (json: Record<string, unknown>): void => sendJson(res, 200, json, headers());
  const { fees } = ctx.trading.engine;
  if (route === 'GET /api/v3/account') return ok(accountJson(account, fees.rate, fees.makerRate, params.get('omitZeroBalances') === 'true'));
  if (route === 'GET /sapi/v1/capital/config/getall') return sendJson(res, 200, capitalConfigJson(account, ctx.books), headers());
  if (route === 'GET /sapi/v1/margin/allPairs' || route === 'GET /sapi/v1/margin/isolated/allPairs') return sendJson(res, 200, [], headers());
  if (route === 'POST /api/v3/order') return placeOrder(ctx, account, params, res, ok, fail, (h) => (orderCountHeaders = h));
  if (route === 'GET /api/v3/rateLimit/order') return sendJson(res, 200, ctx.orderCounts.usage(account.key), headers());
  if (route === 'GET /api/v3/myTrades') {
    const q = parseMyTrades(params, ctx.books);
    if (isBinanceError(q)) return fail(q, 'bad_my_trades');
    return sendJson(res, 200, selectTrades(ctx.trading.engine.orders, account.key, q), headers());
  }
  if (route === 'GET /api/v3/openOrders') {
    const sym = params.get('symbol');
    const mb = sym === undefined ? undefined : ctx.books.get(sym);
    if (sym !== undefined && !mb) return fail(BAD_SYMBOL);
    const open = ctx.trading.engine.openOrders(account.key).filter((o) => !mb || o.symbol === mb.inst.symbol);
    return sendJson(res, 200, open.reverse().map(queryOrderJson), headers());
  }
  const found = findOrder(ctx, account, params);
  if (isBinanceError(found)) return fail(found, 'bad_order_query');
  if (route === 'GET /api/v3/order') return found ? ok(queryOrderJson(found)) : fail(ERR.noSuchOrder);
  if (!found || !ctx.trading.engine.cancel(found, account)) return fail(ERR.unknownOrder);
  ok(cancelOrderJson(found, params.get('newClientOrderId') ?? randomId()));
}
