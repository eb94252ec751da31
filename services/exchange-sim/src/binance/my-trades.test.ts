import Big from 'big.js';
import type { MarketBook } from '../model/market';
import type { SimFill, SimOrder } from '../trading/order';
import { OrderStore } from '../trading/order-store';
import { isBinanceError } from './order-params';
import { myTradesWeight, parseMyTrades, selectTrades, type MyTradesQuery } from './my-trades';

/** Only `inst.symbol` of a book is read by myTrades. */
const books = new Map<string, MarketBook>([
  ['BTCUSDT', { inst: { symbol: 'BTC-USDT' } } as unknown as MarketBook],
  ['ETHUSDT', { inst: { symbol: 'ETH-USDT' } } as unknown as MarketBook],
]);
const HOUR = 3_600_000;

const fill = (tradeId: number, ts: number, maker = false): SimFill => ({ price: '65000.01', qty: '0.00123', quote: '79.9500123', fee: '0.00000123', feeAsset: 'BTC', tradeId, ts, maker });

function order(orderId: number, symbol: string, fills: SimFill[], accountKey = 'k'): SimOrder {
  return {
    venue: 'binance',
    orderId: String(orderId),
    clientOrderId: `c${orderId}`,
    tradeKey: `c${orderId}`,
    accountKey,
    symbol,
    base: symbol.split('-')[0] as string,
    quote: 'USDT',
    side: 'buy',
    type: 'limit',
    timeInForce: 'IOC',
    quoteQty: null,
    qty: '1',
    price: '70000',
    lots: 1,
    limitTick: 1,
    createdTs: 0,
    status: 'expired',
    updatedTs: 0,
    fills,
    filledLots: 0,
    filledQty: new Big(0),
    filledQuote: new Big(0),
    fee: new Big(0),
    feeAsset: 'BTC',
    lockAsset: 'USDT',
    lockAmount: new Big(0),
    lockLeft: new Big(0),
    bookUpdateId: 0,
  };
}

const query = (params: Record<string, string>): MyTradesQuery => {
  const q = parseMyTrades(new Map(Object.entries(params)), books);
  if (isBinanceError(q)) throw new Error(q.msg);
  return q;
};

