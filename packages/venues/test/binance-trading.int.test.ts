import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import type { WebSocket } from 'ws';
import {
  BinanceTradingClient,
  binanceCredentials,
  binanceTradingSimEndpoints,
  ClockSkewError,
  OrderNotFoundError,
  VenueAuthError,
  VenueError,
  VenueRateLimitError,
  VenueRejectError,
  VenueTimeoutError,
  VenueUnavailableError,
  type OrderState,
} from '../src';
import type { BinanceTradingConfig } from '../src/binance';
import { rejection, TradingFake, waitFor, type FakeAnswer, type FakeRequest } from './trading-fake';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const hmac = (payload: string): string => createHmac('sha256', SECRET).update(payload).digest('hex');

const EXCHANGE_INFO = {
  serverTime: 0,
  symbols: [
    {
      symbol: 'BTCUSDT',
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000.00', tickSize: '0.01' },
        { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000.00000000', stepSize: '0.00001' },
        { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false },
      ],
    },
  ],
};

function fullAnswer(p: URLSearchParams, executed: string, status: string): unknown {
  const price = p.get('price') ?? '0';
  const fills =
    executed === '0'
      ? []
      : [
          { price, qty: executed, commission: '0.00000002', commissionAsset: 'BTC', tradeId: 900 },
        ];
  return {
    symbol: p.get('symbol'),
    orderId: 42,
    orderListId: -1,
    clientOrderId: p.get('newClientOrderId'),
    transactTime: Date.now(),
    price,
    origQty: p.get('quantity'),
    executedQty: executed,
    cummulativeQuoteQty: executed === '0' ? '0' : (Number(executed) * Number(price)).toFixed(8),
    status,
    timeInForce: 'IOC',
    type: 'LIMIT',
    side: p.get('side'),
    fills,
  };
}

