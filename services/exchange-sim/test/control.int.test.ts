import type { ExchangeSim } from '../src';
import { HOST, getJson, postJson, sleep, startSim } from './helpers';

interface TrueBook {
  seq: number | null;
  updateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

describe('control API', () => {
  let sim: ExchangeSim;
  let control: string;
  beforeAll(async () => {
    const quiet = { noiseBps: 0, lagMs: 10, spreadBps: 0.5 };
    sim = await startSim({
      jumps: { perMinute: 0 },
      symbols: [
        { symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0.2 },
        { symbol: 'ETH-USDT', startPrice: '3500', volatilityBps: 0.2 },
      ],
      venues: { binance: quiet, coinbase: quiet },
    });
    control = `http://${HOST}:${sim.ports.control}`;
  });
  afterAll(() => sim.stop());

  const book = async (venue: string, depth = 20): Promise<TrueBook> =>
    (await getJson<TrueBook>(`${control}/control/book?venue=${venue}&symbol=BTC-USDT&depth=${depth}`)).body;

  it('healthz, readyz, metrics, stats', async () => {
    expect((await getJson(`${control}/control/healthz`)).body).toMatchObject({ status: 'ok' });
    expect((await fetch(`${control}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${control}/metrics`)).text();
    expect(metrics).toMatch(/sim_level_updates_total\{[^}]*\} [1-9]/);
    const readStats = async () => (await getJson<{ model: { steps: number; levelUpdates: number }; venues: Record<string, unknown> }>(`${control}/control/stats`)).body;
    // On a loaded host the first model step (every tickMs) may not have run yet when the test starts.
    let stats = await readStats();
    for (let i = 0; i < 40 && stats.model.steps === 0; i++) {
      await sleep(50);
      stats = await readStats();
    }
    expect(stats.model.steps).toBeGreaterThan(0);
    expect(Object.keys(stats.venues).sort()).toEqual(['binance', 'coinbase']);
  });

  it('current true book: valid, top-N, decimal strings; bad queries rejected', async () => {
    const b = await book('binance', 5);
    expect(b.bids).toHaveLength(5);
    expect(b.asks).toHaveLength(5);
    expect(b.seq).toBe(b.updateId);
    expect(Number(b.bids[0]?.[0])).toBeLessThan(Number(b.asks[0]?.[0]));
    for (const [p, q] of [...b.bids, ...b.asks]) {
      expect(p).toMatch(/^\d+\.\d+$/);
      expect(Number(q)).toBeGreaterThan(0);
    }
    expect((await getJson(`${control}/control/book?venue=kraken&symbol=BTC-USDT`)).status).toBe(400);
    expect((await getJson(`${control}/control/book?venue=binance&symbol=DOGE-USDT`)).status).toBe(404);
    expect((await getJson(`${control}/control/book?venue=binance&symbol=BTC-USDT&seq=1`)).status).toBe(404);
    expect((await getJson(`${control}/control/book?venue=binance&symbol=BTC-USDT&depth=0`)).status).toBe(400);
  });

  it('dislocate opens a cross-venue window for durationMs, then the others follow', async () => {
    const before = await book('coinbase', 1);
    const r = await postJson(`${control}/control/dislocate`, { symbol: 'BTC-USDT', venue: 'binance', bps: 30, durationMs: 600 });
    expect(r.status).toBe(200);
    await sleep(150);
    const bin = await book('binance', 1);
    const cb = await book('coinbase', 1);
    // Binance bids above Coinbase asks: buy on Coinbase, sell on Binance.
    const edgeBps = (Number(bin.bids[0]?.[0]) / Number(cb.asks[0]?.[0]) - 1) * 10000;
    expect(edgeBps).toBeGreaterThan(20);
    expect(Math.abs(Number(cb.bids[0]?.[0]) / Number(before.bids[0]?.[0]) - 1)).toBeLessThan(0.0005);
    await sleep(800);
    const bin2 = await book('binance', 1);
    const cb2 = await book('coinbase', 1);
    expect(Number(bin2.bids[0]?.[0])).toBeLessThan(Number(cb2.asks[0]?.[0]));
    expect(Number(cb2.bids[0]?.[0]) / Number(before.bids[0]?.[0]) - 1).toBeGreaterThan(0.002);
    expect((await postJson(`${control}/control/dislocate`, { symbol: 'BTC-USDT', venue: 'binance' })).status).toBe(400);
    expect((await postJson(`${control}/control/dislocate`, { symbol: 'XRP-USDT', venue: 'binance', bps: 5, durationMs: 10 })).status).toBe(404);
    const bad = await fetch(`${control}/control/dislocate`, { method: 'POST', body: 'nope' });
    expect(bad.status).toBe(400);
  });
});
