import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MarketBook } from '../model/market';
import { readBody, sendJson } from '../net/http-util';
import type { VenueStats } from '../net/stats';
import type { Account } from '../trading/account';
import type { SimOrder } from '../trading/order';
import type { VenueTrading } from '../trading/venue-trading';
import { BERR, checkTimestamp, mandatory, signatureMatches, signedPayload, type BinanceError } from './auth';
import { accountJson, cancelOrderJson, newOrderJson, queryOrderJson } from './order-json';
import { BAD_SYMBOL, isBinanceError, parseNewOrder } from './order-params';
import type { WeightLimiter } from './weight-limiter';

export interface BinanceTradingContext {
  readonly trading: VenueTrading;
  /** HMAC secrets by API key. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Books by Binance symbol (BTCUSDT). */
  readonly books: ReadonlyMap<string, MarketBook>;
  readonly limiter: WeightLimiter;
  readonly stats: VenueStats;
  readonly badInput: (kind: string) => void;
  nextOrderId(): number;
}

export const TRADING_PATHS = new Set(['/api/v3/order', '/api/v3/account', '/api/v3/openOrders']);

const WEIGHTS: Record<string, number> = { 'POST /api/v3/order': 1, 'GET /api/v3/order': 4, 'DELETE /api/v3/order': 1, 'GET /api/v3/account': 20, 'GET /api/v3/openOrders': 6 };
const ERR = {
  internal: { status: 503, code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  duplicate: { status: 400, code: -2010, msg: 'Duplicate order sent.' },
  insufficient: { status: 400, code: -2010, msg: 'Account has insufficient balance for requested action.' },
  closed: { status: 400, code: -2010, msg: 'Market is closed.' },
  noSuchOrder: { status: 400, code: -2013, msg: 'Order does not exist.' },
  unknownOrder: { status: 400, code: -2011, msg: 'Unknown order sent.' },
  eitherId: { status: 400, code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" },
} satisfies Record<string, BinanceError>;

/** Binance Spot signed endpoints: POST/GET/DELETE /api/v3/order, GET /api/v3/openOrders, GET /api/v3/account (HMAC-SHA256 keys). */
export async function handleBinanceTrading(ctx: BinanceTradingContext, req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string): Promise<void> {
  const { stats, limiter } = ctx;
  stats.restRequests++;
  const headers = (): Record<string, string> => ({ 'x-mbx-used-weight': String(limiter.used), 'x-mbx-used-weight-1m': String(limiter.used) });
  const fail = (e: BinanceError, kind: string | null = null): void => {
    if (e.status === 429) stats.rest429++;
    else if (e.status >= 500) stats.rest5xx++;
    else stats.rest4xx++;
    if (kind) ctx.badInput(kind);
    sendJson(res, e.status, { code: e.code, msg: e.msg }, headers());
  };
  const route = `${req.method ?? 'GET'} ${path}`;
  const weight = WEIGHTS[route];
  if (weight === undefined) return fail({ status: 405, code: -1000, msg: 'Method not allowed.' }, 'bad_method');
  let body = '';
  try {
    body = await readBody(req);
  } catch {
    return fail({ status: 400, code: -1000, msg: 'An unknown error occurred while processing the request.' }, 'bad_body');
  }
  const { payload, signature, params } = signedPayload(rawQuery, body);
  const apiKey = req.headers['x-mbx-apikey'];
  if (typeof apiKey !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(apiKey)) return fail(BERR.badKeyFormat, 'auth_key_format');
  const secret = ctx.secrets.get(apiKey);
  const account = ctx.trading.accounts.get(apiKey);
  if (secret === undefined || !account) return fail(BERR.rejectedKey, 'auth_unknown_key');
  if (!signature) return fail(mandatory('signature'), 'auth_no_signature');
  if (!signatureMatches(secret, payload, signature)) return fail(BERR.badSignature, 'auth_bad_signature');
  const clock = checkTimestamp(params.get('timestamp'), params.get('recvWindow'), Date.now());
  if (clock) return fail(clock, 'auth_timestamp');
  if (!limiter.take(weight)) {
    return fail({ status: 429, code: -1003, msg: `Too much request weight used; current limit is ${limiter.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.` });
  }
  const ok = (json: Record<string, unknown>): void => sendJson(res, 200, json, headers());
  if (route === 'GET /api/v3/account') return ok(accountJson(account, ctx.trading.engine.fees.rate, params.get('omitZeroBalances') === 'true'));
  if (route === 'POST /api/v3/order') return placeOrder(ctx, account, params, res, ok, fail);
  if (route === 'GET /api/v3/openOrders') {
    const sym = params.get('symbol');
    const mb = sym === undefined ? undefined : ctx.books.get(sym);
    if (sym !== undefined && !mb) return fail(BAD_SYMBOL);
    const open = ctx.trading.engine.orders.ofAccount(account.key).filter((o) => o.status === 'pending' && (!mb || o.symbol === mb.inst.symbol));
    return sendJson(res, 200, open.reverse().map(queryOrderJson), headers());
  }
  const found = findOrder(ctx, account, params);
  if (isBinanceError(found)) return fail(found, 'bad_order_query');
  if (route === 'GET /api/v3/order') return found ? ok(queryOrderJson(found)) : fail(ERR.noSuchOrder);
  if (!found || !ctx.trading.engine.cancel(found, account)) return fail(ERR.unknownOrder);
  ok(cancelOrderJson(found, params.get('newClientOrderId') ?? randomId()));
}

function placeOrder(
  ctx: BinanceTradingContext,
  account: Account,
  params: Map<string, string>,
  res: ServerResponse,
  ok: (json: Record<string, unknown>) => void,
  fail: (e: BinanceError, kind?: string | null) => void,
): void {
  const p = parseNewOrder(params, ctx.books);
  if (isBinanceError(p)) return fail(p, 'bad_order');
  const { engine } = ctx.trading;
  const clientOrderId = p.clientOrderId ?? randomId();
  if (engine.orders.byClientOrderId(account.key, clientOrderId)) return fail(ERR.duplicate);
  const decision = ctx.trading.faults.decide();
  if (decision.error5xx) return fail(ERR.internal);
  const n = { ...p, account, clientOrderId, orderId: String(ctx.nextOrderId()) };
  if (decision.reject) {
    engine.reject(n, 'fault injection: rejected');
    return fail(ERR.closed);
  }
  const placed = engine.place(n);
  if (placed.kind === 'rejected') return fail(ERR.insufficient);
  ctx.trading.submit(placed.order, account, p.mb, decision, res, () => ok(newOrderJson(placed.order, p.respType)));
}

function findOrder(ctx: BinanceTradingContext, account: Account, params: Map<string, string>): SimOrder | null | BinanceError {
  const symbol = params.get('symbol');
  if (!symbol) return mandatory('symbol');
  const mb = ctx.books.get(symbol);
  if (!mb) return BAD_SYMBOL;
  const orderId = params.get('orderId');
  const cid = params.get('origClientOrderId');
  if (!orderId && !cid) return ERR.eitherId;
  const { orders } = ctx.trading.engine;
  const o = orderId ? orders.get(account.key, orderId) : orders.byClientOrderId(account.key, cid as string);
  if (!o || o.symbol !== mb.inst.symbol) return null;
  if (orderId && cid && o.clientOrderId !== cid) return null;
  return o;
}

function randomId(): string {
  return randomBytes(16).toString('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 22);
}