describe('GET /api/v3/myTrades parameters', () => {
  const err = (params: Record<string, string>) => parseMyTrades(new Map(Object.entries(params)), books);

  it('weight 20, 5 with orderId', () => {
    expect(myTradesWeight(new Map([['symbol', 'BTCUSDT']]))).toBe(20);
    expect(myTradesWeight(new Map([['orderId', '1']]))).toBe(5);
  });

  it('rejects as Binance does', () => {
    expect(err({})).toEqual({ status: 400, code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
    expect(err({ symbol: 'DOGEUSDT' })).toEqual({ status: 400, code: -1121, msg: 'Invalid symbol.' });
    expect(err({ symbol: 'BTCUSDT', orderId: 'x1' })).toEqual({ status: 400, code: -1100, msg: "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'." });
    expect(err({ symbol: 'BTCUSDT', fromId: '-1' })).toMatchObject({ code: -1100 });
    expect(err({ symbol: 'BTCUSDT', limit: '0' })).toMatchObject({ code: -1100 });
    expect(err({ symbol: 'BTCUSDT', startTime: '' })).toEqual({ status: 400, code: -1105, msg: "Parameter 'startTime' was empty." });
    const combos: Array<Record<string, string>> = [{ orderId: '1', startTime: '1' }, { fromId: '1', startTime: '1' }, { orderId: '1', endTime: '1' }, { fromId: '1', endTime: '5' }];
    for (const bad of combos) {
      expect(err({ symbol: 'BTCUSDT', ...bad })).toEqual({ status: 400, code: -1128, msg: 'Combination of optional parameters invalid.' });
    }
    expect(err({ symbol: 'BTCUSDT', startTime: '0', endTime: String(24 * HOUR + 1) })).toEqual({ status: 400, code: -1127, msg: 'More than 24 hours between startTime and endTime.' });
  });

  it('accepts the documented combinations; limit defaults to 500 and is capped at 1000', () => {
    const supported: Array<Record<string, string>> = [{}, { orderId: '1' }, { startTime: '1' }, { endTime: '1' }, { fromId: '1' }, { startTime: '0', endTime: String(24 * HOUR) }, { orderId: '1', fromId: '2' }];
    for (const ok of supported) {
      expect(isBinanceError(err({ symbol: 'BTCUSDT', ...ok }))).toBe(false);
    }
    expect(query({ symbol: 'BTCUSDT' }).limit).toBe(500);
    expect(query({ symbol: 'BTCUSDT', limit: '5000' }).limit).toBe(1000);
  });
});

describe('GET /api/v3/myTrades selection', () => {
  const store = new OrderStore();
  // Trade ids are venue-wide (both symbols share them); times one hour apart.
  store.add(order(1, 'BTC-USDT', [fill(1, 1 * HOUR), fill(2, 1 * HOUR)]));
  store.add(order(2, 'ETH-USDT', [fill(3, 2 * HOUR)]));
  store.add(order(3, 'BTC-USDT', [fill(4, 3 * HOUR), fill(5, 3 * HOUR, true), fill(6, 3 * HOUR)]));
  store.add(order(4, 'BTC-USDT', []));
  store.add(order(5, 'BTC-USDT', [fill(7, 30 * HOUR)], 'other'));
  const ids = (params: Record<string, string>): number[] => selectTrades(store, 'k', query({ symbol: 'BTCUSDT', ...params })).map((t) => t.id as number);

  it('renders each fill as Binance does (exact decimals, 8 at least)', () => {
    expect(selectTrades(store, 'k', query({ symbol: 'BTCUSDT', orderId: '1', limit: '1' }))).toEqual([
      {
        symbol: 'BTCUSDT',
        id: 1,
        orderId: 1,
        orderListId: -1,
        price: '65000.01000000',
        qty: '0.00123000',
        quoteQty: '79.95001230',
        commission: '0.00000123',
        commissionAsset: 'BTC',
        time: HOUR,
        isBuyer: true,
        isMaker: false,
        isBestMatch: true,
      },
    ]);
  });

  it('isMaker tells the fills the order made as a resting order', () => {
    expect(selectTrades(store, 'k', query({ symbol: 'BTCUSDT', orderId: '3' })).map((t) => t.isMaker)).toEqual([false, true, false]);
  });

  it("the account's trades on the symbol, oldest first: most recent `limit`, from an id, of one order, in a time window", () => {
    expect(ids({})).toEqual([1, 2, 4, 5, 6]);
    expect(ids({ limit: '2' })).toEqual([5, 6]);
    expect(ids({ fromId: '2', limit: '2' })).toEqual([2, 4]);
    expect(ids({ orderId: '3' })).toEqual([4, 5, 6]);
    expect(ids({ orderId: '3', fromId: '5' })).toEqual([5, 6]);
    expect(ids({ orderId: '2' })).toEqual([]); // an ETHUSDT order
    expect(ids({ orderId: '4' })).toEqual([]); // no fills
    expect(ids({ orderId: '5' })).toEqual([]); // another account's order
    expect(ids({ orderId: '99' })).toEqual([]);
    expect(ids({ startTime: String(2 * HOUR) })).toEqual([4, 5, 6]);
    expect(ids({ startTime: String(HOUR), limit: '1' })).toEqual([1]);
    expect(ids({ endTime: String(2 * HOUR) })).toEqual([1, 2]);
    expect(ids({ endTime: String(3 * HOUR), limit: '2' })).toEqual([5, 6]);
    expect(ids({ startTime: String(HOUR), endTime: String(HOUR) })).toEqual([1, 2]);
    expect(ids({ startTime: String(26 * HOUR) })).toEqual([]);
  });
});
