import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MarketBook } from '../model/market';
import { readBody, sendJson } from '../net/http-util';
import type { VenueStats } from '../net/stats';
import type { Account } from '../trading/account';
import type { VenueTrading } from '../trading/venue-trading';
import { wouldTake } from '../trading/matching';
import { bearerToken, verifyCdpJwt } from './jwt';
import { CB_FAIL, parseCreateOrder, type CbFailure } from './order-body';
import { accountJson, coinbaseStatus, fillJson, orderJson } from './order-json';
import { transactionSummaryJson, v2AccountJson } from './account-json';

export interface CoinbaseTradingContext {
  readonly trading: VenueTrading;
  /** Registered CDP keys: key name → public key. */
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly leewayS: number;
  readonly books: ReadonlyMap<string, MarketBook>;
  readonly stats: VenueStats;
  readonly badInput: (kind: string) => void;
  /** The venue's clock (epoch ms; host time + the clock-skew fault). */
  now(): number;
  /** Hosts accepted in the JWT `uri` claim besides the request's Host header (e.g. api.coinbase.com). */
  hosts(): string[];
}

const PREFIX = '/api/v3/brokerage';

export function isCoinbaseTradingPath(path: string): boolean {
  return (
    path.startsWith(`${PREFIX}/orders`) ||
    path === `${PREFIX}/accounts` ||
    path.startsWith(`${PREFIX}/accounts/`) ||
    path === `${PREFIX}/transaction_summary` ||
    path === '/v2/accounts' ||
    path.startsWith('/v2/accounts/')
  );
}

/**
 * Coinbase Advanced Trade private REST (CDP JWT): orders, batch cancel, historical orders/fills, accounts, the fee
 * tier (transaction_summary); and the Coinbase App v2 accounts (`/v2/accounts`, what clients read balances from).
 */
export async function handleCoinbaseTrading(ctx: CoinbaseTradingContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { stats } = ctx;
  stats.restRequests++;
  const send = (status: number, body: unknown): void => {
    if (status >= 500) stats.rest5xx++;
    else if (status >= 400) stats.rest4xx++;
    sendJson(res, status, body);
  };
  const err = (status: number, error: string, details: string, kind: string | null = null): void => {
    if (kind) ctx.badInput(kind);
    send(status, { error, error_details: details, message: details });
  };
  const refused = ctx.trading.faults.refusal();
  if (refused !== null) {
    // Coinbase has no 418: a ban or a rate limit is a 429 there.
    stats.rest4xx++;
    return sendJson(res, 429, { error: 'RATE_LIMIT_EXCEEDED', error_details: 'Too many requests', message: 'Too many requests' }, { 'retry-after': String(refused.retryAfterS) });
  }
  const method = req.method ?? 'GET';
  const path = url.pathname;
  const hosts = [...new Set([req.headers.host ?? '', ...ctx.hosts()])].filter((h) => h !== '');
  // The venue answers any authentication failure with 401 and a plain-text "Unauthorized"; the sim says why in a header.
  const unauthorized = (reason: string, kind: string): void => {
    ctx.badInput(kind);
    stats.rest4xx++;
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'x-sim-auth-failure': reason });
    res.end('Unauthorized\n');
  };
  const token = bearerToken(req.headers.authorization);
  if (!token) return unauthorized('missing bearer token', 'auth_no_token');
  const auth = verifyCdpJwt(token, { keys: ctx.keys, nowS: ctx.now() / 1000, leewayS: ctx.leewayS, uris: hosts.map((h) => `${method} ${h}${path}`) });
  if (!auth.ok) return unauthorized(auth.reason, 'auth_jwt');
  const account = ctx.trading.accounts.get(auth.keyName);
  if (!account) return unauthorized('unknown key', 'auth_jwt');
  let body: unknown = null;
  if (method === 'POST') {
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return err(400, 'INVALID_ARGUMENT', 'request body must be JSON', 'bad_body');
    }
  }
  const { engine } = ctx.trading;
  const q = url.searchParams;
  if (method === 'POST' && path === `${PREFIX}/orders`) return createOrder(ctx, account, body, res, send, err);
  if (method === 'POST' && path === `${PREFIX}/orders/batch_cancel`) {
    const ids = (body as { order_ids?: unknown } | null)?.order_ids;
    if (!Array.isArray(ids) || !ids.every((i): i is string => typeof i === 'string')) return err(400, 'INVALID_ARGUMENT', 'order_ids must be a list of strings', 'bad_cancel');
    const results = ids.map((id) => {
      const o = engine.orders.get(account.key, id);
      if (!o) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
      const done = engine.cancel(o, account);
      return { success: done, failure_reason: done ? 'UNKNOWN_CANCEL_FAILURE_REASON' : 'INVALID_CANCEL_REQUEST', order_id: id };
    });
    return send(200, { results });
  }
  if (method !== 'GET') return err(404, 'NOT_FOUND', `unknown endpoint ${method} ${path}`, 'bad_path');
  if (path === `${PREFIX}/transaction_summary`) return send(200, transactionSummaryJson(engine.orders.ofAccount(account.key), engine.fees));
  if (path === '/v2/accounts' || path.startsWith('/v2/accounts/')) return v2Accounts(account, path, send);
  if (path === `${PREFIX}/orders/historical/batch`) {
    const ids = new Set(q.getAll('order_ids'));
    const products = new Set([...q.getAll('product_ids'), ...q.getAll('product_id')]);
    const statuses = new Set(q.getAll('order_status'));
    const all = engine.orders.ofAccount(account.key).filter((o) => (ids.size === 0 || ids.has(o.orderId)) && (products.size === 0 || products.has(o.symbol)) && (statuses.size === 0 || statuses.has(coinbaseStatus(o))));
    const { page, next } = paginate(all, q, 1000);
    return send(200, { orders: page.map((o) => orderJson(o, account)), sequence: '0', has_next: next !== '', cursor: next });
  }
  if (path === `${PREFIX}/orders/historical/fills`) {
    const ids = new Set([...q.getAll('order_ids'), ...q.getAll('order_id')]);
    const products = new Set([...q.getAll('product_ids'), ...q.getAll('product_id')]);
    const fills = engine.orders
      .ofAccount(account.key)
      .filter((o) => (ids.size === 0 || ids.has(o.orderId)) && (products.size === 0 || products.has(o.symbol)))
      .flatMap((o) => [...o.fills].reverse().map((f) => fillJson(o, f, account)));
    const { page, next } = paginate(fills, q, 1000);
    return send(200, { fills: page, cursor: next });
  }
  if (path.startsWith(`${PREFIX}/orders/historical/`)) {
    const o = engine.orders.get(account.key, decodeURIComponent(path.slice(`${PREFIX}/orders/historical/`.length)));
    if (!o) return err(404, 'NOT_FOUND', 'order with this orderID was not found');
    return send(200, { order: orderJson(o, account) });
  }
  const assets = account.balances().map((b) => b.asset);
  if (path === `${PREFIX}/accounts`) {
    const { page, next } = paginate(assets, q, 250);
    return send(200, { accounts: page.map((a) => accountJson(account, a)), has_next: next !== '', cursor: next, size: page.length });
  }
  const wanted = path.slice(`${PREFIX}/accounts/`.length);
  const found = assets.find((a) => (accountJson(account, a).uuid as string) === wanted);
  if (found === undefined) return err(404, 'NOT_FOUND', 'account not found');
  send(200, { account: accountJson(account, found) });
}

