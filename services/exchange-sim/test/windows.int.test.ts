import type { ExchangeSim } from '../src';
import { HOST, getJson, postJson, startSim } from './helpers';
import { poll } from './trading-helpers';
import { getWindows, type WindowDoc } from './windows-client';
import { SIM_FEES, exactWindow } from './world-fixture';

/**
 * Ground truth through the control API of a running sim. The sim runs the shipped rival settings (on, lognormal
 * reaction, median 40 ms) and sim-mode fees (config/sim.yaml: 2 + 3 bps); the sim's own random jumps are off where a
 * test counts windows, so that only the dislocations make them.
 */
describe('exchange-sim ground truth: GET /control/windows', () => {
  let sim: ExchangeSim;
  let control: string;
  beforeAll(async () => {
    sim = await startSim({ trading: SIM_FEES, jumps: { perMinute: 0 }, control: { port: 0, historySize: 20_000 } });
    control = `http://${HOST}:${sim.ports.control}`;
  });
  afterAll(() => sim.stop());

  /** The whole true book as of one of its update ids (history is on). */
  const deepBook = async (venue: string, symbol: string, updateId: number) => {
    const r = await getJson<{ bids: Array<[string, string]>; asks: Array<[string, string]> }>(`${control}/control/book?venue=${venue}&symbol=${symbol}&updateId=${updateId}&depth=5000`);
    if (r.status !== 200) throw new Error(`control/book ${r.status}`);
    return r.body;
  };

  it('a dislocation creates exactly one window per crossed direction, equal to an exact walk of /control/book at its best moment', async () => {
    const t0 = performance.timeOrigin + performance.now();
    expect((await postJson(`${control}/control/dislocate`, { symbol: 'BTC-USDT', venue: 'binance', bps: 30, durationMs: 3000 })).status).toBe(200);
    expect((await postJson(`${control}/control/dislocate`, { symbol: 'ETH-USDT', venue: 'binance', bps: -40, durationMs: 3000 })).status).toBe(200);
    // Rivals close them (within maxMs = 5 s at worst), well before the 3 s holds would end... or the holds end them.
    const doc = await poll(async () => {
      const d = await getWindows(control, `since=${t0}`);
      return d.windows.length >= 2 && d.windows.every((w) => !w.open) ? d : undefined;
    }, 15_000, 'both windows closed');
    const bySymbol = (s: string): WindowDoc[] => doc.windows.filter((w) => w.symbol === s);
    expect(bySymbol('BTC-USDT').map((w) => [w.buyVenue, w.sellVenue, w.cause])).toEqual([['coinbase', 'binance', 'dislocate']]);
    expect(bySymbol('ETH-USDT').map((w) => [w.buyVenue, w.sellVenue, w.cause])).toEqual([['binance', 'coinbase', 'dislocate']]);
    for (const w of doc.windows) {
      for (const snap of [w.atOpen, w.best]) {
        const buy = await deepBook(w.buyVenue, w.symbol, snap.buyUpdateId);
        const sell = await deepBook(w.sellVenue, w.symbol, snap.sellUpdateId);
        const x = exactWindow(buy.asks, sell.bids, w.fees.buy, w.fees.buyFeeIn === 'base', w.fees.sell);
        expect(snap.size).toBe(x.size.toFixed());
        expect(snap.profitQuote).toBe(x.profit.toFixed());
        expect(snap.edgeBps).toBe(Number(x.edgeBps.toFixed(4)));
        expect([snap.buyPrice, snap.sellPrice]).toEqual([buy.asks[0]?.[0], sell.bids[0]?.[0]]);
      }
      expect(w.best.edgeBps).toBeGreaterThanOrEqual(w.atOpen.edgeBps);
      expect(w.closeTs).toBeGreaterThan(w.openTs);
      if (w.closeReason === 'rival') expect(w.rivalSweeps.length).toBeGreaterThan(0);
    }
    // Fees as configured: binance buys pay in base (commission: received), coinbase in quote.
    expect(bySymbol('ETH-USDT')[0]?.fees).toEqual({ buy: '0.0002', sell: '0.0003', buyFeeIn: 'base' });
    expect(bySymbol('BTC-USDT')[0]?.fees).toEqual({ buy: '0.0003', sell: '0.0002', buyFeeIn: 'quote' });
  });

  it('filters (since, symbol, minEdgeBps, open, limit), counters in /control/stats and Prometheus, bad queries 400', async () => {
    const all = await getWindows(control);
    expect(all.v).toBe(1);
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.capacity).toBe(10_000);
    const btc = await getWindows(control, 'symbol=BTC-USDT');
    expect(btc.windows.length).toBeGreaterThan(0);
    expect(btc.windows.every((w) => w.symbol === 'BTC-USDT')).toBe(true);
    expect((await getWindows(control, 'minEdgeBps=10000')).windows).toHaveLength(0);
    expect((await getWindows(control, `since=${performance.timeOrigin + performance.now() + 60_000}`)).windows).toHaveLength(0);
    expect((await getWindows(control, 'open=true')).windows.every((w) => w.open)).toBe(true);
    expect((await getWindows(control, 'limit=1')).windows.map((w) => w.id)).toEqual([all.windows.at(-1)?.id]);
    for (const q of ['since=abc', 'minEdgeBps=', 'open=yes', 'limit=-1', 'limit=1.5']) expect((await getJson(`${control}/control/windows?${q}`)).status).toBe(400);
    const stats = (await getJson<{ windows: { opened: number; byCause: Record<string, number>; byClose: Record<string, number> }; rivals: { scheduled: number } }>(`${control}/control/stats`)).body;
    expect(stats.windows.opened).toBe(all.total);
    expect(stats.windows.byCause.dislocate).toBeGreaterThanOrEqual(2);
    expect(stats.rivals.scheduled).toBeGreaterThanOrEqual(1);
    const metrics = await (await fetch(`${control}/metrics`)).text();
    expect(metrics).toMatch(/sim_windows_opened_total\{[^}]*cause="dislocate"[^}]*\} [2-9]/);
    expect(metrics).toMatch(/sim_windows_closed_total\{[^}]*reason="(rival|convergence)"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/sim_rival_scheduled_total\{?[^}]*\}? [1-9]/);
  });
});

