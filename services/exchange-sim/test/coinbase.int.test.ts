import type { ExchangeSim } from '../src';
import { Client, HOST, TestBook, getJson, startSim } from './helpers';

interface L2Update {
  side: 'bid' | 'offer';
  event_time: string;
  price_level: string;
  new_quantity: string;
}
interface Msg {
  channel: string;
  client_id: string;
  timestamp: string;
  sequence_num: number;
  events: Array<{ type?: string; product_id?: string; updates?: L2Update[]; subscriptions?: Record<string, string[]>; heartbeat_counter?: number; current_time?: string }>;
}
interface TrueBook {
  seq: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

describe('coinbase sim: level2 + heartbeats', () => {
  let sim: ExchangeSim;
  let control: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    sim = await startSim({
      rate: { levelUpdatesPerSec: 4000 },
      control: { port: 0, historySize: 50000 },
      venues: { coinbase: { subscribeTimeoutMs: 300, heartbeatIntervalMs: 100 } },
    });
    control = `http://${HOST}:${sim.ports.control}`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => sim.stop());

  const connect = async (): Promise<Client> => {
    const c = new Client(`ws://${HOST}:${sim.ports.coinbase}/`);
    clients.push(c);
    await c.opened();
    return c;
  };

  it('snapshot + updates reproduce the true book at every sequence_num; one counter per connection', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', product_ids: ['BTC-USDT', 'ETH-USDT'], channel: 'level2' });
    c.send({ type: 'subscribe', channel: 'heartbeats' });
    await c.until(() => (c.json() as Msg[]).filter((m) => m.channel === 'heartbeats').length >= 3, 5000, 'heartbeats');
    await c.until(() => c.frames.length >= 150, 10000, '150 messages');
    const msgs = c.json() as Msg[];
    for (let i = 1; i < msgs.length; i++) expect(msgs[i]?.sequence_num).toBe((msgs[0]?.sequence_num ?? 0) + i);
    expect(msgs.every((m) => m.client_id === '' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(m.timestamp))).toBe(true);
    const subs = msgs.filter((m) => m.channel === 'subscriptions');
    expect(subs.at(-1)?.events[0]?.subscriptions).toEqual({ level2: ['BTC-USDT', 'ETH-USDT'], heartbeats: ['heartbeats'] });
    const hb = msgs.filter((m) => m.channel === 'heartbeats').map((m) => m.events[0]?.heartbeat_counter);
    expect(hb.slice(0, 3)).toEqual([1, 2, 3]);
    const books = new Map<string, TestBook>();
    let checked = 0;
    for (const m of msgs) {
      if (m.channel !== 'l2_data') continue;
      for (const ev of m.events) {
        const pid = ev.product_id as string;
        let book = books.get(pid);
        if (ev.type === 'snapshot') books.set(pid, (book = new TestBook()));
        if (!book) throw new Error(`update before snapshot for ${pid}`);
        for (const u of ev.updates ?? []) book.apply(u.side === 'bid' ? 'bid' : 'ask', [[u.price_level, u.new_quantity]]);
        expect(book.violations()).toEqual([]);
        if (m.sequence_num % 7 === 0 || ev.type === 'snapshot') {
          const truth = (await getJson<TrueBook>(`${control}/control/book?venue=coinbase&symbol=${pid}&seq=${m.sequence_num}&depth=1000`)).body;
          expect(truth.seq).toBe(m.sequence_num);
          expect(book.top()).toEqual({ bids: truth.bids, asks: truth.asks });
          checked++;
        }
      }
    }
    expect(books.size).toBe(2);
    expect(checked).toBeGreaterThan(10);
    // A second connection gets its own, never-overlapping sequence block.
    const d = await connect();
    d.send({ type: 'subscribe', product_ids: ['ETH-USDT'], channel: 'level2' });
    await d.until(() => d.frames.length >= 2, 5000, 'second connection');
    const first = (d.json() as Msg[])[0] as Msg;
    expect(first.sequence_num).toBeGreaterThan((msgs.at(-1)?.sequence_num ?? 0) + 1_000_000);
    // Unknown seq -> 404.
    expect((await getJson(`${control}/control/book?venue=coinbase&symbol=ETH-USDT&seq=123456789`)).status).toBe(404);
  });

