import { createHash } from 'node:crypto';
import { testSimConfig } from '../config/test-config';
import { ASK, BID } from './change-buffer';
import { Market } from './market';
import type { SimBook } from './sim-book';

function digest(market: Market, steps: number): string {
  const h = createHash('sha256');
  for (let s = 0; s < steps; s++) {
    market.step();
    for (const mb of market.books) {
      const b = mb.book.buffer;
      h.update(`${mb.venue}${mb.inst.symbol}${b.changeCount}:`);
      h.update(Buffer.from(b.updTick.buffer, 0, b.updCount * 8));
      h.update(Buffer.from(b.updLots.buffer, 0, b.updCount * 8));
    }
    market.clearStep();
  }
  return h.digest('hex');
}

function violations(book: SimBook): string[] {
  const out: string[] = [];
  for (let i = 1; i < book.bids.length; i++) if (!((book.bids[i] as number) < (book.bids[i - 1] as number))) out.push('bids not descending');
  for (let i = 1; i < book.asks.length; i++) if (!((book.asks[i] as number) > (book.asks[i - 1] as number))) out.push('asks not ascending');
  if (book.bids.length && book.asks.length && !((book.bids[0] as number) < (book.asks[0] as number))) out.push('crossed');
  for (const [t, l] of book.bidLots) if (!(l > 0 && t > 0 && Number.isInteger(l))) out.push(`bad bid ${t}:${l}`);
  for (const [t, l] of book.askLots) if (!(l > 0 && t > 0 && Number.isInteger(l))) out.push(`bad ask ${t}:${l}`);
  if (book.bids.length !== book.bidLots.size || book.asks.length !== book.askLots.size) out.push('index out of sync');
  return out;
}