describe('exchange-sim ground truth: noise-made windows', () => {
  it('are recorded when the venues\' noise crosses the books after fees', async () => {
    const noisy = { noiseBps: 8, spreadBps: 0.2 };
    const sim = await startSim({ trading: SIM_FEES, jumps: { perMinute: 0 }, venues: { binance: noisy, coinbase: noisy } });
    try {
      const control = `http://${HOST}:${sim.ports.control}`;
      const doc = await poll(async () => {
        const d = await getWindows(control);
        return d.windows.filter((w) => !w.open).length >= 3 ? d : undefined;
      }, 20_000, 'three noise windows');
      expect(doc.windows.every((w) => w.cause === 'noise')).toBe(true);
      expect(doc.windows.every((w) => w.atOpen.edgeBps > 0)).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});

describe('exchange-sim ground truth: determinism', () => {
  /** Model-time view of a window (local timestamps differ between runs; everything else must not). */
  const modelView = (w: WindowDoc) => ({
    ...w,
    openTs: 0,
    closeTs: 0,
    atOpen: { ...w.atOpen, ts: 0 },
    best: { ...w.best, ts: 0 },
    rivalSweeps: w.rivalSweeps.map((s) => ({ ...s, ts: 0 })),
  });

  it('two sims with the same seed and the same control calls record the same windows and rival timings', async () => {
    // The sim's own jumps stay on (60/min here): their windows must match too.
    const cfg = { seed: 99, trading: SIM_FEES, jumps: { perMinute: 60, minBps: 10, maxBps: 40, minDelayMs: 200, maxDelayMs: 900 } };
    const [a, b] = await Promise.all([startSim(cfg), startSim(cfg)]);
    try {
      const ctl = [a, b].map((s) => `http://${HOST}:${s.ports.control}`);
      // Scheduled in model time, so they land at the same model instant whatever the wall clock does; far enough ahead
      // of both models that a loaded host cannot reach it before the calls are in.
      const now = Math.max(...(await Promise.all(ctl.map(async (c) => (await getJson<{ model: { timeMs: number } }>(`${c}/control/stats`)).body.model.timeMs))));
      const at = Math.ceil(now / 1000) * 1000 + 5000;
      const CUT = at + 4000;
      for (const c of ctl) {
        const calls = [
          { symbol: 'BTC-USDT', venue: 'coinbase', bps: 25, durationMs: 1500, atModelMs: at },
          { symbol: 'ETH-USDT', venue: 'binance', bps: -35, durationMs: 800, atModelMs: at + 2000 },
        ];
        for (const call of calls) {
          const r = await postJson<{ modelMs: number }>(`${c}/control/dislocate`, call);
          expect(r.status).toBe(200);
          expect(r.body.modelMs).toBeLessThan(at);
        }
      }
      const docs = await Promise.all(
        ctl.map((c) =>
          poll(async () => {
            const d = await getWindows(c);
            return d.modelMs > CUT + 100 ? d : undefined;
          }, 60_000, 'model time past the cut', 100),
        ),
      );
      const settled = (d: (typeof docs)[number]) => d.windows.filter((w) => w.closeModelMs !== null && w.closeModelMs <= CUT).map(modelView);
      const [wa, wb] = docs.map(settled) as [ReturnType<typeof settled>, ReturnType<typeof settled>];
      expect(wa.filter((w) => w.cause === 'dislocate')).toHaveLength(2);
      expect(wa.some((w) => w.rivalSweeps.length > 0)).toBe(true);
      expect(wb).toEqual(wa);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 120_000);
});
