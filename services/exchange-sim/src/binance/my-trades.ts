import type { MarketBook } from '../model/market';
import type { SimFill, SimOrder } from '../trading/order';
import type { OrderStore } from '../trading/order-store';
import { illegal, mandatory, type BinanceError } from './auth';
import { f8 } from './order-json';
import { BAD_SYMBOL } from './order-params';
import { binanceSymbol } from './streams';

const DAY_MS = 86_400_000;
const OPTIONAL = ['orderId', 'startTime', 'endTime', 'fromId'] as const;
type Optional = (typeof OPTIONAL)[number];
/** rest-api.md "Account trade list": the supported combinations of the optional parameters (`limit` goes with any). */
const COMBINATIONS = new Set(['', 'orderId', 'startTime', 'endTime', 'fromId', 'startTime,endTime', 'orderId,fromId']);

export interface MyTradesQuery {
  mb: MarketBook;
  orderId?: number;
  startTime?: number;
  endTime?: number;
  fromId?: number;
  limit: number;
}

const bad = (code: number, msg: string): BinanceError => ({ status: 400, code, msg });

/** `GET /api/v3/myTrades` weight: 20, or 5 when `orderId` is sent. */
export function myTradesWeight(params: ReadonlyMap<string, string>): number {
  return params.has('orderId') ? 5 : 20;
}

/**
 * Validates `GET /api/v3/myTrades` parameters: symbol (-1102/-1121), unsigned integers (-1105 empty, -1100 otherwise),
 * the supported combinations (-1128), at most 24 h between startTime and endTime (-1127), limit default 500, max 1000.
 */
export function parseMyTrades(p: ReadonlyMap<string, string>, books: ReadonlyMap<string, MarketBook>): MyTradesQuery | BinanceError {
  const symbol = p.get('symbol');
  if (!symbol) return mandatory('symbol');
  const mb = books.get(symbol);
  if (!mb) return BAD_SYMBOL;
  const q: MyTradesQuery = { mb, limit: 500 };
  for (const name of [...OPTIONAL, 'limit'] as const) {
    const v = p.get(name);
    if (v === undefined) continue;
    if (v === '') return bad(-1105, `Parameter '${name}' was empty.`);
    if (!/^[0-9]{1,20}$/.test(v)) return illegal(name, '^[0-9]{1,20}$');
    if (name === 'limit') {
      if (Number(v) < 1) return illegal(name, '^[0-9]{1,20}$');
      q.limit = Math.min(Number(v), 1000);
    } else q[name] = Number(v);
  }
  const sent = OPTIONAL.filter((k: Optional) => q[k] !== undefined).join(',');
  if (!COMBINATIONS.has(sent)) return bad(-1128, 'Combination of optional parameters invalid.');
  if (q.startTime !== undefined && q.endTime !== undefined && q.endTime - q.startTime > DAY_MS) {
    return bad(-1127, 'More than 24 hours between startTime and endTime.');
  }
  return q;
}

interface Trade {
  o: SimOrder;
  f: SimFill;
}

/**
 * The account's trades on the query's symbol, oldest first: of one order (`orderId`), from a trade id on (`fromId`),
 * inside a time window of at most 24 h (`startTime` → the oldest `limit` of it, `endTime` only → the newest), or the
 * most recent `limit`. Orders the store has forgotten (beyond `trading.maxOrders`) have no trades any more.
 */
export function selectTrades(orders: OrderStore, accountKey: string, q: MyTradesQuery): Array<Record<string, unknown>> {
  const symbol = q.mb.inst.symbol;
  let trades: Trade[];
  if (q.orderId !== undefined) {
    const o = orders.get(accountKey, String(q.orderId));
    trades = o && o.symbol === symbol ? o.fills.map((f) => ({ o, f })) : [];
  } else {
    trades = [];
    for (const o of orders.ofAccount(accountKey)) if (o.symbol === symbol) for (const f of o.fills) trades.push({ o, f });
    trades.sort((a, b) => a.f.tradeId - b.f.tradeId);
  }
  const { fromId, startTime, endTime, limit } = q;
  if (fromId !== undefined) trades = trades.filter((t) => t.f.tradeId >= fromId);
  if (startTime !== undefined || endTime !== undefined) {
    const from = startTime ?? (endTime as number) - DAY_MS;
    const to = endTime ?? from + DAY_MS;
    trades = trades.filter((t) => t.f.ts >= from && t.f.ts <= to);
  }
  const oldestFirst = fromId !== undefined || startTime !== undefined || q.orderId !== undefined;
  const picked = oldestFirst ? trades.slice(0, limit) : trades.slice(Math.max(0, trades.length - limit));
  return picked.map(tradeJson);
}

/** One `GET /api/v3/myTrades` entry. */
function tradeJson({ o, f }: Trade): Record<string, unknown> {
  return {
    symbol: binanceSymbol(o.symbol),
    id: f.tradeId,
    orderId: Number(o.orderId),
    orderListId: -1,
    price: f8(f.price),
    qty: f8(f.qty),
    quoteQty: f8(f.quote),
    commission: f8(f.fee),
    commissionAsset: f.feeAsset,
    time: f.ts,
    isBuyer: o.side === 'buy',
    isMaker: f.maker,
    isBestMatch: true,
  };
}
