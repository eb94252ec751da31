import type { ExchangeSim } from '../src';
import { Client, HOST, getJson, postJson, sleep, startSim } from './helpers';

interface DepthEvent {
  U: number;
  u: number;
  b: Array<[string, string]>;
  a: Array<[string, string]>;
}

describe('fault injection (set at run time through POST /control/faults)', () => {
  let sim: ExchangeSim;
  let control: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    sim = await startSim({ rate: { levelUpdatesPerSec: 4000 }, jumps: { perMinute: 0 } });
    control = `http://${HOST}:${sim.ports.control}`;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const venue of ['binance', 'coinbase']) expect((await postJson(`${control}/control/faults`, { venue, reset: true })).status).toBe(200);
  });
  afterAll(() => sim.stop());

  const faults = async (venue: string, f: Record<string, number>): Promise<void> => {
    const r = await postJson<{ faults: Record<string, number> }>(`${control}/control/faults`, { venue, faults: f });
    expect(r.status).toBe(200);
    expect(r.body.faults).toMatchObject(f);
  };
  const binance = async (path: string): Promise<Client> => {
    const c = new Client(`ws://${HOST}:${sim.ports.binance}${path}`);
    clients.push(c);
    await c.opened();
    return c;
  };
  const coinbase = async (): Promise<Client> => {
    const c = new Client(`ws://${HOST}:${sim.ports.coinbase}/`);
    clients.push(c);
    await c.opened();
    c.send({ type: 'subscribe', product_ids: ['BTC-USDT'], channel: 'level2' });
    return c;
  };
  const midPrice = async (venue: string): Promise<number> => {
    const b = (await getJson<{ bids: string[][]; asks: string[][] }>(`${control}/control/book?venue=${venue}&symbol=BTC-USDT&depth=1`)).body;
    return (Number(b.bids[0]?.[0]) + Number(b.asks[0]?.[0])) / 2;
  };

  it('drops: Binance update-id gaps and Coinbase sequence_num gaps', async () => {
    await faults('binance', { dropRate: 0.2 });
    await faults('coinbase', { dropRate: 0.2 });
    const b = await binance('/ws/btcusdt@depth@0ms');
    const c = await coinbase();
    await b.until(() => b.frames.length >= 100, 8000, 'binance events');
    await c.until(() => c.frames.length >= 60, 8000, 'coinbase messages');
    const ev = b.json() as DepthEvent[];
    const gaps = ev.slice(1).filter((e, i) => e.U > (ev[i]?.u ?? 0) + 1).length;
    expect(gaps).toBeGreaterThan(3);
    const seqs = (c.json() as Array<{ sequence_num: number }>).map((m) => m.sequence_num);
    expect(seqs.slice(1).filter((s, i) => s > (seqs[i] ?? 0) + 1).length).toBeGreaterThan(2);
  });

  it('corrupts: bad JSON, negative size, crossed book and missing fields replace real messages', async () => {
    await faults('binance', { corruptRate: 0.3 });
    await faults('coinbase', { corruptRate: 0.3 });
    const b = await binance('/ws/btcusdt@depth@0ms');
    const c = await coinbase();
    await b.until(() => b.frames.length >= 200, 8000, 'binance events');
    await c.until(() => c.frames.length >= 150, 15000, 'coinbase messages');
    const mid = await midPrice('binance');
    const seen = new Set<string>();
    let prevU = 0;
    for (const f of b.frames) {
      let e: DepthEvent;
      try {
        e = JSON.parse(f.text) as DepthEvent;
      } catch {
        seen.add('badJson');
        prevU = 0;
        continue;
      }
      // A corrupted message replaces the real one: ids stay contiguous around it.
      if (e.u === undefined) seen.add('missingField');
      else if (prevU > 0) expect(e.U).toBe(prevU + 1);
      prevU = e.u ?? e.U;
      if ([...e.b, ...e.a].some(([, q]) => q.startsWith('-'))) seen.add('negativeSize');
      if (e.b.some(([p]) => Number(p) > mid * 1.005)) seen.add('crossed');
    }
    expect([...seen].sort()).toEqual(['badJson', 'crossed', 'missingField', 'negativeSize']);
    const cmid = await midPrice('coinbase');
    const cseen = new Set<string>();
    for (const f of c.frames) {
      let m: { events?: Array<{ updates?: Array<Record<string, string>> }> };
      try {
        m = JSON.parse(f.text) as typeof m;
      } catch {
        cseen.add('badJson');
        continue;
      }
      for (const u of m.events?.flatMap((e) => e.updates ?? []) ?? []) {
        if (u.price_level === undefined) cseen.add('missingField');
        if (u.new_quantity?.startsWith('-')) cseen.add('negativeSize');
        if (u.side === 'bid' && Number(u.price_level) > cmid * 1.005) cseen.add('crossed');
      }
    }
    expect([...cseen].sort()).toEqual(['badJson', 'crossed', 'missingField', 'negativeSize']);
    const stats = (await getJson<{ venues: Record<string, { messagesCorrupted: number }> }>(`${control}/control/stats`)).body;
    expect(stats.venues.binance?.messagesCorrupted).toBeGreaterThan(10);
  });

  it('disconnects every N seconds', async () => {
    await faults('binance', { disconnectEveryS: 0.3 });
    await faults('coinbase', { disconnectEveryS: 0.3 });
    const b = await binance('/ws/btcusdt@bookTicker');
    const c = await coinbase();
    await b.until(() => b.closed !== null, 3000, 'binance disconnect');
    await c.until(() => c.closed !== null, 3000, 'coinbase disconnect');
    expect(b.closed?.code).toBe(1006);
  });

  it('freezes silently: the connection stays open and nothing arrives for freezeMs', async () => {
    await faults('binance', { freezeEveryS: 0.5, freezeMs: 300 });
    const b = await binance('/ws/btcusdt@depth@0ms');
    await sleep(1300);
    const t = b.frames.map((f) => f.t);
    const maxGap = Math.max(...t.slice(1).map((x, i) => x - (t[i] ?? x)));
    expect(maxGap).toBeGreaterThan(250);
    expect(b.closed).toBeNull();
    expect(b.frames.length).toBeGreaterThan(20);
  });

  it('delays messages in order (the stream stalls, ids stay contiguous)', async () => {
    await faults('binance', { delayRate: 0.02, delayMs: 150 });
    const b = await binance('/ws/btcusdt@depth@0ms');
    await sleep(1200);
    const ev = b.json() as DepthEvent[];
    for (let i = 1; i < ev.length; i++) expect(ev[i]?.U).toBe((ev[i - 1]?.u ?? 0) + 1);
    const t = b.frames.map((f) => f.t);
    expect(Math.max(...t.slice(1).map((x, i) => x - (t[i] ?? x)))).toBeGreaterThan(120);
  });

  it('REST 5xx and 429 in each venue format', async () => {
    await faults('binance', { restErrorRate: 0.3, rest429Rate: 0.3 });
    await faults('coinbase', { restErrorRate: 0.3, rest429Rate: 0.3 });
    const bin = await Promise.all(Array.from({ length: 40 }, () => getJson<{ code?: number }>(`http://${HOST}:${sim.ports.binance}/api/v3/ping`)));
    expect(bin.find((r) => r.status === 503)?.body).toEqual({ code: -1001, msg: expect.any(String) });
    expect(bin.find((r) => r.status === 429)?.body).toEqual({ code: -1003, msg: expect.any(String) });
    expect(bin.some((r) => r.status === 200)).toBe(true);
    const cb = await Promise.all(
      Array.from({ length: 40 }, () => getJson<{ error?: string }>(`http://${HOST}:${sim.ports.coinbase}/api/v3/brokerage/market/products`)),
    );
    expect(cb.find((r) => r.status === 503)?.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(cb.find((r) => r.status === 429)?.body).toMatchObject({ error: expect.any(String) });
  });

  it('crossed REST depth: every snapshot crossed while crossedDepthRate is 1, then normal again after a reset', async () => {
    type Depth = { lastUpdateId: number; bids: string[][]; asks: string[][] };
    const depth = async (): Promise<Depth> => (await getJson<Depth>(`http://${HOST}:${sim.ports.binance}/api/v3/depth?symbol=BTCUSDT&limit=100`)).body;
    const crossed = (d: Depth): boolean => Number(d.bids[0]?.[0]) >= Number(d.asks[0]?.[0]);
    const stats = async (): Promise<{ depthSnapshots: number; crossedDepthServed: number }> =>
      (await getJson<{ venues: { binance: { depthSnapshots: number; crossedDepthServed: number } } }>(`${control}/control/stats`)).body.venues.binance;
    const before = await stats();
    expect(crossed(await depth())).toBe(false);
    await faults('binance', { crossedDepthRate: 1 });
    const served = await Promise.all(Array.from({ length: 5 }, depth));
    expect(served.map(crossed)).toEqual([true, true, true, true, true]);
    // Only the top changes: the extra bid is one tick above the best ask, the rest of the book is the venue's.
    expect(served[0]?.asks.length).toBeGreaterThan(1);
    await postJson(`${control}/control/faults`, { venue: 'binance', reset: true });
    expect(crossed(await depth())).toBe(false);
    const after = await stats();
    expect(after.depthSnapshots - before.depthSnapshots).toBe(7);
    expect(after.crossedDepthServed - before.crossedDepthServed).toBe(5);
  });

  it('rejects an invalid faults request', async () => {
    expect((await postJson(`${control}/control/faults`, { venue: 'binance', faults: { dropRate: 2 } })).status).toBe(400);
    expect((await postJson(`${control}/control/faults`, { venue: 'kraken', faults: {} })).status).toBe(400);
    const cur = (await getJson<{ binance: { dropRate: number } }>(`${control}/control/faults`)).body;
    expect(cur.binance.dropRate).toBe(0);
  });
});