  it('unsubscribe stops the product; resubscribe sends a fresh snapshot', async () => {
    const c = await connect();
    c.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channel: 'level2' });
    await c.until(() => c.frames.length >= 3, 5000, 'updates');
    c.send({ type: 'unsubscribe', product_ids: ['BTC-USDT'], channel: 'level2' });
    await c.until(() => (c.json() as Msg[]).some((m) => m.channel === 'subscriptions' && !m.events[0]?.subscriptions?.level2), 5000, 'unsubscribe ack');
    const n = c.frames.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(c.frames.length).toBe(n);
    c.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channel: 'level2' });
    await c.until(() => c.frames.length > n, 5000, 'snapshot');
    expect((JSON.parse(c.frames[n]?.text ?? '') as Msg).events[0]?.type).toBe('snapshot');
  });

  it('answers bad requests with error messages and closes a connection that never subscribes', async () => {
    const c = await connect();
    c.send('{oops');
    c.send({ type: 'subscribe', product_ids: ['NOPE-USD'], channel: 'level2' });
    c.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channel: 'candles_v9' });
    await c.until(() => c.frames.length >= 3, 5000, 'errors');
    for (const m of c.json() as Array<{ type: string; message: string }>) expect(m.type).toBe('error');
    await c.until(() => c.closed !== null, 5000, 'subscribe timeout');
    expect(c.closed?.code).toBe(1008);
  });
});

describe('coinbase sim: REST', () => {
  let sim: ExchangeSim;
  let rest: string;
  beforeAll(async () => {
    sim = await startSim();
    rest = `http://${HOST}:${sim.ports.coinbase}/api/v3/brokerage`;
  });
  afterAll(() => sim.stop());

  it('lists products with trading rules (honouring product_type and product_ids), gets one, 404 for unknown', async () => {
    const all = await getJson<{ products: Array<Record<string, unknown>>; num_products: string }>(`${rest}/market/products`);
    expect(all.status).toBe(200);
    expect(all.body.num_products).toBe('2');
    const futures = await getJson<{ products: unknown[]; num_products: string }>(`${rest}/market/products?product_type=FUTURE`);
    expect(futures.body).toEqual({ products: [], num_products: '0' });
    const one = await getJson<{ products: Array<{ product_id: string }>; num_products: string }>(`${rest}/market/products?product_type=SPOT&product_ids=ETH-USDT`);
    expect(one.body.products.map((p) => p.product_id)).toEqual(['ETH-USDT']);
    expect((await getJson(`${rest}/market/products?product_type=BONDS`)).status).toBe(400);
    expect(all.body.products[0]).toMatchObject({
      product_id: 'BTC-USDT',
      base_increment: '0.00000001',
      quote_increment: '0.01',
      price_increment: '0.01',
      base_min_size: expect.any(String),
      base_max_size: expect.any(String),
      quote_min_size: expect.any(String),
      status: 'online',
      trading_disabled: false,
    });
    expect((await getJson(`${rest}/market/products/ETH-USDT`)).body).toMatchObject({ product_id: 'ETH-USDT' });
    expect(await getJson(`${rest}/market/products/NOPE-USD`)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    const pb = await getJson<{ pricebook: { bids: Array<{ price: string; size: string }>; asks: Array<{ price: string }> }; last: string; mid_market: string; spread_bps: string; spread_absolute: string }>(
      `${rest}/market/product_book?product_id=BTC-USDT&limit=3`,
    );
    expect(pb.body.pricebook.bids).toHaveLength(3);
    const [bid, ask] = [Number(pb.body.pricebook.bids[0]?.price), Number(pb.body.pricebook.asks[0]?.price)];
    expect(Number(pb.body.mid_market)).toBeCloseTo((bid + ask) / 2, 6);
    expect(Number(pb.body.spread_absolute)).toBeCloseTo(ask - bid, 6);
    expect(Number(pb.body.spread_bps)).toBeGreaterThan(0);
    expect(pb.body.last).toMatch(/^[0-9]+\.[0-9]+$/);
  });
});
