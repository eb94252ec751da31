import { Client, HOST, getJson } from './helpers';
import { cdpJwt } from './sign';
import { QUIET, binance, coinbase, startTradingSim, type TradingSim } from './trading-helpers';

describe('exchange-sim trading: bad input is answered, counted and dropped', () => {
  let t: TradingSim;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTradingSim(QUIET);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => t.sim.stop());

  it('REST garbage on both venues gets venue errors; the sim keeps serving', async () => {
    const huge = 'x'.repeat(70 * 1024);
    const bPost = await fetch(`${t.binanceUrl}/api/v3/order`, { method: 'POST', headers: { 'x-mbx-apikey': 'k' }, body: huge });
    expect(bPost.status).toBe(400);
    expect((await binance(t.binanceUrl, 'PUT', '/api/v3/order', {})).status).toBe(405);
    expect((await binance(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT' })).body).toMatchObject({ code: -1102 });
    expect((await binance(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '1e3', price: '1' })).body).toMatchObject({ code: -1100 });
    const raw = await fetch(`${t.coinbaseUrl}/api/v3/brokerage/orders`, { method: 'POST', headers: { authorization: 'Bearer ...' }, body: '{' });
    expect(raw.status).toBe(401);
    const token = cdpJwt(t.cb, { uri: `POST ${new URL(t.coinbaseUrl).host}/api/v3/brokerage/orders` });
    const notJson = await fetch(`${t.coinbaseUrl}/api/v3/brokerage/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{' });
    expect(notJson.status).toBe(400);
    expect((await coinbase(t.coinbaseUrl, t.cb, 'POST', '/api/v3/brokerage/orders', [1, 2])).status).toBe(400);
    expect((await coinbase(t.coinbaseUrl, t.cb, 'POST', '/api/v3/brokerage/orders/batch_cancel', { order_ids: 'x' })).status).toBe(400);
    expect((await coinbase(t.coinbaseUrl, t.cb, 'DELETE', '/api/v3/brokerage/orders')).status).toBe(404);
    expect((await binance(t.binanceUrl, 'GET', '/api/v3/account', {})).status).toBe(200);
    const metrics = await (await fetch(`${t.control}/metrics`)).text();
    expect(metrics).toMatch(/sim_bad_input_total\{[^}]*venue="binance"/);
    expect(metrics).toMatch(/sim_bad_input_total\{[^}]*venue="coinbase"/);
  });

  it('private WebSockets answer garbage with errors and stay open', async () => {
    const b = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws-api/v3`);
    const c = new Client(`ws://${HOST}:${t.sim.ports.coinbase}/user`);
    clients.push(b, c);
    await Promise.all([b.opened(), c.opened()]);
    for (const m of ['nope', '[1]', { id: 1, method: 'order.place' }, { id: 2, method: 'userDataStream.subscribe.signature', params: { apiKey: 'x' } }]) b.send(m);
    for (const m of ['nope', '[]', { type: 'subscribe', channel: 'level2' }, { type: 'subscribe', channel: 'user' }]) c.send(m);
    await b.until(() => b.frames.length >= 4, 5000, 'binance answers');
    await c.until(() => c.frames.length >= 4, 5000, 'coinbase answers');
    expect((b.json() as Array<{ status: number }>).map((m) => m.status)).toEqual([400, 400, 400, 401]);
    expect((c.json() as Array<{ type: string }>).every((m) => m.type === 'error')).toBe(true);
    expect(b.closed).toBeNull();
    expect(c.closed).toBeNull();
    expect((await getJson(`${t.control}/control/healthz`)).status).toBe(200);
  });
});
