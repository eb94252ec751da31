import Big from 'big.js';
import { Client, HOST } from './helpers';
import { cdpJwt, newCdpKey } from './sign';
import { QUIET, coinbase, freeBalance, startTradingSim, sweep, trueBook, type TradingSim } from './trading-helpers';

const P = '/api/v3/brokerage';

interface CreateAnswer {
  success: boolean;
  order_id: string;
  success_response?: { order_id: string; client_order_id: string; product_id: string; side: string };
  error_response?: { error: string; message: string; preview_failure_reason: string; new_order_failure_reason: string };
}
interface CbOrder {
  order_id: string;
  client_order_id: string;
  status: string;
  filled_size: string;
  average_filled_price: string;
  filled_value: string;
  total_fees: string;
  number_of_fills: string;
  total_value_after_fees: string;
}

describe('coinbase sim: trading', () => {
  let t: TradingSim;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { coinbase: { takerFee: '0.006' } } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => t.sim.stop());

  const create = (clientOrderId: string, side: string, size: string, price: string, productId = 'BTC-USDT') =>
    coinbase<CreateAnswer>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, {
      client_order_id: clientOrderId,
      product_id: productId,
      side,
      order_configuration: { sor_limit_ioc: { base_size: size, limit_price: price } },
    });
  const getOrder = async (id: string): Promise<CbOrder> => (await coinbase<{ order: CbOrder }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/${id}`)).body.order;

  it('auth: 401 "Unauthorized" (plain text, as the venue) without a token, with another key, a wrong uri, an expired token; OK with its own host or api.coinbase.com', async () => {
    const accounts = `${P}/accounts`;
    const plain = await fetch(`${t.coinbaseUrl}${accounts}`);
    expect(plain.status).toBe(401);
    expect(await plain.text()).toBe('Unauthorized\n');
    expect(plain.headers.get('x-sim-auth-failure')).toBe('missing bearer token');
    const impostor = newCdpKey(t.cb.keyName);
    expect((await coinbase(t.coinbaseUrl, impostor, 'GET', accounts)).status).toBe(401);
    expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', accounts, undefined, { uriHost: 'evil.example.com' })).body).toEqual({ text: 'Unauthorized\n', authFailure: 'uri does not match the request' });
    const now = Math.floor(Date.now() / 1000);
    const stale = cdpJwt(t.cb, { uri: `GET ${new URL(t.coinbaseUrl).host}${accounts}`, nbf: now - 300, exp: now - 60 });
    expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', accounts, undefined, { token: stale })).status).toBe(401);
    const real = await coinbase<{ accounts: Array<{ currency: string; available_balance: { value: string }; hold: { value: string } }> }>(t.coinbaseUrl, t.cb, 'GET', accounts, undefined, { uriHost: 'api.coinbase.com' });
    expect(real.status).toBe(200);
    expect(real.body.accounts.find((a) => a.currency === 'USDT')).toMatchObject({ available_balance: { value: '1000000' }, hold: { value: '0' } });
  });

  it('an IOC buy crossing two levels: partial fill at the VWAP, fee in quote, balances exact, true book consumed', async () => {
    const before = await trueBook(t.control, 'coinbase', 'BTC-USDT');
    const two = sweep(before.asks, 2);
    const usdt0 = await freeBalance(t.control, 'coinbase', 'USDT');
    const btc0 = await freeBalance(t.control, 'coinbase', 'BTC');
    const r = await create('a0000000000000000011-b', 'BUY', two.qty.plus('0.25').toFixed(8), two.last);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, success_response: { client_order_id: 'a0000000000000000011-b', product_id: 'BTC-USDT', side: 'BUY' } });
    const o = await getOrder(r.body.order_id);
    expect(o).toMatchObject({ client_order_id: 'a0000000000000000011-b', status: 'CANCELLED', number_of_fills: '2' });
    expect(new Big(o.filled_size).eq(two.qty)).toBe(true);
    expect(new Big(o.filled_value).eq(two.quote)).toBe(true);
    expect(new Big(o.average_filled_price).eq(two.quote.div(two.qty))).toBe(true);
    const fills = (await coinbase<{ fills: Array<{ price: string; size: string; commission: string }> }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/fills?order_ids=${r.body.order_id}`)).body.fills;
    expect(fills).toHaveLength(2);
    let fees = new Big(0);
    for (const f of fills) {
      expect(new Big(f.commission).eq(new Big(f.price).times(f.size).times('0.006').round(8, Big.roundDown))).toBe(true);
      fees = fees.plus(f.commission);
    }
    expect(new Big(o.total_fees).eq(fees)).toBe(true);
    expect(new Big(o.total_value_after_fees).eq(two.quote.plus(fees))).toBe(true);
    expect((await freeBalance(t.control, 'coinbase', 'USDT')).eq(usdt0.minus(two.quote).minus(fees))).toBe(true);
    expect((await freeBalance(t.control, 'coinbase', 'BTC')).eq(btc0.plus(two.qty))).toBe(true);
    const ctl = (await (await fetch(`${t.control}/control/orders?venue=coinbase&clientOrderIdPrefix=a0000000000000000011`)).json()) as { orders: Array<{ bookUpdateId: number }> };
    const id = ctl.orders[0]?.bookUpdateId ?? 0;
    expect(id).toBeGreaterThan(before.updateId);
    expect((await trueBook(t.control, 'coinbase', 'BTC-USDT', id - 1)).asks.slice(0, 3)).toEqual(before.asks.slice(0, 3));
    expect((await trueBook(t.control, 'coinbase', 'BTC-USDT', id)).asks[0]).toEqual(before.asks[2]);
  });

  it('a sell fully filled is FILLED; failures as Coinbase reports them (200, success:false); duplicate client_order_id returns the existing order', async () => {
    const book = await trueBook(t.control, 'coinbase', 'BTC-USDT');
    const [bid, size] = book.bids[0] as [string, string];
    const qty = new Big(size).div(3).round(8, Big.roundDown).toFixed();
    const s = await create('a0000000000000000012-s', 'SELL', qty, bid);
    expect((await getOrder(s.body.order_id)).status).toBe('FILLED');
    const dup = await create('a0000000000000000012-s', 'SELL', qty, bid);
    expect(dup.body).toMatchObject({ success: true, order_id: s.body.order_id });
    const orders = (await (await fetch(`${t.control}/control/orders?venue=coinbase&clientOrderIdPrefix=a0000000000000000012`)).json()) as { orders: unknown[] };
    expect(orders.orders).toHaveLength(1);
    const ask = (book.asks[0] as [string, string])[0];
    expect((await create('x1', 'BUY', '0.001', '65000.001')).body.error_response).toMatchObject({ error: 'INVALID_LIMIT_PRICE_PRECISION', preview_failure_reason: 'PREVIEW_INVALID_LIMIT_PRICE_PRECISION', new_order_failure_reason: 'INVALID_PRICE_PRECISION' });
    expect((await create('x2', 'BUY', '0.000000001', ask)).body.error_response).toMatchObject({ error: 'INVALID_BASE_SIZE_TOO_SMALL' });
    expect((await create('x3', 'BUY', '100', ask)).body).toMatchObject({ success: false, order_id: '', error_response: { error: 'INSUFFICIENT_FUND', preview_failure_reason: 'PREVIEW_INSUFFICIENT_FUND' } });
    expect((await create('x4', 'BUY', '0.001', ask, 'DOGE-USDT')).body.error_response).toMatchObject({ error: 'INVALID_PRODUCT_ID' });
    const notSupported = await coinbase<CreateAnswer>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, { client_order_id: 'x5', product_id: 'BTC-USDT', side: 'BUY', order_configuration: { stop_limit_stop_limit_gtc: { base_size: '0.001', limit_price: ask, stop_price: ask, stop_direction: 'STOP_DIRECTION_STOP_UP' } } });
    expect(notSupported.body.error_response).toMatchObject({ error: 'UNSUPPORTED_ORDER_CONFIGURATION' });
    const postOnly = await coinbase<CreateAnswer>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, { client_order_id: 'x6', product_id: 'BTC-USDT', side: 'BUY', order_configuration: { limit_limit_gtc: { base_size: '0.001', limit_price: ask, post_only: true } } });
    expect(postOnly.body).toMatchObject({ success: false, error_response: { error: 'INVALID_LIMIT_PRICE_POST_ONLY', preview_failure_reason: 'PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY' } });
    expect((await coinbase(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, { product_id: 'BTC-USDT' })).status).toBe(400);
  });

  it('lists orders (find by client_order_id), batch cancel of final/unknown orders', async () => {
    const list = await coinbase<{ orders: CbOrder[]; has_next: boolean }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/batch?product_ids=BTC-USDT&limit=50`);
    const found = list.body.orders.find((o) => o.client_order_id === 'a0000000000000000011-b');
    expect(found?.status).toBe('CANCELLED');
    const none = await coinbase<{ orders: CbOrder[] }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/batch?product_ids=ETH-USDT`);
    expect(none.body.orders).toEqual([]);
    const c = await coinbase<{ results: unknown[] }>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders/batch_cancel`, { order_ids: [found?.order_id, 'no-such-order'] });
    expect(c.body.results).toEqual([
      { success: false, failure_reason: 'INVALID_CANCEL_REQUEST', order_id: found?.order_id },
      { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: 'no-such-order' },
    ]);
    expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/nope`)).status).toBe(404);
  });

  it('user channel over /user with a JWT: snapshot, then order updates; a bad JWT gets an error', async () => {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.coinbase}/user`);
    clients.push(ws);
    await ws.opened();
    ws.send({ type: 'subscribe', channel: 'user', jwt: cdpJwt(newCdpKey(t.cb.keyName)) });
    ws.send({ type: 'subscribe', channel: 'user', product_ids: ['BTC-USDT'], jwt: cdpJwt(t.cb) });
    type Msg = { type?: string; message?: string; channel?: string; events?: Array<{ type?: string; orders?: Array<{ client_order_id: string; status: string; cumulative_quantity: string }> }> };
    await ws.until(() => (ws.json() as Msg[]).some((m) => m.channel === 'subscriptions'), 5000, 'subscriptions');
    const msgs = ws.json() as Msg[];
    expect(msgs[0]).toEqual({ type: 'error', message: 'authentication failure' });
    expect(msgs.find((m) => m.channel === 'user')?.events?.[0]?.type).toBe('snapshot');
    const book = await trueBook(t.control, 'coinbase', 'BTC-USDT');
    const [ask, size] = book.asks[0] as [string, string];
    await create('a0000000000000000013-b', 'BUY', new Big(size).div(2).round(8, Big.roundDown).toFixed(), ask);
    const updates = (): Array<{ status: string; cumulative_quantity: string }> =>
      (ws.json() as Msg[]).flatMap((m) => (m.channel === 'user' ? (m.events ?? []) : [])).flatMap((e) => (e.type === 'update' ? (e.orders ?? []) : [])).filter((o) => o.client_order_id === 'a0000000000000000013-b');
    await ws.until(() => updates().some((o) => o.status === 'FILLED'), 5000, 'FILLED update');
    expect(updates().map((o) => o.status)).toEqual(['OPEN', 'FILLED']);
    expect(new Big(updates()[1]?.cumulative_quantity ?? '0').gt(0)).toBe(true);
  });
});
