import Big from 'big.js';
import { getJson } from './helpers';
import { QUIET, binance, binanceRaw, startTradingSim, sweep, trueBook, type TradingSim } from './trading-helpers';

interface Fill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}
interface OrderAck {
  orderId: number;
  status: string;
  fills: Fill[];
}
interface MyTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}
interface ControlOrder {
  clientOrderId: string;
  fills: Array<{ price: string; qty: string; fee: string; feeAsset: string; tradeId: string }>;
}

describe('binance sim: GET /api/v3/myTrades', () => {
  let t: TradingSim;
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { binance: { takerFee: '0.00075' } } });
  });
  afterAll(() => t.sim.stop());

  const order = (params: Record<string, string>) =>
    binance<OrderAck>(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', type: 'LIMIT', timeInForce: 'IOC', newOrderRespType: 'FULL', ...params });
  const myTrades = (params: Record<string, string>) => binanceRaw<MyTrade[]>(t.binanceUrl, 'GET', '/api/v3/myTrades', params);

  it('returns the fills of an order with exact commissions, the same as the order answer and the sim truth; weight 5 with orderId, 20 without', async () => {
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const two = sweep(book.asks, 2);
    const buy = await order({ side: 'BUY', quantity: two.qty.plus('0.3').toFixed(5), price: two.last, newClientOrderId: 'm0000000000000000001-b' });
    expect(buy.body.fills).toHaveLength(2);
    const bid = book.bids[0] as [string, string];
    const sell = await order({ side: 'SELL', quantity: new Big(bid[1]).div(3).round(5, Big.roundDown).toFixed(), price: bid[0], newClientOrderId: 'm0000000000000000001-s' });
    expect(sell.body.status).toBe('FILLED');

    const r = await myTrades({ symbol: 'BTCUSDT', orderId: String(buy.body.orderId) });
    expect(r.status).toBe(200);
    const w1 = Number(r.headers.get('x-mbx-used-weight-1m'));
    expect(r.body.map((x) => ({ price: x.price, qty: x.qty, commission: x.commission, commissionAsset: x.commissionAsset, tradeId: x.id }))).toEqual(buy.body.fills);
    const ctl = await getJson<{ orders: ControlOrder[] }>(`${t.control}/control/orders?venue=binance&clientOrderIdPrefix=m0000000000000000001-b`);
    const truth = ctl.body.orders[0] as ControlOrder;
    r.body.forEach((x, i) => {
      const f = truth.fills[i] as ControlOrder['fills'][number];
      expect(x).toMatchObject({ symbol: 'BTCUSDT', orderId: buy.body.orderId, orderListId: -1, isBuyer: true, isMaker: false, isBestMatch: true, commissionAsset: 'BTC' });
      expect(new Big(x.commission).eq(f.fee)).toBe(true);
      expect(new Big(x.commission).eq(new Big(x.qty).times('0.00075').round(8, Big.roundDown))).toBe(true);
      expect(new Big(x.quoteQty).eq(new Big(x.price).times(x.qty))).toBe(true);
      expect(String(x.id)).toBe(f.tradeId);
      expect(Math.abs(x.time - Date.now())).toBeLessThan(10_000);
    });

    const all = await myTrades({ symbol: 'BTCUSDT' });
    expect(Number(all.headers.get('x-mbx-used-weight-1m')) - w1).toBe(20);
    expect(all.body.map((x) => x.id)).toEqual([...buy.body.fills.map((f) => f.tradeId), ...sell.body.fills.map((f) => f.tradeId)]);
    const s = all.body[2] as MyTrade;
    expect(s).toMatchObject({ orderId: sell.body.orderId, isBuyer: false, commissionAsset: 'USDT', commission: (sell.body.fills[0] as Fill).commission });
    expect(new Big(s.commission).eq(new Big(s.quoteQty).times('0.00075').round(8, Big.roundDown))).toBe(true);

    const again = await myTrades({ symbol: 'BTCUSDT', orderId: String(sell.body.orderId) });
    expect(Number(again.headers.get('x-mbx-used-weight-1m')) - Number(all.headers.get('x-mbx-used-weight-1m'))).toBe(5);
    expect((await myTrades({ symbol: 'BTCUSDT', limit: '1' })).body.map((x) => x.id)).toEqual([s.id]);
    expect((await myTrades({ symbol: 'BTCUSDT', fromId: String(s.id) })).body.map((x) => x.id)).toEqual([s.id]);
    expect((await myTrades({ symbol: 'ETHUSDT' })).body).toEqual([]);
    expect((await myTrades({ symbol: 'ETHUSDT', orderId: String(buy.body.orderId) })).body).toEqual([]);
    expect((await myTrades({ symbol: 'BTCUSDT', startTime: String(Date.now() - 60_000) })).body).toHaveLength(3);
  });

  it('errors as Binance: -1102 / -1121 symbol, -1100 bad number, -1128 combination, -1127 window, auth', async () => {
    const body = async (params: Record<string, string>) => {
      const r = await myTrades(params);
      return { status: r.status, body: r.body as unknown };
    };
    expect(await body({})).toEqual({ status: 400, body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." } });
    expect(await body({ symbol: 'DOGEUSDT' })).toEqual({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    expect((await body({ symbol: 'BTCUSDT', orderId: 'abc' })).body).toMatchObject({ code: -1100 });
    expect(await body({ symbol: 'BTCUSDT', orderId: '1', startTime: '1' })).toEqual({ status: 400, body: { code: -1128, msg: 'Combination of optional parameters invalid.' } });
    expect(await body({ symbol: 'BTCUSDT', startTime: '0', endTime: String(Date.now()) })).toEqual({
      status: 400,
      body: { code: -1127, msg: 'More than 24 hours between startTime and endTime.' },
    });
    expect((await binance(t.binanceUrl, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' }, { secret: 'wrong-secret' })).body).toMatchObject({ code: -1022 });
    expect((await binance(t.binanceUrl, 'POST', '/api/v3/myTrades', { symbol: 'BTCUSDT' })).status).toBe(405);
  });
});