function createOrder(
  ctx: CoinbaseTradingContext,
  account: Account,
  body: unknown,
  res: ServerResponse,
  send: (status: number, body: unknown) => void,
  err: (status: number, error: string, details: string, kind?: string | null) => void,
): void {
  const p = parseCreateOrder(body, ctx.books, (mb, side, tick) => wouldTake(mb.book, side, tick));
  if ('badRequest' in p) return err(400, 'INVALID_ARGUMENT', p.badRequest, 'bad_order');
  const failure = (f: CbFailure, configuration: unknown): void =>
    send(200, {
      success: false,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: '',
      error_response: { error: f.error, message: f.message, error_details: '', preview_failure_reason: f.preview, new_order_failure_reason: f.newOrder },
      order_configuration: configuration,
    });
  if ('failure' in p) {
    ctx.badInput('bad_order');
    return failure(p.failure, p.configuration);
  }
  const success = (orderId: string): void =>
    send(200, {
      success: true,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: orderId,
      success_response: { order_id: orderId, product_id: p.productId, side: p.side === 'buy' ? 'BUY' : 'SELL', client_order_id: p.clientOrderId },
      order_configuration: p.configuration,
    });
  const { engine, faults } = ctx.trading;
  // A client_order_id already used: the order is not created and the existing one is returned instead.
  const existing = engine.orders.byClientOrderId(account.key, p.clientOrderId);
  if (existing) return success(existing.orderId);
  const decision = faults.decide();
  if (decision.error5xx) return send(503, { error: 'UNAVAILABLE', error_details: 'service unavailable', message: 'service unavailable' });
  const arrive = (reply: (orderId: string) => void, refuse: (f: CbFailure, configuration: unknown) => void): void => {
    if (engine.orders.byClientOrderId(account.key, p.clientOrderId)) return;
    const n = { ...p, account, orderId: randomUUID() };
    if (decision.reject) {
      engine.reject(n, 'fault injection: rejected');
      return refuse(CB_FAIL.rejected, p.configuration);
    }
    const placed = engine.place(n);
    if (placed.kind === 'rejected') return refuse(CB_FAIL.insufficient, p.configuration);
    ctx.trading.submit(placed.order, account, p.mb, decision, res, () => reply(placed.order.orderId));
  };
  // Fault: the request reaches the engine late (unknown to queries until then) and is never answered.
  if (decision.arrivalDelayMs > 0) return ctx.trading.arriveLate(res, decision.arrivalDelayMs, () => arrive(() => undefined, () => undefined));
  arrive(success, failure);
}

/** GET /v2/accounts (one wallet per currency, one page) and /v2/accounts/{id}; v2 errors are `{"errors":[…]}`. */
function v2Accounts(account: Account, path: string, send: (status: number, body: unknown) => void): void {
  const all = account.balances().map((b) => v2AccountJson(account, b.asset));
  if (path === '/v2/accounts') {
    const pagination = { ending_before: null, starting_after: null, previous_ending_before: null, next_ending_before: null, limit: all.length, order: 'desc', previous_uri: null, next_uri: null };
    return send(200, { pagination, data: all });
  }
  const id = decodeURIComponent(path.slice('/v2/accounts/'.length));
  const found = all.find((a) => a.id === id || (a.currency as { code: string }).code === id);
  if (!found) return send(404, { errors: [{ id: 'not_found', message: 'Not found' }] });
  send(200, { data: found });
}

/** `limit` (default and max `max`) and an opaque `cursor` (an offset) over `items`. */
function paginate<T>(items: T[], q: URLSearchParams, max: number): { page: T[]; next: string } {
  const limitRaw = Number(q.get('limit') ?? max);
  const limit = Number.isInteger(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, max) : max;
  const offRaw = Number(q.get('cursor') ?? '0');
  const offset = Number.isInteger(offRaw) && offRaw > 0 ? offRaw : 0;
  const page = items.slice(offset, offset + limit);
  return { page, next: offset + limit < items.length ? String(offset + limit) : '' };
}
