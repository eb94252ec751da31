import type { ExchangeSim } from '../src';
import { Client, HOST, TestBook, getJson, startSim } from './helpers';

interface DepthEvent {
  e: string;
  E: number;
  s: string;
  U: number;
  u: number;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
}
interface Combined {
  stream: string;
  data: DepthEvent;
}
interface Snapshot {
  lastUpdateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}
interface TrueBook {
  seq: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

describe('binance sim: market streams', () => {
  let sim: ExchangeSim;
  let rest: string;
  let control: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    sim = await startSim({ rate: { levelUpdatesPerSec: 4000 }, control: { port: 0, historySize: 50000 }, venues: { binance: { pingIntervalMs: 150, pongTimeoutMs: 300 } } });
    rest = `http://${HOST}:${sim.ports.binance}`;
    control = `http://${HOST}:${sim.ports.control}`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => sim.stop());

  const connect = async (path: string, opts = {}): Promise<Client> => {
    const c = new Client(`ws://${HOST}:${sim.ports.binance}${path}`, opts);
    clients.push(c);
    await c.opened();
    return c;
  };

  it('combined @depth@0ms: contiguous ids; REST snapshot + diffs reproduce the true book at every u', async () => {
    const c = await connect('/stream?streams=btcusdt@depth@0ms/ethusdt@depth@100ms');
    await c.until(() => c.frames.length >= 5, 5000, 'first events');
    const snap = (await getJson<Snapshot>(`${rest}/api/v3/depth?symbol=BTCUSDT&limit=1000`)).body;
    await c.until(() => c.frames.length >= 400, 10000, '400 events');
    const events = (c.json() as Combined[]).filter((m) => m.stream === 'btcusdt@depth@0ms').map((m) => m.data);
    const eth = (c.json() as Combined[]).filter((m) => m.stream === 'ethusdt@depth@100ms').map((m) => m.data);
    expect(events.length).toBeGreaterThan(100);
    expect(eth.length).toBeGreaterThan(0);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]?.U).toBe((events[i - 1]?.u ?? 0) + 1);
      expect(events[i]?.U).toBe(events[i]?.u);
      expect(events[i]?.e).toBe('depthUpdate');
      expect(events[i]?.s).toBe('BTCUSDT');
    }
    for (let i = 1; i < eth.length; i++) expect(eth[i]?.U).toBe((eth[i - 1]?.u ?? 0) + 1);
    // Canonical sync: drop u <= lastUpdateId, the first applied event must straddle it.
    const book = new TestBook();
    book.replace(snap.bids, snap.asks);
    const pending = events.filter((e) => e.u > snap.lastUpdateId);
    expect(pending[0]?.U).toBeLessThanOrEqual(snap.lastUpdateId + 1);
    let checked = 0;
    for (const [i, e] of pending.entries()) {
      book.apply('bid', e.b);
      book.apply('ask', e.a);
      expect(book.violations()).toEqual([]);
      if (i % 25 === 0 || i === pending.length - 1) {
        const truth = (await getJson<TrueBook>(`${control}/control/book?venue=binance&symbol=BTC-USDT&seq=${e.u}&depth=1000`)).body;
        expect(truth.seq).toBe(e.u);
        expect(book.top()).toEqual({ bids: truth.bids, asks: truth.asks });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('raw /ws/<stream>, live SUBSCRIBE / LIST_SUBSCRIPTIONS / UNSUBSCRIBE / properties', async () => {
    const c = await connect('/ws/ethusdt@depth@0ms');
    await c.until(() => c.frames.length > 0, 5000, 'raw event');
    expect((JSON.parse(c.frames[0]?.text ?? '') as DepthEvent).e).toBe('depthUpdate');
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker', 'btcusdt@depth5@100ms'], id: 1 });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    c.send({ method: 'GET_PROPERTY', params: ['combined'], id: 'x3' });
    await c.until(() => c.frames.some((f) => f.text.includes('"id":"x3"')), 5000, 'responses');
    const msgs = c.json() as Array<Record<string, unknown>>;
    expect(msgs).toContainEqual({ result: null, id: 1 });
    const list = msgs.find((m) => m.id === 2);
    expect(list?.result).toEqual(expect.arrayContaining(['ethusdt@depth@0ms', 'btcusdt@bookTicker', 'btcusdt@depth5@100ms']));
    expect(msgs).toContainEqual({ result: false, id: 'x3' });
    await c.until(() => (c.json() as Array<Record<string, unknown>>).some((m) => 'A' in m) && (c.json() as Array<Record<string, unknown>>).some((m) => 'lastUpdateId' in m), 5000, 'ticker + partial');
    const ticker = (c.json() as Array<Record<string, unknown>>).find((m) => 'A' in m) as Record<string, unknown>;
    expect(ticker).toEqual({ u: expect.any(Number), s: 'BTCUSDT', b: expect.any(String), B: expect.any(String), a: expect.any(String), A: expect.any(String) });
    expect(Number(ticker.b)).toBeLessThan(Number(ticker.a));
    const partial = (c.json() as Array<Record<string, unknown>>).find((m) => 'lastUpdateId' in m) as unknown as Snapshot;
    expect(partial.bids).toHaveLength(5);
    expect(partial.asks).toHaveLength(5);
    c.send({ method: 'SET_PROPERTY', params: ['combined', true], id: 4 });
    await c.until(() => c.frames.some((f) => f.text.startsWith('{"stream":')), 5000, 'combined after SET_PROPERTY');
    c.send({ method: 'UNSUBSCRIBE', params: ['ethusdt@depth@0ms', 'btcusdt@bookTicker', 'btcusdt@depth5@100ms'], id: 5 });
    await c.until(() => c.frames.some((f) => f.text === '{"result":null,"id":5}'), 5000, 'unsubscribe ack');
    const n = c.frames.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(c.frames.slice(n).filter((f) => !f.text.startsWith('{"result"'))).toEqual([]);
  });

  it('rejects bad requests with Binance error frames and bad combined-stream URLs with 400', async () => {
    const c = await connect('/ws');
    c.send('not json');
    c.send({ method: 'SUBSCRIBED', params: [], id: 7 });
    c.send({ method: 'SUBSCRIBE', params: ['nopeusdt@depth'], id: 8 });
    await c.until(() => c.frames.length >= 3, 5000, 'three errors');
    const [a, b, d] = c.json() as Array<{ error: { code: number; msg: string }; id: unknown }>;
    expect(a?.error.code).toBe(3);
    expect(b?.error.code).toBe(2);
    expect(b?.id).toBe(7);
    expect(d?.error.code).toBe(2);
    expect(d?.id).toBe(8);
    const bad = new Client(`ws://${HOST}:${sim.ports.binance}/stream?streams=nopeusdt@depth`);
    clients.push(bad);
    await expect(bad.opened()).rejects.toThrow(/400/);
    const stats = (await getJson<{ venues: { binance: { badClientMessages: number } } }>(`${control}/control/stats`)).body;
    expect(stats.venues.binance).toBeDefined();
    const metrics = await (await fetch(`${control}/metrics`)).text();
    expect(metrics).toMatch(/sim_bad_input_total\{venue="binance",kind="bad_request"[^}]*\} [1-9]/);
  });

  it('a raw connection accepts any path segment, as the venue does: ccxt opens /ws/<n> and then SUBSCRIBEs', async () => {
    const c = await connect('/ws/0');
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 1 });
    c.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 2 });
    await c.until(() => c.json().some((m) => (m as { e?: string }).e === 'depthUpdate'), 10_000, 'a depth update after SUBSCRIBE');
    expect(c.json().slice(0, 2)).toEqual([
      { result: [], id: 1 },
      { result: null, id: 2 },
    ]);
    const unknown = await connect('/ws/nopeusdt@depth/btcusdt@bookTicker');
    unknown.send({ method: 'LIST_SUBSCRIPTIONS', id: 3 });
    await unknown.until(() => unknown.json().some((m) => (m as { id?: number }).id === 3), 5000, 'the subscription list');
    expect(unknown.json().find((m) => (m as { id?: number }).id === 3)).toEqual({ result: ['btcusdt@bookTicker'], id: 3 });
  });

  it('closes a connection that exceeds 5 incoming messages per second', async () => {
    const c = await connect('/ws');
    for (let i = 0; i < 8; i++) c.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await c.until(() => c.closed !== null, 5000, 'close');
    expect(c.closed?.code).toBe(1008);
  });

  it('sends ping frames and closes a connection whose pong does not come', async () => {
    const good = await connect('/ws/btcusdt@bookTicker');
    const mute = await connect('/ws/btcusdt@bookTicker', { autoPong: false });
    await good.until(() => good.pings >= 3, 5000, 'pings');
    await mute.until(() => mute.closed !== null, 5000, 'pong timeout close');
    expect(good.closed).toBeNull();
    const stats = (await getJson<{ venues: { binance: { pongTimeouts: number; pongsReceived: number } } }>(`${control}/control/stats`)).body;
    expect(stats.venues.binance.pongTimeouts).toBeGreaterThanOrEqual(1);
    expect(stats.venues.binance.pongsReceived).toBeGreaterThanOrEqual(3);
  });
});

