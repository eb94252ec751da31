import Big from 'big.js';
import { Client, getJson, HOST, postJson } from './helpers';
import { binanceSign } from './sign';
import { BINANCE_KEY, BINANCE_SECRET, QUIET, binance, startTradingSim, trueBook, type TradingSim } from './trading-helpers';

interface Order {
  orderId: number;
  status: string;
  type: string;
  timeInForce: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  origQuoteOrderQty: string;
  isWorking?: boolean;
  fills?: Array<{ price: string; qty: string; commission: string; tradeId: number }>;
  code?: number;
  msg?: string;
}
interface Event {
  e: string;
  i?: number;
  x?: string;
  X?: string;
  o?: string;
  m?: boolean;
  w?: boolean;
  l?: string;
  L?: string;
}

/** Binance resting orders (GTC, LIMIT_MAKER), MARKET and FOK on a quiet market: only orders (and dislocations) move it. */
describe('binance sim: resting orders, MARKET, FOK, start-up endpoints', () => {
  let t: TradingSim;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { binance: { takerFee: '0.001', makerFee: '0.0005' } } });
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.sim.stop();
  });

  const order = (params: Record<string, string>) => binance<Order>(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', newOrderRespType: 'FULL', ...params });
  const query = (orderId: number) => binance<Order>(t.binanceUrl, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(orderId) });
  const locked = async (asset: string): Promise<string> => {
    const r = await getJson<Record<string, Array<{ balances: Array<{ asset: string; locked: string }> }>>>(`${t.control}/control/accounts?venue=binance`);
    return r.body.binance?.[0]?.balances.find((b) => b.asset === asset)?.locked ?? '?';
  };

  async function userStream(): Promise<Client> {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws-api/v3`);
    clients.push(ws);
    await ws.opened();
    const params: Record<string, string | number> = { apiKey: BINANCE_KEY, timestamp: Date.now() };
    const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
    ws.send({ id: 'sub', method: 'userDataStream.subscribe.signature', params: { ...params, signature: binanceSign(BINANCE_SECRET, payload) } });
    await ws.until(() => ws.frames.length >= 1, 5000, 'subscribed');
    return ws;
  }
  const events = (ws: Client): Event[] => (ws.json() as Array<{ event?: Event }>).flatMap((m) => (m.event ? [m.event] : []));

  it('exchangeInfo advertises exactly the order types the sim executes', async () => {
    const info = await getJson<{ symbols: Array<{ orderTypes: string[]; ocoAllowed: boolean; icebergAllowed: boolean; quoteOrderQtyMarketAllowed: boolean }> }>(`${t.binanceUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`);
    expect(info.body.symbols[0]).toMatchObject({ orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'], ocoAllowed: false, icebergAllowed: false, quoteOrderQtyMarketAllowed: true });
  });

  it('GTC below the book rests (NEW, in the true book, listed open); a sell into it fills it as maker; cancel of the rest', async () => {
    const ws = await userStream();
    const before = await trueBook(t.control, 'binance', 'BTC-USDT');
    const bid = (before.bids[0] as [string, string])[0];
    const price = new Big(bid).minus('0.05').toFixed(2);
    const model = new Big(before.bids.find(([p]) => new Big(p).eq(price))?.[1] ?? '0');
    const ahead = before.bids.filter(([p]) => new Big(p).gte(price)).reduce((s, [, q]) => s.plus(q), new Big(0));
    const placed = await order({ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.5', price });
    expect(placed.body).toMatchObject({ status: 'NEW', type: 'LIMIT', timeInForce: 'GTC', executedQty: '0.00000000', fills: [] });
    expect(await locked('USDT')).toBe(new Big(price).times('0.5').toFixed());
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    // The level shows the model's lots there (if any) plus the resting order's.
    expect(book.bids.find(([p]) => new Big(p).eq(price))?.[1]).toBe(model.plus('0.5').toFixed(8));
    const open = await binance<Order[]>(t.binanceUrl, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o) => [o.orderId, o.status, o.isWorking])).toEqual([[placed.body.orderId, 'NEW', true]]);
    // Sell everything bid down to its price: the model's liquidity first (it was there first), then 0.2 of the order.
    const sell = await order({ side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', quantity: ahead.plus('0.2').toFixed(), price });
    expect(sell.body.status).toBe('FILLED');
    const rest = (await query(placed.body.orderId)).body;
    expect(rest).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '0.20000000', isWorking: true });
    const trades = await binance<Array<{ orderId: number; isMaker: boolean; commission: string; price: string; id: number }>>(t.binanceUrl, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    expect(trades.body.map((x) => [x.isMaker, x.price, x.commission])).toEqual([[true, new Big(price).toFixed(8), '0.00010000']]);
    expect(sell.body.fills?.at(-1)?.tradeId).toBe(trades.body[0]?.id);
    const del = await binance<Order>(t.binanceUrl, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    expect(del.body).toMatchObject({ status: 'CANCELED', executedQty: '0.20000000' });
    expect(await locked('USDT')).toBe('0');
    expect((await trueBook(t.control, 'binance', 'BTC-USDT')).bids.some(([p]) => new Big(p).eq(price))).toBe(false);
    await ws.until(() => events(ws).some((e) => e.i === placed.body.orderId && e.x === 'CANCELED'), 5000, 'the cancel event');
    const mine = events(ws).filter((e) => e.i === placed.body.orderId);
    expect(mine.map((e) => [e.x, e.X, e.m, e.w])).toEqual([
      ['NEW', 'NEW', false, true],
      ['TRADE', 'PARTIALLY_FILLED', true, true],
      ['CANCELED', 'CANCELED', false, false],
    ]);
    expect(events(ws).filter((e) => e.e === 'outboundAccountPosition').length).toBeGreaterThanOrEqual(3);
  });

  it("a resting bid is filled by the model's flow when the venue's quotes fall through it", async () => {
    const bid = (await trueBook(t.control, 'binance', 'BTC-USDT')).bids[0]?.[0] as string;
    const price = new Big(bid).minus('0.02').toFixed(2);
    const placed = await order({ side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.3', price });
    expect(placed.body).toMatchObject({ orderId: expect.any(Number) });
    expect((await query(placed.body.orderId)).body).toMatchObject({ status: 'NEW', type: 'LIMIT_MAKER', timeInForce: 'GTC' });
    expect((await postJson(`${t.control}/control/dislocate`, { venue: 'binance', symbol: 'BTC-USDT', bps: -30, durationMs: 60_000 })).status).toBe(200);
    let o = (await query(placed.body.orderId)).body;
    for (let i = 0; i < 100 && o.status !== 'FILLED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      o = (await query(placed.body.orderId)).body;
    }
    expect(o).toMatchObject({ status: 'FILLED', executedQty: '0.30000000', cummulativeQuoteQty: new Big(price).times('0.3').toFixed(8) });
    expect(await locked('USDT')).toBe('0');
  });

  it('LIMIT_MAKER that would take: -2010; MARKET by quantity and by quoteOrderQty; FOK all or nothing', async () => {
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const [ask, askSize] = book.asks[0] as [string, string];
    expect((await order({ side: 'BUY', type: 'LIMIT_MAKER', quantity: '0.1', price: ask })).body).toEqual({ code: -2010, msg: 'Order would immediately match and take.' });
    expect((await order({ side: 'BUY', type: 'MARKET', quantity: '0.1', price: ask })).body).toEqual({ code: -1106, msg: "Parameter 'price' sent when not required." });
    expect((await order({ side: 'BUY', type: 'MARKET' })).body).toMatchObject({ code: -1102 });
    const byQty = (await order({ side: 'SELL', type: 'MARKET', quantity: '0.01' })).body;
    expect(byQty).toMatchObject({ status: 'FILLED', type: 'MARKET', price: '0.00000000', executedQty: '0.01000000', origQuoteOrderQty: '0.00000000' });
    const byQuote = (await order({ side: 'BUY', type: 'MARKET', quoteOrderQty: '1000' })).body;
    expect(byQuote).toMatchObject({ type: 'MARKET', origQuoteOrderQty: '1000.00000000' });
    expect(new Big(byQuote.cummulativeQuoteQty).lte(1000)).toBe(true);
    expect(new Big(byQuote.cummulativeQuoteQty).gt(new Big(1000).minus(new Big(ask).times('0.00001')))).toBe(true);
    const fok = (await order({ side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', quantity: new Big(askSize).plus('5').toFixed(), price: ask })).body;
    expect(fok).toMatchObject({ status: 'EXPIRED', executedQty: '0.00000000', fills: [] });
  });

  it('start-up endpoints: capital config (the account coins), margin pairs (none), futures exchangeInfo (no symbols)', async () => {
    const coins = await binance<Array<{ coin: string; free: string; networkList: unknown[] }>>(t.binanceUrl, 'GET', '/sapi/v1/capital/config/getall', {});
    expect(coins.status).toBe(200);
    expect(coins.body.map((c) => c.coin)).toEqual(['BTC', 'ETH', 'USDT']);
    expect(coins.body[1]).toMatchObject({ coin: 'ETH', free: '100.00000000', networkList: [expect.objectContaining({ network: 'ETH', depositEnable: false })] });
    const cross = await fetch(`${t.binanceUrl}/sapi/v1/margin/allPairs`, { headers: { 'x-mbx-apikey': BINANCE_KEY } });
    expect([cross.status, await cross.json()]).toEqual([200, []]);
    expect((await fetch(`${t.binanceUrl}/sapi/v1/margin/allPairs`)).status).toBe(401);
    expect((await binance(t.binanceUrl, 'GET', '/sapi/v1/margin/isolated/allPairs', {})).body).toEqual([]);
    expect((await binance(t.binanceUrl, 'GET', '/sapi/v1/capital/config/getall', {}, { secret: 'wrong' })).body).toMatchObject({ code: -1022 });
    for (const path of ['/fapi/v1/exchangeInfo', '/dapi/v1/exchangeInfo']) {
      expect((await getJson(`${t.binanceUrl}${path}`)).body).toMatchObject({ timezone: 'UTC', symbols: [], assets: [] });
    }
  });
});
