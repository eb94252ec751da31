import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Account } from '../trading/account';
import { wouldTake } from '../trading/matching';
import type { SimOrder } from '../trading/order';
import { mandatory, type BinanceError } from './auth';
import { tooManyOrders } from './order-count';
import { newOrderJson } from './order-json';
import { BAD_SYMBOL, isBinanceError, parseNewOrder } from './order-params';
import type { BinanceTradingContext } from './trading-context';

export const ORDER_ERR = {
  internal: { status: 503, code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  duplicate: { status: 400, code: -2010, msg: 'Duplicate order sent.' },
  insufficient: { status: 400, code: -2010, msg: 'Account has insufficient balance for requested action.' },
  closed: { status: 400, code: -2010, msg: 'Market is closed.' },
  wouldTake: { status: 400, code: -2010, msg: 'Order would immediately match and take.' },
  noSuchOrder: { status: 400, code: -2013, msg: 'Order does not exist.' },
  unknownOrder: { status: 400, code: -2011, msg: 'Unknown order sent.' },
  eitherId: { status: 400, code: -1102, msg: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!" },
} satisfies Record<string, BinanceError>;
const ERR = ORDER_ERR;

/**
 * POST /api/v3/order: parameters, the account's unfilled order count (429 -1015), duplicates, trading faults, funds;
 * then the engine runs the order and `ok` answers it (unless a fault holds the request).
 */
export function placeOrder(
  ctx: BinanceTradingContext,
  account: Account,
  params: Map<string, string>,
  res: ServerResponse,
  ok: (json: Record<string, unknown>) => void,
  fail: (e: BinanceError, kind?: string | null) => void,
  setCountHeaders: (h: Record<string, string>) => void,
): void {
  const p = parseNewOrder(params, ctx.books);
  if (isBinanceError(p)) return fail(p, 'bad_order');
  const over = ctx.orderCounts.exceeded(account.key);
  if (over) return fail(tooManyOrders(over));
  const { engine } = ctx.trading;
  const clientOrderId = p.clientOrderId ?? randomId();
  if (engine.orders.byClientOrderId(account.key, clientOrderId)) return fail(ERR.duplicate);
  const n = { ...p, account, clientOrderId, orderId: String(ctx.nextOrderId()) };
  if (p.type === 'limit_maker' && wouldTake(p.mb.book, p.side, p.limitTick)) {
    engine.reject(n, 'post-only order would take');
    return fail(ERR.wouldTake);
  }
  const decision = ctx.trading.faults.decide();
  if (decision.error5xx) return fail(ERR.internal);
  const arrive = (reply: (json: Record<string, unknown>) => void, refuse: (e: BinanceError) => void): void => {
    if (engine.orders.byClientOrderId(account.key, clientOrderId)) return refuse(ERR.duplicate);
    if (decision.reject) {
      engine.reject(n, 'fault injection: rejected');
      return refuse(ERR.closed);
    }
    const placed = engine.place(n);
    if (placed.kind === 'rejected') return refuse(ERR.insufficient);
    // Counted once accepted; the answer shows the count with this order in it (its first fill takes it off again,
    // which Binance applies with a short delay).
    ctx.orderCounts.add(account.key);
    setCountHeaders(ctx.orderCounts.headers(account.key));
    ctx.trading.submit(placed.order, account, p.mb, decision, res, () => reply(newOrderJson(placed.order, p.respType)));
  };
  // Fault: the request reaches the engine late (unknown to queries until then) and is never answered.
  if (decision.arrivalDelayMs > 0) return ctx.trading.arriveLate(res, decision.arrivalDelayMs, () => arrive(() => undefined, () => undefined));
  arrive(ok, fail);
}

export function findOrder(ctx: BinanceTradingContext, account: Account, params: Map<string, string>): SimOrder | null | BinanceError {
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

export function randomId(): string {
  return randomBytes(16).toString('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 22);
}