describe('binance sim: REST', () => {
  let sim: ExchangeSim;
  let rest: string;
  beforeAll(async () => {
    sim = await startSim({ venues: { binance: { weightLimitPerMinute: 60 } } });
    rest = `http://${HOST}:${sim.ports.binance}`;
  });
  afterAll(() => sim.stop());

  it('ping, time, exchangeInfo filters, depth with weights, Binance errors', async () => {
    expect((await getJson(`${rest}/api/v3/ping`)).body).toEqual({});
    const time = (await getJson<{ serverTime: number }>(`${rest}/api/v3/time`)).body;
    expect(Math.abs(time.serverTime - Date.now())).toBeLessThan(1000);
    const info = await getJson<{ symbols: Array<Record<string, unknown>> }>(`${rest}/api/v3/exchangeInfo?symbol=BTCUSDT`);
    expect(info.status).toBe(200);
    const s = info.body.symbols[0] as { symbol: string; status: string; baseAsset: string; quoteAsset: string; filters: Array<Record<string, unknown>> };
    expect([s.symbol, s.status, s.baseAsset, s.quoteAsset]).toEqual(['BTCUSDT', 'TRADING', 'BTC', 'USDT']);
    expect(s.filters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ filterType: 'PRICE_FILTER', tickSize: '0.01000000' }),
        expect.objectContaining({ filterType: 'LOT_SIZE', stepSize: '0.00001000', minQty: '0.00001000' }),
        expect.objectContaining({ filterType: 'NOTIONAL', minNotional: expect.any(String), maxNotional: expect.any(String) }),
      ]),
    );
    const depth = await getJson<Snapshot>(`${rest}/api/v3/depth?symbol=ETHUSDT&limit=5`);
    expect(depth.body.bids).toHaveLength(5);
    expect(depth.body.lastUpdateId).toBeGreaterThan(0);
    expect(depth.body.bids[0]?.[0]).toMatch(/^\d+\.\d{8}$/);
    expect(depth.headers.get('x-mbx-used-weight-1m')).toBe('27');
    expect(await getJson(`${rest}/api/v3/depth?symbol=NOPE`)).toMatchObject({ status: 400, body: { code: -1121, msg: 'Invalid symbol.' } });
    expect(await getJson(`${rest}/api/v3/depth`)).toMatchObject({ status: 400, body: { code: -1102 } });
    expect(await getJson(`${rest}/api/v3/depth?symbol=BTCUSDT&limit=abc`)).toMatchObject({ status: 400, body: { code: -1100 } });
    // limit 1000 weighs 50: over the 60/min limit of this sim.
    const limited = await getJson(`${rest}/api/v3/depth?symbol=BTCUSDT&limit=1000`);
    expect(limited).toMatchObject({ status: 429, body: { code: -1003 } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
