import Big from 'big.js';
import { Client, HOST, getJson, postJson, sleep } from './helpers';
import { binanceSign } from './sign';
import { BINANCE_KEY, BINANCE_SECRET, QUIET, binance, binanceRaw, coinbase, freeBalance, startTradingSim, trueBook, type TradingSim } from './trading-helpers';

interface Stats {
  maxConcurrentTrades: number;
  inFlightTrades: number;
  orders: number;
  fills: number;
  trades: number;
  rejected: number;
  faults: Record<string, { timeouts: number; heldRequests: number; errors5xx: number; rejected: number; lateArrivals: number; lateFills: number; refused: number }>;
}
interface CtlOrder {
  clientOrderId: string;
  status: string;
  final: boolean;
  filledQty: string;
  venue: string;
}

describe('exchange-sim trading faults, control and trade concurrency', () => {
  let t: TradingSim;
  beforeAll(async () => {
    t = await startTradingSim(QUIET);
  });
  afterAll(() => t.sim.stop());
  afterEach(async () => {
    for (const venue of ['binance', 'coinbase']) await postJson(`${t.control}/control/trading-faults`, { venue, reset: true });
  });

  const faults = (venue: string, f: Record<string, unknown>) => postJson(`${t.control}/control/trading-faults`, { venue, faults: f });
  const orders = async (prefix: string): Promise<CtlOrder[]> => (await getJson<{ orders: CtlOrder[] }>(`${t.control}/control/orders?clientOrderIdPrefix=${prefix}`)).body.orders;
  const stats = async (): Promise<Stats> => (await getJson<Stats>(`${t.control}/control/trading-stats`)).body;
  /** A small buy at the best ask (fills) on each venue. */
  const bBuy = async (cid: string, o: Parameters<typeof binance>[4] = {}) => {
    const ask = ((await trueBook(t.control, 'binance', 'BTC-USDT')).asks[0] as [string, string])[0];
    return binance(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: ask, newClientOrderId: cid }, o);
  };
  const cBuy = async (cid: string, signal?: AbortSignal) => {
    const ask = ((await trueBook(t.control, 'coinbase', 'BTC-USDT')).asks[0] as [string, string])[0];
    const body = { client_order_id: cid, product_id: 'BTC-USDT', side: 'BUY', order_configuration: { sor_limit_ioc: { base_size: '0.001', limit_price: ask } } };
    return coinbase<{ success: boolean; error_response?: { error: string } }>(t.coinbaseUrl, t.cb, 'POST', '/api/v3/brokerage/orders', body, signal ? { signal } : {});
  };

  it('clockOffsetMs: the venue keeps its own time, and judges signed requests by it', async () => {
    const clock = (venue: string, clockOffsetMs: number) => postJson(`${t.control}/control/faults`, { venue, faults: { clockOffsetMs } });
    try {
      expect((await clock('binance', 8000)).status).toBe(200);
      const { serverTime } = (await getJson<{ serverTime: number }>(`${t.binanceUrl}/api/v3/time`)).body;
      expect(Math.abs(serverTime - (Date.now() + 8000))).toBeLessThan(1000);
      const info = (await getJson<{ serverTime: number }>(`${t.binanceUrl}/api/v3/exchangeInfo?symbol=BTCUSDT`)).body;
      expect(Math.abs(info.serverTime - (Date.now() + 8000))).toBeLessThan(1000);
      // Signed with our clock: 8 s old to the venue, outside the 5 s recvWindow. Signed with the venue's: accepted.
      expect(await binance(t.binanceUrl, 'GET', '/api/v3/account', {})).toMatchObject({ status: 400, body: { code: -1021 } });
      expect((await binance(t.binanceUrl, 'GET', '/api/v3/account', {}, { timestamp: Date.now() + 8000 })).status).toBe(200);

      expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', '/api/v3/brokerage/accounts')).status).toBe(200);
      expect((await clock('coinbase', -200_000)).status).toBe(200); // our JWT's nbf is 200 s in the venue's future
      expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', '/api/v3/brokerage/accounts')).status).toBe(401);
      const epoch = (await getJson<{ epochMillis: string }>(`${t.coinbaseUrl}/api/v3/brokerage/time`)).body.epochMillis;
      expect(Math.abs(Number(epoch) - (Date.now() - 200_000))).toBeLessThan(1000);
      await clock('coinbase', 0);
      expect((await coinbase(t.coinbaseUrl, t.cb, 'GET', '/api/v3/brokerage/accounts')).status).toBe(200);
    } finally {
      for (const venue of ['binance', 'coinbase']) await postJson(`${t.control}/control/faults`, { venue, reset: true });
    }
  });

  it('clockOffsetMs: the Binance WS API answers and checks with the venue clock, and user-stream events carry it', async () => {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws-api/v3`);
    try {
      await ws.opened();
      expect((await postJson(`${t.control}/control/faults`, { venue: 'binance', faults: { clockOffsetMs: 8000 } })).status).toBe(200);
      type Reply = { id: string; status: number; result?: { serverTime?: number; subscriptionId?: number }; error?: { code: number } };
      const replies = (): Reply[] => (ws.json() as Reply[]).filter((m) => typeof m.id === 'string');
      ws.send({ id: 'time', method: 'time' });
      const subscribe = (id: string, timestamp: number): void => {
        const params: Record<string, string | number> = { apiKey: BINANCE_KEY, timestamp };
        const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
        ws.send({ id, method: 'userDataStream.subscribe.signature', params: { ...params, signature: binanceSign(BINANCE_SECRET, payload) } });
      };
      subscribe('host-clock', Date.now());
      subscribe('venue-clock', Date.now() + 8000);
      await ws.until(() => replies().length >= 3, 5000, 'ws api replies');
      const byId = new Map(replies().map((r) => [r.id, r]));
      expect(Math.abs((byId.get('time')?.result?.serverTime ?? 0) - (Date.now() + 8000))).toBeLessThan(1000);
      expect(byId.get('host-clock')).toMatchObject({ status: 400, error: { code: -1021 } });
      expect(byId.get('venue-clock')).toMatchObject({ status: 200, result: { subscriptionId: 0 } });

      expect((await bBuy('a1000000000000000009-b', { timestamp: Date.now() + 8000 })).status).toBe(200);
      type Ev = { event?: { e: string; E: number; c?: string } };
      const report = (): Ev | undefined => (ws.json() as Ev[]).find((m) => m.event?.e === 'executionReport' && m.event.c === 'a1000000000000000009-b');
      await ws.until(() => report() !== undefined, 5000, 'executionReport');
      expect(Math.abs((report()?.event?.E ?? 0) - (Date.now() + 8000))).toBeLessThan(1000);
    } finally {
      await ws.close();
      await postJson(`${t.control}/control/faults`, { venue: 'binance', reset: true });
    }
  });

  it('failAll rejects everything on one venue while the other fills', async () => {
    expect((await faults('binance', { failAll: true })).status).toBe(200);
    expect(await bBuy('a1000000000000000001-b')).toEqual({ status: 400, body: { code: -2010, msg: 'Market is closed.' } });
    expect((await cBuy('a1000000000000000001-s')).body.success).toBe(true);
    const os = await orders('a1000000000000000001');
    expect(os.map((o) => [o.venue, o.status])).toEqual([
      ['binance', 'rejected'],
      ['coinbase', 'filled'],
    ]);
  });

  it('refuseStatus refuses every signed request with Retry-After (418 ban / 429 on Binance, 429 on Coinbase), executing nothing', async () => {
    await faults('binance', { refuseStatus: 418, refuseRetryAfterS: 20 });
    const ask = ((await trueBook(t.control, 'binance', 'BTC-USDT')).asks[0] as [string, string])[0];
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: ask, newClientOrderId: 'a1000000000000000011-b' };
    const banned = await binanceRaw<{ code: number; msg: string }>(t.binanceUrl, 'POST', '/api/v3/order', order);
    expect(banned.status).toBe(418);
    expect(banned.body.code).toBe(-1003);
    expect(banned.body.msg).toMatch(/IP banned until \d+/);
    expect(banned.headers.get('retry-after')).toBe('20');
    expect((await binanceRaw(t.binanceUrl, 'GET', '/api/v3/account', {})).status).toBe(418);
    await faults('binance', { refuseStatus: 429, refuseRetryAfterS: 2 });
    const limited = await binanceRaw<{ code: number }>(t.binanceUrl, 'POST', '/api/v3/order', order);
    expect([limited.status, limited.body.code, limited.headers.get('retry-after')]).toEqual([429, -1003, '2']);
    await faults('coinbase', { refuseStatus: 418, refuseRetryAfterS: 5 });
    expect(await cBuy('a1000000000000000011-s')).toMatchObject({ status: 429, body: { error: 'RATE_LIMIT_EXCEEDED' } });
    expect(await orders('a1000000000000000011')).toEqual([]);
    expect((await stats()).faults.binance?.refused).toBe(3);
    await faults('binance', { refuseStatus: 0 });
    expect((await binance(t.binanceUrl, 'POST', '/api/v3/order', order)).status).toBe(200);
  });

  it('rejectRate 1 rejects as the venue would; error5xxRate 1 answers 5xx and executes nothing', async () => {
    await faults('coinbase', { rejectRate: 1 });
    expect((await cBuy('a1000000000000000002-b')).body).toMatchObject({ success: false, error_response: { error: 'COMMANDER_REJECTED_NEW_ORDER' } });
    await faults('binance', { error5xxRate: 1 });
    expect(await bBuy('a1000000000000000003-b')).toEqual({ status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' } });
    await faults('coinbase', { rejectRate: 0, error5xxRate: 1 });
    expect((await cBuy('a1000000000000000003-s')).status).toBe(503);
    expect(await orders('a1000000000000000003')).toEqual([]);
  });

  it('timeoutRate 1: the order executes but no answer comes; the held request is dropped when the client gives up', async () => {
    await faults('binance', { timeoutRate: 1 });
    const usdt0 = await freeBalance(t.control, 'binance', 'USDT');
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 400);
    await expect(bBuy('a1000000000000000004-b', { signal: ac.signal })).rejects.toThrow();
    clearTimeout(timer);
    const [o] = await orders('a1000000000000000004');
    expect(o).toMatchObject({ status: 'filled', final: true, filledQty: '0.001' });
    expect((await freeBalance(t.control, 'binance', 'USDT')).lt(usdt0)).toBe(true);
    // The client's own query finds the outcome.
    const q = await binance(t.binanceUrl, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1000000000000000004-b' });
    expect(q.body).toMatchObject({ status: 'FILLED' });
    await sleep(50);
    const s = await stats();
    expect(s.faults.binance?.timeouts).toBeGreaterThanOrEqual(1);
    expect(s.faults.binance?.heldRequests).toBe(0);
  });

  it('arrivalDelayMs: the venue does not know the order until it arrives late; then it executes, never answered', async () => {
    await faults('binance', { arrivalDelayMs: 600 });
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 300);
    await expect(bBuy('a1000000000000000007-b', { signal: ac.signal })).rejects.toThrow();
    clearTimeout(timer);
    await faults('binance', { arrivalDelayMs: 0 });
    // Not arrived yet: unknown to queries and cancels (what "never arrived" would look like).
    const q = await binance(t.binanceUrl, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1000000000000000007-b' });
    expect(q.body).toMatchObject({ code: -2013 });
    expect(await orders('a1000000000000000007')).toEqual([]);
    await sleep(500);
    const [o] = (await getJson<{ orders: (CtlOrder & { faults?: string[] })[] }>(`${t.control}/control/orders?clientOrderIdPrefix=a1000000000000000007`)).body.orders;
    expect(o).toMatchObject({ status: 'filled', final: true, filledQty: '0.001', faults: ['arrivalDelay'] });
    expect((await stats()).faults.binance).toMatchObject({ lateArrivals: 1 });
  });

  it('lateFillShare: the order is answered expired with part of its fill; the rest is booked lateFillMs later', async () => {
    await faults('coinbase', { lateFillShare: 0.6, lateFillMs: 300 });
    const usdt0 = await freeBalance(t.control, 'coinbase', 'USDT');
    expect((await cBuy('a1000000000000000008-b')).body.success).toBe(true);
    const [first] = await orders('a1000000000000000008');
    expect(first).toMatchObject({ status: 'expired', final: true, filledQty: '0.0004' });
    const spentFirst = usdt0.minus(await freeBalance(t.control, 'coinbase', 'USDT'));
    await sleep(450);
    const [later] = await orders('a1000000000000000008');
    expect(later).toMatchObject({ status: 'filled', final: true, filledQty: '0.001' });
    // The balances moved by the late part too (0.0006 more bought): 2.5 × what the first 0.0004 cost.
    expect(usdt0.minus(await freeBalance(t.control, 'coinbase', 'USDT')).div(spentFirst).toFixed(1)).toBe('2.5');
  });

  it('slowAckMs: the order waits (pending, cancelable) before it executes and is answered', async () => {
    await faults('coinbase', { slowAckMs: 300 });
    const t0 = performance.now();
    const pending = cBuy('a1000000000000000005-b');
    await sleep(100);
    expect((await orders('a1000000000000000005'))[0]).toMatchObject({ status: 'new', final: false });
    expect((await pending).body.success).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect((await orders('a1000000000000000005'))[0]).toMatchObject({ status: 'filled' });
    // Canceled while pending: never executes, funds unlocked.
    await faults('binance', { slowAckMs: 300 });
    const usdt0 = await freeBalance(t.control, 'binance', 'USDT');
    const slow = bBuy('a1000000000000000006-b');
    await sleep(100);
    const open = await binance<Array<{ clientOrderId: string; status: string }>>(t.binanceUrl, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body.map((o) => [o.clientOrderId, o.status])).toEqual([['a1000000000000000006-b', 'NEW']]);
    const del = await binance(t.binanceUrl, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'a1000000000000000006-b' });
    expect(del.body).toMatchObject({ status: 'CANCELED', executedQty: '0.00000000', origClientOrderId: 'a1000000000000000006-b' });
    expect((await slow).body).toMatchObject({ status: 'CANCELED' });
    expect((await freeBalance(t.control, 'binance', 'USDT')).eq(usdt0)).toBe(true);
  });

  it('trading-stats counts trades (client order id before the last "-") in flight concurrently, across venues', async () => {
    expect((await postJson<Stats>(`${t.control}/control/trading-stats/reset`, {})).body).toMatchObject({ orders: 0, maxConcurrentTrades: 0, inFlightTrades: 0 });
    await faults('binance', { slowAckMs: 400 });
    await faults('coinbase', { slowAckMs: 400 });
    // Three trades, two legs each (one per venue), all in flight at once; then one more trade alone.
    await Promise.all([1, 2, 3].flatMap((i) => [bBuy(`a200000000000000000${i}-b`), cBuy(`a200000000000000000${i}-s`)]));
    let s = await stats();
    expect(s).toMatchObject({ maxConcurrentTrades: 3, inFlightTrades: 0, orders: 6, trades: 3, fills: 6 });
    await bBuy('a2000000000000000004-b');
    s = await stats();
    expect(s).toMatchObject({ maxConcurrentTrades: 3, orders: 7, trades: 4 });
    const during = bBuy('a2000000000000000005-b');
    await sleep(100);
    expect((await stats()).inFlightTrades).toBe(1);
    await during;
    expect((await stats()).inFlightTrades).toBe(0);
  });

  it('GET/POST /control/accounts: true balances per venue, set for tests; bad requests rejected', async () => {
    const set = await postJson<{ balances: Array<{ asset: string; free: string }> }>(`${t.control}/control/accounts`, { venue: 'coinbase', balances: { USDT: '5', BTC: '0' } });
    expect(set.status).toBe(200);
    expect((await freeBalance(t.control, 'coinbase', 'USDT')).eq(new Big(5))).toBe(true);
    expect((await cBuy('a3000000000000000001-b')).body).toMatchObject({ success: false, error_response: { error: 'INSUFFICIENT_FUND' } });
    const all = await getJson<Record<string, unknown[]>>(`${t.control}/control/accounts`);
    expect(Object.keys(all.body).sort()).toEqual(['binance', 'coinbase']);
    expect((await postJson(`${t.control}/control/accounts`, { venue: 'coinbase', balances: { USDT: '-1' } })).status).toBe(400);
    expect((await postJson(`${t.control}/control/accounts`, { venue: 'binance', key: 'nope', balances: {} })).status).toBe(404);
    expect((await getJson(`${t.control}/control/accounts?venue=kraken`)).status).toBe(400);
    expect((await postJson(`${t.control}/control/trading-faults`, { venue: 'binance', faults: { rejectRate: 2 } })).status).toBe(400);
  });
});
