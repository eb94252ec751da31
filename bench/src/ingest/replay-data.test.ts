import { binance } from '@arb/venues';
import { frameIndexOf, generateReplayData, REPLAY_STREAM, tickPrice } from './replay-data';

interface Frame {
  stream: string;
  data: { e: string; s: string; U: number; u: number; b: [string, string][]; a: [string, string][] };
}

describe('generateReplayData', () => {
  const data = generateReplayData({ frames: 3000, seed: 11 });

  it('writes combined-stream depthUpdate frames with contiguous update ids, no price twice in a frame', () => {
    let prevU = -1;
    for (const text of data.frames) {
      const f = JSON.parse(text) as Frame;
      expect(f.stream).toBe(REPLAY_STREAM);
      expect(f.data.e).toBe('depthUpdate');
      expect(f.data.s).toBe('BTCUSDT');
      if (prevU >= 0) expect(f.data.U).toBe(prevU + 1);
      expect(f.data.u - f.data.U + 1).toBe(f.data.b.length + f.data.a.length);
      expect(new Set(f.data.b.map((l) => l[0])).size).toBe(f.data.b.length);
      expect(new Set(f.data.a.map((l) => l[0])).size).toBe(f.data.a.length);
      prevU = f.data.u;
    }
    expect(data.snapshot.lastUpdateId).toBe(data.lastIds[0]);
    expect(data.lastIds[data.lastIds.length - 1]).toBe(prevU);
  });

  it('is a valid session: the real Binance book sync applies every frame (each one changes the book) and ends on finalTop', () => {
    const sync = new binance.BinanceBookSync();
    const results = new Map<string, number>();
    data.frames.forEach((text, i) => {
      const ev = binance.parseBinanceFrame(text);
      if (ev instanceof Error || ev.kind !== 'depth') throw new Error(`frame ${i} did not parse`);
      const r = sync.onDepth(ev);
      if (i === 0) {
        expect(r).toBe('need-snapshot');
        expect(sync.onSnapshot(data.snapshot)).toBe('applied');
        return;
      }
      results.set(r, (results.get(r) ?? 0) + 1);
    });
    expect(Object.fromEntries(results)).toEqual({ applied: data.frames.length - 1 });
    expect(sync.book.isCrossed()).toBe(false);
    const top = sync.book.top(50);
    expect(top.bids).toEqual(data.finalTop.bids);
    expect(top.asks).toEqual(data.finalTop.asks);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateReplayData({ frames: 50, seed: 11 }).frames.map((f) => f.replace(/"E":\d+/, ''))).toEqual(
      data.frames.slice(0, 50).map((f) => f.replace(/"E":\d+/, '')),
    );
    expect(generateReplayData({ frames: 50, seed: 12 }).frames[5]).not.toEqual(data.frames[5]);
  });

  it('keeps the whole book in the snapshot (at most 1000 levels per side)', () => {
    expect(data.snapshot.bids.length).toBeGreaterThan(900);
    expect(data.snapshot.bids.length).toBeLessThanOrEqual(1000);
    expect(Number(data.snapshot.bids[0]?.[0])).toBeLessThan(Number(data.snapshot.asks[0]?.[0]));
  });
});

describe('tickPrice / frameIndexOf', () => {
  it('formats 0.01 ticks with 8 decimals', () => {
    expect(tickPrice(6_500_012)).toBe('65000.12000000');
    expect(tickPrice(6_500_003)).toBe('65000.03000000');
    expect(tickPrice(100)).toBe('1.00000000');
  });

  it('maps a venueSeq to the frame that ends at or before it', () => {
    const ids = new Float64Array([10, 12, 15]);
    expect(frameIndexOf(ids, 9)).toBe(-1);
    expect(frameIndexOf(ids, 10)).toBe(0);
    expect(frameIndexOf(ids, 14)).toBe(1);
    expect(frameIndexOf(ids, 15)).toBe(2);
    expect(frameIndexOf(ids, 99)).toBe(2);
  });
});