describe('Market model', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const a = digest(new Market(testSimConfig()), 300);
    const b = digest(new Market(testSimConfig()), 300);
    const c = digest(new Market(testSimConfig({ seed: 8 })), 300);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('keeps every book valid after every change, with contiguous update ids', () => {
    const market = new Market(testSimConfig({ jumps: { perMinute: 600, minBps: 5, maxBps: 60 } }));
    const lastId = new Map<SimBook, number>();
    for (const mb of market.books) lastId.set(mb.book, mb.book.updateId);
    market.clearStep();
    for (let s = 0; s < 2000; s++) {
      market.step();
      for (const mb of market.books) {
        const { book } = mb;
        const buf = book.buffer;
        for (let c = 0; c < buf.changeCount; c++) {
          expect(buf.chId[c]).toBe((lastId.get(book) as number) + 1);
          lastId.set(book, buf.chId[c] as number);
          expect(buf.chCount[c]).toBeGreaterThan(0);
          if (buf.changeCount > 0 && c === buf.changeCount - 1) {
            expect(buf.chBidTick[c]).toBe(book.bids[0]);
            expect(buf.chAskTick[c]).toBe(book.asks[0]);
          }
        }
        const v = violations(book);
        if (v.length) throw new Error(`${mb.venue} ${mb.inst.symbol} step ${s}: ${v.join(', ')}`);
        expect(book.bids.length).toBe(market.cfg.venues[mb.venue].depthLevels);
        expect(book.asks.length).toBe(market.cfg.venues[mb.venue].depthLevels);
      }
      market.clearStep();
    }
    expect(market.counters.jumps).toBeGreaterThan(5);
  });

  it('generates about the configured level-update rate', () => {
    const market = new Market(testSimConfig({ rate: { levelUpdatesPerSec: 60000 } }));
    const start = market.counters.levelUpdates;
    for (let s = 0; s < 100; s++) {
      market.step();
      market.clearStep();
    }
    const perSec = (market.counters.levelUpdates - start) / 1;
    expect(perSec).toBeGreaterThan(55000);
    expect(perSec).toBeLessThan(65000);
  });

  it('rebuilds past states from the history ring', () => {
    const market = new Market(testSimConfig({ control: { port: 0, historySize: 5000 } }));
    const mb = market.book('coinbase', 'BTC-USDT');
    if (!mb) throw new Error('no book');
    const snapshots = new Map<number, string>();
    for (let s = 0; s < 300; s++) {
      market.step();
      snapshots.set(mb.book.updateId, JSON.stringify(mb.book.top(Infinity)));
      market.clearStep();
    }
    for (const [id, snap] of snapshots) expect(JSON.stringify(mb.book.stateAt(id))).toBe(snap);
    expect(mb.book.stateAt(mb.book.updateId + 1)).toBeNull();
    expect(mb.book.stateAt(-1)).toBeNull();
  });

  it('evicts old history and answers null outside it', () => {
    const market = new Market(testSimConfig({ control: { port: 0, historySize: 10 } }));
    const mb = market.book('binance', 'ETH-USDT');
    if (!mb) throw new Error('no book');
    for (let s = 0; s < 100; s++) {
      market.step();
      market.clearStep();
    }
    expect(mb.book.stateAt(mb.book.updateId - 5)).not.toBeNull();
    expect(mb.book.stateAt(mb.book.updateId - 50)).toBeNull();
  });

  it('dislocate moves one venue at once and the others only after durationMs', () => {
    const quiet = { noiseBps: 0, lagMs: 20 };
    const market = new Market(
      testSimConfig({
        jumps: { perMinute: 0 },
        symbols: [{ symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0 }],
        venues: { binance: quiet, coinbase: quiet },
      }),
    );
    const bin = market.book('binance', 'BTC-USDT');
    const cb = market.book('coinbase', 'BTC-USDT');
    if (!bin || !cb) throw new Error('no book');
    const bid0 = cb.book.bids[0] as number;
    expect(market.dislocate('binance', 'BTC-USDT', 50, 500)).toBe('ok');
    market.step();
    const moved = (bin.book.bids[0] as number) / bid0 - 1;
    expect(moved).toBeGreaterThan(0.0045);
    for (let i = 0; i < 40; i++) market.step();
    expect(Math.abs((cb.book.bids[0] as number) / bid0 - 1)).toBeLessThan(0.0002);
    for (let i = 0; i < 30; i++) market.step();
    expect((cb.book.bids[0] as number) / bid0 - 1).toBeGreaterThan(0.0045);
    expect(market.dislocate('binance', 'NOPE-USDT', 50, 500)).toBe('unknown');
  });

  it('a dislocation scheduled at a model time applies at that step, whatever happened before; causes are remembered', () => {
    const quiet = { noiseBps: 0, lagMs: 20 };
    const cfg = testSimConfig({ jumps: { perMinute: 0 }, symbols: [{ symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0 }], venues: { binance: quiet, coinbase: quiet } });
    const market = new Market(cfg);
    const bin = market.book('binance', 'BTC-USDT');
    if (!bin) throw new Error('no book');
    const bid0 = bin.book.bids[0] as number;
    expect(market.dislocate('binance', 'BTC-USDT', 50, 300, 200)).toBe('ok');
    expect(market.scheduledDislocations).toBe(1);
    expect(market.causeOf('BTC-USDT')).toBe('noise');
    while (market.now < 200) market.step();
    expect(bin.book.bids[0]).toBe(bid0);
    market.step();
    expect((bin.book.bids[0] as number) / bid0 - 1).toBeGreaterThan(0.0045);
    expect(market.scheduledDislocations).toBe(0);
    expect(market.causeOf('BTC-USDT')).toBe('dislocate');
    // The effect lasts the hold (300 ms) + 5 lag time constants + one step, then windows would be noise again.
    for (let i = 0; i < 45; i++) market.step();
    expect(market.causeOf('BTC-USDT')).toBe('noise');
    expect(market.dislocate('coinbase', 'NOPE-USDT', 5, 10, 10_000)).toBe('unknown');
  });

  it('converge: a venue holding the pre-jump level re-quotes at the fair price on the next quote', () => {
    const quiet = { noiseBps: 0, lagMs: 20 };
    const market = new Market(testSimConfig({ jumps: { perMinute: 0 }, symbols: [{ symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0 }], venues: { binance: quiet, coinbase: quiet } }));
    const cb = market.book('coinbase', 'BTC-USDT');
    const bin = market.book('binance', 'BTC-USDT');
    if (!cb || !bin) throw new Error('no book');
    const bid0 = cb.book.bids[0] as number;
    market.dislocate('binance', 'BTC-USDT', 50, 5000);
    for (let i = 0; i < 5; i++) market.step();
    expect(Math.abs((cb.book.bids[0] as number) / bid0 - 1)).toBeLessThan(0.0002);
    market.advance();
    market.converge(cb.venueIndex, 'BTC-USDT');
    market.quote();
    expect(Math.abs((cb.book.bids[0] as number) / (bin.book.bids[0] as number) - 1)).toBeLessThan(0.0002);
    for (let i = 0; i < 10; i++) market.step();
    expect(Math.abs((cb.book.bids[0] as number) / (bin.book.bids[0] as number) - 1)).toBeLessThan(0.0002);
  });

  it('sides are distinct constants', () => {
    expect(BID).not.toBe(ASK);
  });
});
