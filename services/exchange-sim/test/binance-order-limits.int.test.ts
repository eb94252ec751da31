import { setTimeout as sleep } from 'node:timers/promises';
import { getJson } from './helpers';
import { QUIET, binanceRaw, startTradingSim, trueBook, type TradingSim } from './trading-helpers';

interface OrderAck {
  status: string;
  code?: number;
  msg?: string;
}

describe('binance sim: unfilled order count limits (429 -1015, X-MBX-ORDER-COUNT-*)', () => {
  let t: TradingSim;
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { binance: { ordersPer10s: 3, ordersPerDay: 1000 } } });
  });
  afterAll(() => t.sim.stop());

  let seq = 0;
  const order = (side: string, price: string) =>
    binanceRaw<OrderAck>(t.binanceUrl, 'POST', '/api/v3/order', {
      symbol: 'BTCUSDT',
      side,
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '0.001',
      price,
      newClientOrderId: `l${String(++seq).padStart(19, '0')}-b`,
    });
  const counts = (h: Headers): [string | null, string | null] => [h.get('x-mbx-order-count-10s'), h.get('x-mbx-order-count-1d')];

  it('exchangeInfo publishes the configured ORDERS limits', async () => {
    const r = await getJson<{ rateLimits: unknown[] }>(`${t.binanceUrl}/api/v3/exchangeInfo`);
    expect(r.body.rateLimits).toEqual(
      expect.arrayContaining([
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 3 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 1000 },
      ]),
    );
  });

  it('counts new orders per 10 s window, takes filled ones off, refuses past the limit with 429 -1015 (no Retry-After)', async () => {
    // Start at the beginning of a fixed 10 s window so that the steps below stay inside one window.
    if (Date.now() % 10_000 > 2_000) await sleep(10_000 - (Date.now() % 10_000) + 50);
    const book = await trueBook(t.control, 'binance', 'BTC-USDT');
    const below = (Number((book.bids[0] as [string, string])[0]) - 100).toFixed(2); // expires without a fill
    const ask = (book.asks[0] as [string, string])[0]; // fills

    const a = await order('BUY', below);
    expect(a.body.status).toBe('EXPIRED');
    expect(counts(a.headers)).toEqual(['1', '1']);
    expect(a.headers.get('x-mbx-used-weight-1m')).not.toBeNull();
    expect(counts((await order('BUY', below)).headers)).toEqual(['2', '2']);
    // A filled order counts in its answer, then its first fill takes it off.
    const f = await order('BUY', ask);
    expect(f.body.status).toBe('FILLED');
    expect(counts(f.headers)).toEqual(['3', '3']);
    const usage = await binanceRaw<unknown[]>(t.binanceUrl, 'GET', '/api/v3/rateLimit/order', {});
    expect(usage.body).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 3, count: 2 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 1000, count: 2 },
    ]);
    expect(counts((await order('BUY', below)).headers)).toEqual(['3', '3']);

    const refused = await order('BUY', ask);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ code: -1015, msg: 'Too many new orders; current limit is 3 orders per 10 SECOND.' });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(counts(refused.headers)).toEqual(['3', '3']);
    // Not created: the sim has no such order.
    const cid = `l${String(seq).padStart(19, '0')}`;
    const ctl = await getJson<{ orders: unknown[] }>(`${t.control}/control/orders?venue=binance&clientOrderIdPrefix=${cid}`);
    expect(ctl.body.orders).toEqual([]);
    // Other signed requests are not limited by the order count.
    expect((await binanceRaw(t.binanceUrl, 'GET', '/api/v3/account', {})).status).toBe(200);
  });
});
