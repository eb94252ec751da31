import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import type { WebSocket } from 'ws';
import {
  CoinbaseTradingClient,
  coinbaseCredentials,
  coinbaseTradingSimEndpoints,
  OrderNotFoundError,
  VenueAuthError,
  VenueRateLimitError,
  VenueRejectError,
  VenueTimeoutError,
  VenueUnavailableError,
  type OrderState,
} from '../src';
import { verifyJwt, type CoinbaseTradingConfig } from '../src/coinbase';
import { rejection, TradingFake, waitFor, type FakeAnswer, type FakeRequest } from './trading-fake';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const PEM_BODY = PEM.split('\n')[1] as string; // a line of the key material
const KEY_NAME = 'organizations/org-1/apiKeys/key-1';
const API = '/api/v3/brokerage';

const PRODUCTS = {
  products: [
    {
      product_id: 'BTC-USD',
      base_increment: '0.00000001',
      quote_increment: '0.01',
      price_increment: '0.01',
      base_min_size: '0.000001',
      base_max_size: '3400',
      quote_min_size: '1',
      quote_max_size: '150000000',
      status: 'online',
      trading_disabled: false,
    },
  ],
  num_products: 1,
};

interface FakeOrder {
  order_id: string;
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  base_size: string;
  limit_price: string;
  status: string;
  filled_size: string;
  reads: number;
}

