import Big from 'big.js';
import { Client, HOST } from './helpers';
import { binanceSign } from './sign';
import { BINANCE_KEY, BINANCE_SECRET, QUIET, binance, freeBalance, startTradingSim, sweep, trueBook, type TradingSim } from './trading-helpers';

interface Fill {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}
interface OrderAck {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  status: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  origQty: string;
  fills: Fill[];
  code?: number;
  msg?: string;
}
interface ControlOrder {
  clientOrderId: string;
  bookUpdateId: number;
  status: string;
  filledQty: string;
}

describe('binance sim: trading', () => {
  let t: TradingSim;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { binance: { takerFee: '0.001' } } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => t.sim.stop());

  const order = (params: Record<string, string>, o = {}) =>
    binance<OrderAck>(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', type: 'LIMIT', timeInForce: 'IOC', newOrderRespType: 'FULL', ...params }, o);

  it('auth: -2014 without key, -2015 unknown key (401), -1022 bad signature, -1021 timestamp outside recvWindow or ahead', async () => {
    const acct = (o: Parameters<typeof binance>[4]) => binance(t.binanceUrl, 'GET', '/api/v3/account', {}, o);
    expect(await acct({ apiKey: null })).toEqual({ status: 401, body: { code: -2014, msg: 'API-key format invalid.' } });
    expect(await acct({ apiKey: 'NoSuchKey123' })).toEqual({ status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } });
    expect(await acct({ secret: `${BINANCE_SECRET}x` })).toEqual({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
    expect((await acct({ timestamp: Date.now() - 6000 })).body).toEqual({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    expect((await acct({ timestamp: Date.now() - 6000, recvWindow: 10000 })).status).toBe(200);
    expect((await acct({ timestamp: Date.now() + 2000 })).body).toMatchObject({ code: -1021 });
    expect((await acct({ recvWindow: 60001 })).body).toMatchObject({ code: -1131 });
    const ok = await binance<{ balances: Array<{ asset: string; free: string; locked: string }>; canTrade: boolean }>(t.binanceUrl, 'GET', '/api/v3/account', {}, { inBody: false });
    expect(ok.status).toBe(200);
    expect(ok.body.balances).toContainEqual({ asset: 'BTC', free: '10.00000000', locked: '0.00000000' });
  });

  it('an IOC buy crossing two levels fills them at the right VWAP, expires the rest; balances, feed and true book show it', async () => {
    const feed = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws/btcusdt@depth@0ms`);
    clients.push(feed);
    await feed.opened();
    const before = await trueBook(t.control, 'binance', 'BTC-USDT');
    const two = sweep(before.asks, 2);
    const qty = two.qty.plus('0.5');
    const usdt0 = await freeBalance(t.control, 'binance', 'USDT');
    const btc0 = await freeBalance(t.control, 'binance', 'BTC');
    const r = await order({ side: 'BUY', quantity: qty.toFixed(5), price: two.last, newClientOrderId: 'a0000000000000000001-b' });
    expect(r.status).toBe(200);
    const o = r.body;
    expect(o).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'a0000000000000000001-b', status: 'EXPIRED', timeInForce: 'IOC', type: 'LIMIT', side: 'BUY' });
    expect(o.fills.map((f) => [f.price, f.qty])).toEqual(before.asks.slice(0, 2).map(([p, s]) => [new Big(p).toFixed(8), new Big(s).toFixed(8)]));
    expect(new Big(o.executedQty).eq(two.qty)).toBe(true);
    expect(new Big(o.cummulativeQuoteQty).eq(two.quote)).toBe(true);
    const vwap = new Big(o.cummulativeQuoteQty).div(o.executedQty);
    expect(vwap.eq(two.quote.div(two.qty))).toBe(true);
    // Commission in the received asset (BTC on a buy): 0.1% of each fill's quantity.
    let commission = new Big(0);
    for (const f of o.fills) {
      expect(f.commissionAsset).toBe('BTC');
      expect(new Big(f.commission).eq(new Big(f.qty).times('0.001').round(8, Big.roundDown))).toBe(true);
      commission = commission.plus(f.commission);
    }
    expect((await freeBalance(t.control, 'binance', 'USDT')).eq(usdt0.minus(two.quote))).toBe(true);
    expect((await freeBalance(t.control, 'binance', 'BTC')).eq(btc0.plus(two.qty).minus(commission))).toBe(true);
    // The consumed liquidity is one book change: its update id is in the control view; the truth before/after differs by the fills.
    const ctl = (await (await fetch(`${t.control}/control/orders?venue=binance&clientOrderIdPrefix=a0000000000000000001`)).json()) as { orders: ControlOrder[] };
    expect(ctl.orders).toHaveLength(1);
    const id = (ctl.orders[0] as ControlOrder).bookUpdateId;
    const pre = await trueBook(t.control, 'binance', 'BTC-USDT', id - 1);
    const post = await trueBook(t.control, 'binance', 'BTC-USDT', id);
    expect(pre.asks.slice(0, 2)).toEqual(before.asks.slice(0, 2));
    expect(post.asks[0]).toEqual(before.asks[2]);
    await feed.until(() => feed.json().some((e) => (e as { u: number }).u === id), 5000, 'the fill change on @depth@0ms');
    const ev = feed.json().find((e) => (e as { u: number }).u === id) as { U: number; a: Array<[string, string]>; b: unknown[] };
    expect(ev.U).toBe(id);
    expect(ev.b).toEqual([]);
    expect(ev.a).toEqual(before.asks.slice(0, 2).map(([p]) => [p, '0.00000000']));
  });

  it('a sell fully filled: FILLED, commission in quote; balances exact', async () => {
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const [bidPrice, bidSize] = book.bids[0] as [string, string];
    const qty = new Big(bidSize).div(2).round(5, Big.roundDown);
    const usdt0 = await freeBalance(t.control, 'binance', 'USDT');
    const btc0 = await freeBalance(t.control, 'binance', 'BTC');
    const r = await order({ side: 'SELL', quantity: qty.toFixed(), price: bidPrice, newClientOrderId: 'a0000000000000000002-s' });
    expect(r.body.status).toBe('FILLED');
    const fill = r.body.fills[0] as Fill;
    expect(fill.commissionAsset).toBe('USDT');
    const quote = new Big(bidPrice).times(qty);
    expect(new Big(fill.commission).eq(quote.times('0.001').round(8, Big.roundDown))).toBe(true);
    expect((await freeBalance(t.control, 'binance', 'USDT')).eq(usdt0.plus(quote).minus(fill.commission))).toBe(true);
    expect((await freeBalance(t.control, 'binance', 'BTC')).eq(btc0.minus(qty))).toBe(true);
  });

  it('rejects as Binance does: filters -1013, balance/duplicate -2010, order types not enabled -1013, misplaced params -1106, bad symbol -1121', async () => {
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const ask = (book.asks[0] as [string, string])[0];
    expect((await order({ side: 'BUY', quantity: '0.001', price: '65000.005' })).body).toEqual({ code: -1013, msg: 'Filter failure: PRICE_FILTER' });
    expect((await order({ side: 'BUY', quantity: '0.000015', price: ask })).body).toEqual({ code: -1013, msg: 'Filter failure: LOT_SIZE' });
    expect((await order({ side: 'BUY', quantity: '0.00001', price: '100' })).body).toEqual({ code: -1013, msg: 'Filter failure: NOTIONAL' });
    expect((await order({ side: 'BUY', quantity: '100', price: ask })).body).toEqual({ code: -2010, msg: 'Account has insufficient balance for requested action.' });
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, type: 'STOP_LOSS_LIMIT', stopPrice: ask })).body).toEqual({ code: -1013, msg: 'Stop loss limit orders are not supported for this symbol.' });
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, type: 'LIMIT_MAKER' })).body).toEqual({ code: -1106, msg: "Parameter 'timeInForce' sent when not required." });
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, icebergQty: '0.0001' })).body).toEqual({ code: -1013, msg: 'Iceberg orders are not supported for this symbol.' });
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, symbol: 'DOGEUSDT' })).body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, newClientOrderId: 'bad id!' })).body).toMatchObject({ code: -1100 });
    const first = await order({ side: 'BUY', quantity: '0.001', price: ask, newClientOrderId: 'a0000000000000000003-b' }, { inBody: true });
    expect(first.status).toBe(200);
    expect((await order({ side: 'BUY', quantity: '0.001', price: ask, newClientOrderId: 'a0000000000000000003-b' })).body).toEqual({ code: -2010, msg: 'Duplicate order sent.' });
  });

  it('query and cancel: by origClientOrderId or orderId; -2013 unknown; -2011 cancel of a final order', async () => {
    const q = (p: Record<string, string>) => binance<OrderAck>(t.binanceUrl, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', ...p });
    const byCid = await q({ origClientOrderId: 'a0000000000000000002-s' });
    expect(byCid.body).toMatchObject({ clientOrderId: 'a0000000000000000002-s', status: 'FILLED', side: 'SELL' });
    expect((await q({ orderId: String(byCid.body.orderId) })).body.clientOrderId).toBe('a0000000000000000002-s');
    expect(await q({ origClientOrderId: 'nope' })).toEqual({ status: 400, body: { code: -2013, msg: 'Order does not exist.' } });
    const del = await binance(t.binanceUrl, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'a0000000000000000002-s' });
    expect(del).toEqual({ status: 400, body: { code: -2011, msg: 'Unknown order sent.' } });
  });

  it('user data stream (WS API userDataStream.subscribe.signature) delivers executionReport and outboundAccountPosition', async () => {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws-api/v3`);
    clients.push(ws);
    await ws.opened();
    const subscribe = (secret: string, id: string): void => {
      const params: Record<string, string | number> = { apiKey: BINANCE_KEY, timestamp: Date.now() };
      const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
      ws.send({ id, method: 'userDataStream.subscribe.signature', params: { ...params, signature: binanceSign(secret, payload) } });
    };
    subscribe('wrong-secret', 'bad');
    subscribe(BINANCE_SECRET, 'good');
    await ws.until(() => ws.frames.length >= 2, 5000, 'subscribe answers');
    const [bad, good] = ws.json() as Array<{ id: string; status: number; result?: { subscriptionId: number }; error?: { code: number } }>;
    expect(bad).toMatchObject({ id: 'bad', status: 400, error: { code: -1022 } });
    expect(good).toMatchObject({ id: 'good', status: 200, result: { subscriptionId: 0 } });
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const two = sweep(book.asks, 2);
    await order({ side: 'BUY', quantity: two.qty.plus('0.1').toFixed(5), price: two.last, newClientOrderId: 'a0000000000000000004-b' });
    type Ev = { subscriptionId: number; event: { e: string; x?: string; X?: string; c?: string; z?: string; l?: string; n?: string; N?: string } };
    const reports = (): Ev[] => (ws.json() as Ev[]).filter((m) => m.event?.c === 'a0000000000000000004-b');
    await ws.until(() => reports().some((m) => m.event.x === 'EXPIRED'), 5000, 'EXPIRED report');
    expect(reports().map((m) => `${m.event.x}/${m.event.X}`)).toEqual(['NEW/NEW', 'TRADE/PARTIALLY_FILLED', 'TRADE/PARTIALLY_FILLED', 'EXPIRED/EXPIRED']);
    const last = reports()[3] as Ev;
    expect(last.subscriptionId).toBe(0);
    expect(new Big(last.event.z ?? '0').eq(two.qty)).toBe(true);
    await ws.until(() => (ws.json() as Ev[]).some((m) => m.event?.e === 'outboundAccountPosition'), 5000, 'account position');
  });
});