describe('BinanceTradingClient against a scripted venue', () => {
  let fake: TradingFake;
  let serverOffset: number;
  /** Extra handler for a test; return undefined to fall through to the defaults. */
  let route: (r: FakeRequest, params: URLSearchParams) => FakeAnswer | undefined;
  const clients: BinanceTradingClient[] = [];
  const errors: Error[] = [];

  /** Signature, key and timestamp checks as Binance does them; null when the request passes. */
  function authError(r: FakeRequest): FakeAnswer {
    if (r.headers['x-mbx-apikey'] !== API_KEY) return { status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } };
    const i = r.rawQuery.lastIndexOf('&signature=');
    if (i < 0 || hmac(r.rawQuery.slice(0, i)) !== r.rawQuery.slice(i + '&signature='.length)) {
      return { status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } };
    }
    const ts = Number(r.query.get('timestamp'));
    const recv = Number(r.query.get('recvWindow') ?? 5000);
    const server = Date.now() + serverOffset;
    if (ts >= server + 1000 || server - ts > recv) return { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } };
    return null;
  }

  beforeEach(async () => {
    fake = await new TradingFake().listen();
    serverOffset = 0;
    errors.length = 0;
    route = () => undefined;
    fake.handler = (r) => {
      const custom = route(r, r.query);
      if (custom !== undefined) return custom;
      if (r.path === '/api/v3/time') return { status: 200, body: { serverTime: Date.now() + serverOffset } };
      if (r.path === '/api/v3/exchangeInfo') return { status: 200, body: EXCHANGE_INFO };
      const denied = authError(r);
      if (denied !== null) return denied;
      if (r.path === '/api/v3/order' && r.method === 'POST') return { status: 200, body: fullAnswer(r.query, r.query.get('quantity') ?? '0', 'FILLED') };
      if (r.path === '/api/v3/account') return { status: 200, body: { balances: [{ asset: 'BTC', free: '1.5', locked: '0' }, { asset: 'USDT', free: '1000', locked: '10' }] } };
      return { status: 400, body: { code: -2013, msg: 'Order does not exist.' } };
    };
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await fake.close();
  });

  function client(extra: Partial<BinanceTradingConfig> = {}): BinanceTradingClient {
    const c = new BinanceTradingClient(
      { ...binanceTradingSimEndpoints(fake.port), credentials: binanceCredentials(API_KEY, SECRET), requestTimeoutMs: 1000, timeSyncIntervalMs: 0, ...extra },
      { onError: (e) => errors.push(e) },
    );
    clients.push(c);
    return c;
  }

  const order = { symbol: 'BTC-USDT', side: 'buy' as const, qty: '0.0123456', limitPrice: '65000.10', clientOrderId: 'a3f9c0d1e2b4a5968778-b' };

  it('places a signed LIMIT IOC with FULL response: exact parameters, rounded qty, fills with commission', async () => {
    const c = client();
    const s = await c.placeIocLimit(order);
    const [post] = fake.calls('/api/v3/order', 'POST');
    expect(post).toBeDefined();
    const p = post?.query as URLSearchParams;
    expect(Object.fromEntries([...p.entries()].filter(([k]) => k !== 'timestamp' && k !== 'signature'))).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '0.01234',
      price: '65000.1',
      newClientOrderId: 'a3f9c0d1e2b4a5968778-b',
      newOrderRespType: 'FULL',
      recvWindow: '5000',
    });
    expect(post?.rawQuery.split('&').at(-1)).toMatch(/^signature=[0-9a-f]{64}$/);
    expect(post?.body).toBe('');
    expect(s).toMatchObject({
      venue: 'binance',
      symbol: 'BTC-USDT',
      clientOrderId: order.clientOrderId,
      venueOrderId: '42',
      side: 'buy',
      status: 'filled',
      final: true,
      requestedQty: '0.01234',
      filledQty: '0.01234',
      fee: '0.00000002',
      feeAsset: 'BTC',
    });
    expect(s.fills).toEqual([{ price: '65000.1', qty: '0.01234', fee: '0.00000002', feeAsset: 'BTC', tradeId: '900' }]);
    expect(fake.calls('/api/v3/exchangeInfo')).toHaveLength(1);
    await c.placeIocLimit({ ...order, clientOrderId: 'a3f9c0d1e2b4a5968778-s', side: 'sell' });
    expect(fake.calls('/api/v3/exchangeInfo')).toHaveLength(1); // rules cached
  });

  it('applies the filters before sending: nothing reaches the venue', async () => {
    const c = client();
    const e = await rejection(c.placeIocLimit({ ...order, qty: '0.00001' })); // notional 0.65 < 5
    expect(e).toBeInstanceOf(VenueRejectError);
    expect((e as VenueRejectError).code).toBe('FILTER_MIN_NOTIONAL');
    expect(await rejection(c.placeIocLimit({ ...order, limitPrice: '65000.005' }))).toBeInstanceOf(VenueRejectError);
    expect(await rejection(c.placeIocLimit({ ...order, clientOrderId: 'bad id!' }))).toBeInstanceOf(VenueRejectError);
    expect(await rejection(c.placeIocLimit({ ...order, symbol: 'NOPE-USDT' }))).toBeInstanceOf(VenueRejectError);
    expect(fake.calls('/api/v3/order')).toHaveLength(0);
  });

  it('uses the server time offset; on -1021 resyncs the clock and retries exactly once', async () => {
    serverOffset = 30_000; // local clock 30 s behind the venue
    const c = client();
    await c.start();
    expect(c.timeOffsetMs).toBeGreaterThan(29_000);
    expect((await c.placeIocLimit(order)).status).toBe('filled');

    serverOffset = -30_000; // venue clock jumps: our timestamps are now ahead
    const s = await c.placeIocLimit({ ...order, clientOrderId: 'a3f9c0d1e2b4a5968778-h1' });
    expect(s.status).toBe('filled');
    expect(fake.calls('/api/v3/time').length).toBe(2);
    expect(fake.calls('/api/v3/order', 'POST')).toHaveLength(3); // 1 + (rejected + retried)

    route = (r) => (r.path === '/api/v3/order' ? { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } } : undefined);
    const e = await rejection(c.placeIocLimit({ ...order, clientOrderId: 'a3f9c0d1e2b4a5968778-h2' }));
    expect(e).toBeInstanceOf(ClockSkewError);
    expect((e as ClockSkewError).retryable).toBe(true);
    expect(fake.calls('/api/v3/order', 'POST')).toHaveLength(5); // one retry only
  });

  it('no answer in time → VenueTimeoutError (outcome unknown)', async () => {
    route = (r) => (r.path === '/api/v3/order' ? null : undefined);
    const c = client({ requestTimeoutMs: 300 });
    const t0 = Date.now();
    const e = await rejection(c.placeIocLimit(order));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(e).toBeInstanceOf(VenueTimeoutError);
    expect(e).toMatchObject({ outcomeUnknown: true, retryable: false, venue: 'binance' });
  });

  it('maps venue errors to typed errors', async () => {
    const c = client({ maxRateLimitWaitMs: 100 });
    let answer: FakeAnswer = { status: 400, body: { code: -2010, msg: 'Account has insufficient balance for requested action.' } };
    route = (r) => (r.path === '/api/v3/order' ? answer : undefined);
    expect(await rejection(c.placeIocLimit(order))).toMatchObject({ name: 'VenueRejectError', code: -2010, retryable: false });
    answer = { status: 400, body: { code: -1013, msg: 'Filter failure: LOT_SIZE' } };
    expect(await rejection(c.placeIocLimit(order))).toBeInstanceOf(VenueRejectError);
    answer = { status: 503, body: 'Unknown error, please check your request or try again later.' };
    expect(await rejection(c.placeIocLimit(order))).toMatchObject({ name: 'VenueUnavailableError', outcomeUnknown: true });
    answer = { status: 429, body: { code: -1003, msg: 'Too many requests.' }, headers: { 'retry-after': '1' } };
    const rl = await rejection(c.placeIocLimit(order));
    expect(rl).toBeInstanceOf(VenueRateLimitError);
    expect((rl as VenueRateLimitError).retryAfterMs).toBe(1000);
    // The client now holds back every request for Retry-After: it fails fast without sending.
    const before = fake.requests.length;
    const held = await rejection(c.balances());
    expect(held).toMatchObject({ name: 'VenueRateLimitError', code: 'CLIENT_RATE_LIMIT' });
    expect((held as VenueRateLimitError).retryAfterMs).toBeGreaterThan(500);
    expect(fake.requests.length).toBe(before);
  });

  it('bad key / bad signature → VenueAuthError', async () => {
    const wrongSecret = new BinanceTradingClient({ ...binanceTradingSimEndpoints(fake.port), credentials: binanceCredentials(API_KEY, 'x'.repeat(64)), timeSyncIntervalMs: 0 });
    clients.push(wrongSecret);
    expect(await rejection(wrongSecret.balances())).toMatchObject({ name: 'VenueAuthError', code: -1022 });
    const wrongKey = new BinanceTradingClient({ ...binanceTradingSimEndpoints(fake.port), credentials: binanceCredentials('nope', SECRET), timeSyncIntervalMs: 0 });
    clients.push(wrongKey);
    const e = await rejection(wrongKey.balances());
    expect(e).toBeInstanceOf(VenueAuthError);
    expect((e as VenueAuthError).code).toBe(-2015);
  });

  it('getOrder: null for an unknown order; reads missing fills from myTrades', async () => {
    const c = client();
    expect(await c.getOrder('BTC-USDT', 'a0000000000000000000-b')).toBeNull();
    route = (r, p) => {
      if (r.path === '/api/v3/order' && r.method === 'GET' && authError(r) === null) {
        return {
          status: 200,
          body: { symbol: 'BTCUSDT', orderId: 7, clientOrderId: p.get('origClientOrderId'), price: '100.00', origQty: '2', executedQty: '1.5', cummulativeQuoteQty: '150', status: 'EXPIRED', side: 'SELL', time: 1, updateTime: 2 },
        };
      }
      if (r.path === '/api/v3/myTrades' && p.get('orderId') === '7') {
        return {
          status: 200,
          body: [
            { symbol: 'BTCUSDT', id: 1, orderId: 7, price: '100', qty: '1', quoteQty: '100', commission: '0.1', commissionAsset: 'USDT', time: 1 },
            { symbol: 'BTCUSDT', id: 2, orderId: 7, price: '100', qty: '0.5', quoteQty: '50', commission: '0.05', commissionAsset: 'USDT', time: 2 },
          ],
        };
      }
      return undefined;
    };
    const s = await c.getOrder('BTC-USDT', 'a1111111111111111111-s');
    expect(s).toMatchObject({ status: 'expired', final: true, filledQty: '1.5', avgPrice: '100', fee: '0.15', feeAsset: 'USDT', side: 'sell' });
    expect(s?.fills.map((f) => f.tradeId)).toEqual(['1', '2']);
  });

  it('cancelOrder: an already-final order (-2011 Unknown order) is returned as is; unknown → OrderNotFoundError', async () => {
    const c = client();
    await c.placeIocLimit(order);
    route = (r) => (r.path === '/api/v3/order' && r.method === 'DELETE' ? { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } } : undefined);
    const filled = await c.cancelOrder('BTC-USDT', 'a0000000000000000000-x').catch((e: unknown) => e);
    expect(filled).toBeInstanceOf(OrderNotFoundError);
    route = (r, p) => {
      if (r.path === '/api/v3/order' && r.method === 'DELETE') return { status: 400, body: { code: -2011, msg: 'Unknown order sent.' } };
      if (r.path === '/api/v3/order' && r.method === 'GET') {
        return { status: 200, body: { ...(fullAnswer(new URLSearchParams({ symbol: 'BTCUSDT', price: '65000.1', quantity: '0.01234', side: 'BUY', newClientOrderId: p.get('origClientOrderId') ?? '' }), '0.01234', 'FILLED') as object), fills: undefined } };
      }
      return undefined;
    };
    const s = await c.cancelOrder('BTC-USDT', order.clientOrderId);
    expect(s).toMatchObject({ status: 'filled', final: true, clientOrderId: order.clientOrderId });
    expect(s.fills).toHaveLength(1); // merged with what the placement answer had
  });

  it('cancelOrder of an open order returns the canceled state', async () => {
    const c = client();
    route = (r, p) =>
      r.path === '/api/v3/order' && r.method === 'DELETE'
        ? {
            status: 200,
            body: { symbol: 'BTCUSDT', origClientOrderId: p.get('origClientOrderId'), orderId: 9, clientOrderId: 'cancel-1', price: '1', origQty: '1', executedQty: '0', cummulativeQuoteQty: '0', status: 'CANCELED', side: 'BUY', transactTime: 5 },
          }
        : undefined;
    expect(await c.cancelOrder('BTC-USDT', 'a2222222222222222222-u1')).toMatchObject({ clientOrderId: 'a2222222222222222222-u1', status: 'canceled', final: true, venueOrderId: '9' });
    const del = fake.calls('/api/v3/order', 'DELETE')[0];
    expect(del?.query.get('origClientOrderId')).toBe('a2222222222222222222-u1');
  });

  it('balances', async () => {
    expect(await client().balances()).toEqual([
      { asset: 'BTC', free: '1.5', locked: '0' },
      { asset: 'USDT', free: '1000', locked: '10' },
    ]);
  });

  it('private stream: signed userDataStream.subscribe.signature, executionReports → onOrderUpdate, resubscribe after a drop', async () => {
    const subscribes: Array<Record<string, unknown>> = [];
    fake.onWsMessage = (ws: WebSocket, text: string) => {
      const req = JSON.parse(text) as { id: string; method: string; params: Record<string, string | number> };
      subscribes.push(req);
      const { signature, ...rest } = req.params;
      const payload = Object.keys(rest)
        .sort()
        .map((k) => `${k}=${String(rest[k])}`)
        .join('&');
      const good = req.method === 'userDataStream.subscribe.signature' && rest.apiKey === API_KEY && signature === hmac(payload);
      ws.send(JSON.stringify(good ? { id: req.id, status: 200, result: { subscriptionId: 0 } } : { id: req.id, status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } }));
    };
    const c = client();
    const updates: OrderState[] = [];
    c.onOrderUpdate((o) => updates.push(o));
    await c.instruments(['BTC-USDT']);
    await c.start();
    await waitFor(() => c.streamState === 'live', 3000, 'stream live');
    expect(fake.wsPaths).toEqual(['/ws-api/v3']);
    expect(Object.keys(subscribes[0]?.params as object).sort()).toEqual(['apiKey', 'recvWindow', 'signature', 'timestamp']);

    const ev = (over: Record<string, unknown>): unknown => ({
      subscriptionId: 0,
      event: { e: 'executionReport', E: 1, s: 'BTCUSDT', c: 'a3f9c0d1e2b4a5968778-s', S: 'SELL', o: 'LIMIT', f: 'IOC', q: '1', p: '100', C: '', x: 'NEW', X: 'NEW', r: 'NONE', i: 5, l: '0', z: '0', L: '0', n: '0', N: null, T: 10, t: -1, Z: '0', ...over },
    });
    fake.broadcast(ev({}));
    fake.broadcast(ev({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.4', z: '0.4', L: '100', Z: '40', n: '0.04', N: 'USDT', t: 1, T: 11 }));
    fake.broadcast('{"subscriptionId":0,"event":{"e":"executionReport","broken":true}}');
    fake.broadcast(ev({ x: 'EXPIRED', X: 'EXPIRED', z: '0.4', Z: '40', T: 12 }));
    await waitFor(() => updates.some((u) => u.final), 3000, 'final update');
    expect(updates.map((u) => u.status)).toEqual(['new', 'partially_filled', 'expired']);
    expect(updates[2]).toMatchObject({ symbol: 'BTC-USDT', filledQty: '0.4', fee: '0.04', feeAsset: 'USDT', fills: [{ tradeId: '1' }] });
    expect(c.streamCounters.rejected).toBe(1);

    fake.dropConnections();
    await waitFor(() => subscribes.length === 2 && c.streamState === 'live', 5000, 'resubscribed');
  });

  it('secrets never appear in JSON / inspect of the client, nor in error messages', async () => {
    const c = client();
    await c.balances();
    route = (r) => (r.path === '/api/v3/account' ? { status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } } : undefined);
    const e = (await rejection(c.balances())) as VenueError;
    route = (r) => (r.path === '/api/v3/account' ? null : undefined);
    const t = await rejection(client({ requestTimeoutMs: 100 }).balances());
    for (const text of [JSON.stringify(c), inspect(c, { depth: 8, showHidden: true }), e.message, inspect(e), t.message, inspect(t), String(e.stack)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain('signature=');
    }
    expect(t).toBeInstanceOf(VenueTimeoutError);
    expect(errors.every((x) => !x.message.includes(SECRET))).toBe(true);
  });

  it('a 200 answer that cannot be read → outcome unknown', async () => {
    route = (r) => (r.path === '/api/v3/order' ? { status: 200, body: { hello: 'world' } } : undefined);
    const e = await rejection(client().placeIocLimit(order));
    expect(e).toBeInstanceOf(VenueUnavailableError);
    expect(e).toMatchObject({ outcomeUnknown: true, code: 'BAD_RESPONSE' });
  });
});