describe('CoinbaseTradingClient against a scripted venue', () => {
  let fake: TradingFake;
  let orders: Map<string, FakeOrder>;
  let route: (r: FakeRequest) => FakeAnswer | undefined;
  let seq: number;
  const clients: CoinbaseTradingClient[] = [];
  const errors: Error[] = [];
  const jwtUris: string[] = [];

  function historical(o: FakeOrder): unknown {
    const filled = Number(o.filled_size);
    return {
      order_id: o.order_id,
      product_id: o.product_id,
      client_order_id: o.client_order_id,
      side: o.side,
      status: o.status,
      order_configuration: { sor_limit_ioc: { base_size: o.base_size, limit_price: o.limit_price } },
      filled_size: o.filled_size,
      average_filled_price: filled > 0 ? o.limit_price : '0',
      filled_value: (filled * Number(o.limit_price)).toString(),
      total_fees: (filled * Number(o.limit_price) * 0.001).toString(),
      created_time: '2024-01-01T00:00:00Z',
    };
  }

  function auth(r: FakeRequest): FakeAnswer {
    const m = /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''));
    const jwt = m === null ? null : verifyJwt(m[1] as string, publicKey);
    const c = jwt?.claims;
    if (c === undefined || c.sub !== KEY_NAME || c.iss !== 'cdp' || (c.exp as number) - (c.nbf as number) !== 120 || jwt?.header.kid !== KEY_NAME) {
      return { status: 401, body: 'Unauthorized\n' };
    }
    jwtUris.push(String(c.uri));
    if (c.uri !== `${r.method} 127.0.0.1:${fake.port}${r.path}`) return { status: 401, body: 'Unauthorized\n' };
    return null;
  }

  beforeEach(async () => {
    fake = await new TradingFake().listen();
    orders = new Map();
    route = () => undefined;
    seq = 0;
    errors.length = 0;
    jwtUris.length = 0;
    fake.handler = (r) => {
      const custom = route(r);
      if (custom !== undefined) return custom;
      if (r.path === `${API}/market/products`) return { status: 200, body: PRODUCTS };
      const denied = auth(r);
      if (denied !== null) return denied;
      if (r.path === `${API}/orders` && r.method === 'POST') {
        const b = JSON.parse(r.body) as { client_order_id: string; product_id: string; side: 'BUY' | 'SELL'; order_configuration: { sor_limit_ioc: { base_size: string; limit_price: string } } };
        const cfg = b.order_configuration.sor_limit_ioc;
        if (Number(cfg.base_size) * Number(cfg.limit_price) > 100_000) {
          return { status: 200, body: { success: false, failure_reason: 'UNKNOWN_FAILURE_REASON', order_id: '', error_response: { error: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account' } } };
        }
        const id = `ord-${orders.size + 1}`;
        orders.set(id, { order_id: id, client_order_id: b.client_order_id, product_id: b.product_id, side: b.side, base_size: cfg.base_size, limit_price: cfg.limit_price, status: 'OPEN', filled_size: '0', reads: 0 });
        return { status: 200, body: { success: true, success_response: { order_id: id, product_id: b.product_id, side: b.side, client_order_id: b.client_order_id } } };
      }
      const hist = new RegExp(`^${API}/orders/historical/(ord-\\d+)$`).exec(r.path);
      if (hist !== null) {
        const o = orders.get(hist[1] as string);
        if (o === undefined) return { status: 404, body: { error: 'NOT_FOUND', message: 'order not found' } };
        // IOC: open on the first read, then half filled and cancelled.
        if (++o.reads >= 2 && o.status === 'OPEN') {
          o.status = 'CANCELLED';
          o.filled_size = (Number(o.base_size) / 2).toString();
        }
        return { status: 200, body: { order: historical(o) } };
      }
      if (r.path === `${API}/orders/historical/batch`) {
        const all = [...orders.values()].filter((o) => o.product_id === r.query.get('product_ids')).reverse();
        const limit = Number(r.query.get('limit') ?? 100);
        const start = Number(r.query.get('cursor') ?? 0);
        const page = all.slice(start, start + limit);
        const next = start + limit < all.length;
        return { status: 200, body: { orders: page.map(historical), has_next: next, cursor: next ? String(start + limit) : '' } };
      }
      if (r.path === `${API}/orders/batch_cancel`) {
        const ids = (JSON.parse(r.body) as { order_ids: string[] }).order_ids;
        return {
          status: 200,
          body: {
            results: ids.map((id) => {
              const o = orders.get(id);
              if (o === undefined || o.status !== 'OPEN') return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
              o.status = 'CANCELLED';
              return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
            }),
          },
        };
      }
      if (r.path === `${API}/accounts`) {
        const second = r.query.get('cursor') === 'p2';
        return {
          status: 200,
          body: second
            ? { accounts: [{ currency: 'USD', available_balance: { value: '10', currency: 'USD' }, hold: { value: '1', currency: 'USD' } }], has_next: false, cursor: '' }
            : {
                accounts: [
                  { currency: 'BTC', available_balance: { value: '1.5', currency: 'BTC' }, hold: { value: '0', currency: 'BTC' } },
                  { currency: 'USD', available_balance: { value: '990', currency: 'USD' }, hold: { value: '2', currency: 'USD' } },
                ],
                has_next: true,
                cursor: 'p2',
              },
        };
      }
      return { status: 404, body: { error: 'NOT_FOUND' } };
    };
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await fake.close();
  });

  function client(extra: Partial<CoinbaseTradingConfig> = {}): CoinbaseTradingClient {
    const c = new CoinbaseTradingClient(
      { ...coinbaseTradingSimEndpoints(fake.port), credentials: coinbaseCredentials(KEY_NAME, PEM), requestTimeoutMs: 1000, settlePollMs: 20, ...extra },
      { onError: (e) => errors.push(e) },
    );
    clients.push(c);
    return c;
  }

  const order = { symbol: 'BTC-USD', side: 'buy' as const, qty: '0.0123456789', limitPrice: '50000.00', clientOrderId: 'a3f9c0d1e2b4a5968778-b' };

  it('places sor_limit_ioc with a per-request JWT and settles to the final state', async () => {
    const c = client();
    const s = await c.placeIocLimit(order);
    const post = fake.calls(`${API}/orders`, 'POST')[0];
    expect(JSON.parse(post?.body ?? '')).toEqual({
      client_order_id: 'a3f9c0d1e2b4a5968778-b',
      product_id: 'BTC-USD',
      side: 'BUY',
      order_configuration: { sor_limit_ioc: { base_size: '0.01234567', limit_price: '50000' } },
    });
    expect(post?.headers['content-type']).toBe('application/json');
    expect(jwtUris[0]).toBe(`POST 127.0.0.1:${fake.port}${API}/orders`);
    expect(s).toMatchObject({
      venue: 'coinbase',
      clientOrderId: order.clientOrderId,
      venueOrderId: 'ord-1',
      status: 'canceled',
      final: true,
      requestedQty: '0.01234567',
      filledQty: '0.006172835',
      avgPrice: '50000',
      feeAsset: 'USD',
    });
    expect(fake.calls(`${API}/orders/historical/ord-1`).length).toBe(2);
  });

  it('create failure → VenueRejectError with the failure reason; filters checked before sending', async () => {
    const c = client();
    const e = await rejection(c.placeIocLimit({ ...order, qty: '3' }));
    expect(e).toBeInstanceOf(VenueRejectError);
    expect(e).toMatchObject({ code: 'INSUFFICIENT_FUND', retryable: false });
    expect(await rejection(c.placeIocLimit({ ...order, qty: '0.00001', limitPrice: '1.00' }))).toMatchObject({ code: 'FILTER_MIN_NOTIONAL' });
    expect(await rejection(c.placeIocLimit({ ...order, limitPrice: '50000.001' }))).toMatchObject({ code: 'FILTER_PRICE_TICK' });
    expect(fake.calls(`${API}/orders`, 'POST')).toHaveLength(1);
  });

  it('getOrder after a restart: lists the product orders (paged) and matches client_order_id', async () => {
    const first = client();
    for (let i = 0; i < 5; i++) await first.placeIocLimit({ ...order, clientOrderId: `a3f9c0d1e2b4a5968778-h${i + 1}` });
    const fresh = client({ lookupPageSize: 2 });
    const s = await fresh.getOrder('BTC-USD', 'a3f9c0d1e2b4a5968778-h1');
    expect(s).toMatchObject({ venueOrderId: 'ord-1', status: 'canceled', final: true });
    const lists = fake.calls(`${API}/orders/historical/batch`);
    expect(lists.length).toBe(3); // newest first, 2 per page: ord-1 is on page 3
    expect(lists[0]?.query.get('product_ids')).toBe('BTC-USD');
    expect(await fresh.getOrder('BTC-USD', 'a0000000000000000000-b')).toBeNull();
    expect(fresh.counters.lookupsByList).toBe(2);
  });

  it('getOrder by client id: a listing longer than lookupPages fails (retryable, LOOKUP_INCOMPLETE) instead of answering "not found"', async () => {
    const first = client();
    for (let i = 0; i < 7; i++) await first.placeIocLimit({ ...order, clientOrderId: `a3f9c0d1e2b4a5968778-h${i + 1}` });
    const short = client({ lookupPageSize: 2, lookupPages: 2 });
    // ord-1 is on page 4: not seen in 2 pages is not "never arrived".
    const e = await rejection(short.getOrder('BTC-USD', 'a3f9c0d1e2b4a5968778-h1'));
    expect(e).toBeInstanceOf(VenueUnavailableError);
    expect(e).not.toBeInstanceOf(OrderNotFoundError);
    expect(e).toMatchObject({ code: 'LOOKUP_INCOMPLETE', retryable: true });
    expect(await rejection(short.getOrder('BTC-USD', 'a0000000000000000000-b'))).toMatchObject({ code: 'LOOKUP_INCOMPLETE' });
    expect(await rejection(short.cancelOrder('BTC-USD', 'a0000000000000000000-b'))).not.toBeInstanceOf(OrderNotFoundError);
    // Read to its end, the listing answers both ways.
    const full = client({ lookupPageSize: 2 });
    expect(await full.getOrder('BTC-USD', 'a3f9c0d1e2b4a5968778-h1')).toMatchObject({ venueOrderId: 'ord-1' });
    expect(await full.getOrder('BTC-USD', 'a0000000000000000000-b')).toBeNull();
    expect(fake.calls(`${API}/orders/historical/batch`).filter((c) => c.query.get('limit') === '2').length).toBe(2 + 2 + 2 + 4 + 4);
  });

  it("a 404 that is not the venue's NOT_FOUND answer for the order (gateway page, wrong path) is not \"no such order\"", async () => {
    const c = client();
    const placed = await c.placeIocLimit(order);
    let answer: FakeAnswer = { status: 404, body: '<html><body>404 Not Found</body></html>' };
    route = (r) => (r.path === `${API}/orders/historical/${placed.venueOrderId ?? ''}` ? answer : undefined);
    // The order id is known to `c`: a gateway 404 must not become "unknown order" (null).
    const e = await rejection(c.getOrder('BTC-USD', order.clientOrderId));
    expect(e).toBeInstanceOf(VenueUnavailableError);
    expect(e).toMatchObject({ httpStatus: 404, retryable: true });
    answer = { status: 404, body: { error: 'NOT_FOUND', message: 'unknown route' } };
    expect(await rejection(c.getOrder('BTC-USD', order.clientOrderId))).toBeInstanceOf(VenueUnavailableError);
    // The venue's own answer for that order id does mean it does not exist.
    answer = { status: 404, body: { error: 'NOT_FOUND', error_details: 'order with this orderID was not found', message: 'order with this orderID was not found' } };
    expect(await c.getOrder('BTC-USD', order.clientOrderId)).toBeNull();
  });

  it('cancelOrder: batch_cancel then the final state; an already-final order is returned as is', async () => {
    const c = client();
    route = (r) => {
      if (!r.path.startsWith(`${API}/orders/historical/ord-`)) return undefined;
      const o = orders.get(r.path.split('/').at(-1) as string);
      return o === undefined ? undefined : { status: 200, body: { order: historical(o) } }; // stays OPEN until cancelled
    };
    const open = await c.placeIocLimit(order);
    expect(open).toMatchObject({ status: 'new', final: false });
    const s = await c.cancelOrder('BTC-USD', order.clientOrderId);
    expect(s).toMatchObject({ status: 'canceled', final: true });
    expect(JSON.parse(fake.calls(`${API}/orders/batch_cancel`)[0]?.body ?? '')).toEqual({ order_ids: ['ord-1'] });
    expect(await c.cancelOrder('BTC-USD', order.clientOrderId)).toBe(s);
    expect(fake.calls(`${API}/orders/batch_cancel`)).toHaveLength(1);
    expect(await rejection(c.cancelOrder('BTC-USD', 'a0000000000000000000-b'))).toBeInstanceOf(OrderNotFoundError);
  }, 10_000);

  it('balances across pages (available = free, hold = locked)', async () => {
    expect(await client().balances()).toEqual([
      { asset: 'BTC', free: '1.5', locked: '0' },
      { asset: 'USD', free: '1000', locked: '3' },
    ]);
  });

  it('HTTP errors: 401 auth, 429 rate limit with Retry-After, 5xx on an order = outcome unknown, timeout', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const bad = new CoinbaseTradingClient({ ...coinbaseTradingSimEndpoints(fake.port), credentials: coinbaseCredentials(KEY_NAME, other) });
    clients.push(bad);
    expect(await rejection(bad.balances())).toMatchObject({ name: 'VenueAuthError', httpStatus: 401 });
    const c = client();
    await c.instruments(['BTC-USD']);
    let answer: FakeAnswer = { status: 429, body: { error: 'rate_limit_exceeded', message: 'Too many requests' }, headers: { 'retry-after': '2' } };
    route = (r) => (r.path === `${API}/orders` ? answer : undefined);
    const rl = await rejection(c.placeIocLimit(order));
    expect(rl).toBeInstanceOf(VenueRateLimitError);
    expect((rl as VenueRateLimitError).retryAfterMs).toBe(2000);
    const c2 = client();
    await c2.instruments(['BTC-USD']);
    answer = { status: 503, body: { error: 'unavailable', message: 'try later' } };
    expect(await rejection(c2.placeIocLimit(order))).toMatchObject({ name: 'VenueUnavailableError', outcomeUnknown: true });
    answer = null;
    const t = await rejection(client({ requestTimeoutMs: 200 }).placeIocLimit(order));
    expect(t).toBeInstanceOf(VenueTimeoutError);
    expect(t).toMatchObject({ outcomeUnknown: true });
    answer = { status: 400, body: { success: false, error_response: { error: 'INVALID_LIMIT_PRICE', message: 'bad price' } } };
    expect(await rejection(c2.placeIocLimit(order))).toMatchObject({ name: 'VenueRejectError', code: 'INVALID_LIMIT_PRICE', httpStatus: 400 });
    expect(VenueAuthError).toBeDefined();
    expect(VenueUnavailableError).toBeDefined();
  });

  it('user channel: JWT subscribe (heartbeats + user), order updates → onOrderUpdate, sequence gap → re-read open orders', async () => {
    const subs: Array<Record<string, unknown>> = [];
    fake.onWsMessage = (ws: WebSocket, text: string) => {
      const m = JSON.parse(text) as Record<string, unknown>;
      subs.push(m);
      const jwt = verifyJwt(String(m.jwt), publicKey);
      if (jwt === null || jwt.claims.uri !== undefined || jwt.claims.sub !== KEY_NAME) {
        ws.send(JSON.stringify({ type: 'error', message: 'authentication failure' }));
        return;
      }
      ws.send(JSON.stringify({ channel: 'subscriptions', client_id: '', timestamp: '', sequence_num: seq++, events: [{ subscriptions: { [String(m.channel)]: [] } }] }));
    };
    const c = client();
    const updates: OrderState[] = [];
    c.onOrderUpdate((o) => updates.push(o));
    await c.start();
    await waitFor(() => c.streamState === 'live' && subs.length === 2, 3000, 'live');
    expect(fake.wsPaths).toEqual(['/user']);
    expect(subs.map((s) => s.channel)).toEqual(['heartbeats', 'user']);

    const userFrame = (status: string, cum: string, leaves: string): unknown => ({
      channel: 'user',
      client_id: '',
      timestamp: '2024-01-01T00:00:00Z',
      sequence_num: seq++,
      events: [
        {
          type: 'update',
          orders: [
            { order_id: 'ord-77', client_order_id: 'a3f9c0d1e2b4a5968778-u1', product_id: 'BTC-USD', order_side: 'SELL', status, cumulative_quantity: cum, leaves_quantity: leaves, avg_price: '100', total_fees: '0.1', filled_value: (Number(cum) * 100).toString() },
          ],
        },
      ],
    });
    fake.broadcast(userFrame('OPEN', '0.5', '0.5'));
    fake.broadcast('{"channel":"user","sequence_num":"x"}');
    await waitFor(() => updates.length === 1, 2000, 'first update');
    expect(updates[0]).toMatchObject({ symbol: 'BTC-USD', status: 'partially_filled', filledQty: '0.5', requestedQty: '1', venueOrderId: 'ord-77' });

    // A jump in sequence_num: the client re-reads every open order by id.
    orders.set('ord-77', { order_id: 'ord-77', client_order_id: 'a3f9c0d1e2b4a5968778-u1', product_id: 'BTC-USD', side: 'SELL', base_size: '1', limit_price: '100', status: 'FILLED', filled_size: '1', reads: 5 });
    seq += 3;
    fake.broadcast({ channel: 'heartbeats', sequence_num: seq++, events: [{ current_time: '', heartbeat_counter: 1 }] });
    await waitFor(() => updates.some((u) => u.final), 3000, 'reconciled');
    expect(c.streamCounters.gaps).toBe(1);
    expect(updates.at(-1)).toMatchObject({ status: 'filled', filledQty: '1', final: true });
    expect(fake.calls(`${API}/orders/historical/ord-77`)).toHaveLength(1);
    // Updates never go backwards.
    fake.broadcast(userFrame('OPEN', '0.5', '0.5'));
    await new Promise((r) => setTimeout(r, 50));
    expect(updates.at(-1)?.status).toBe('filled');
  });

  it('secrets never appear in JSON / inspect of the client, nor in error messages', async () => {
    const c = client();
    route = (r) => (r.path === `${API}/accounts` ? { status: 401, body: 'Unauthorized' } : undefined);
    const e = await rejection(c.balances());
    for (const text of [JSON.stringify(c), inspect(c, { depth: 8, showHidden: true }), e.message, inspect(e)]) {
      expect(text).not.toContain(PEM_BODY);
      expect(text).not.toContain('Bearer');
      expect(text).not.toContain('BEGIN EC PRIVATE KEY');
    }
  });
});
