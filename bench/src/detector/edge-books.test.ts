import { validators, type BookSnapshot } from '@arb/contracts';
import { EdgeBooks, edgeBook, edgeLimits } from './edge-books';

describe('EdgeBooks (the detector latency workload)', () => {
  it('alternates alpha and beta with valid ~1.5 KB BookSnapshots, fresh seqs and stamps', () => {
    const books = new EdgeBooks();
    const seen: BookSnapshot[] = [];
    for (let i = 0; i < 10; i++) {
      const u = books.next();
      const b = validators.BookSnapshot.assert(JSON.parse(u.json));
      expect(b.venue).toBe(i % 2 === 0 ? 'alpha' : 'beta');
      expect(u.venueIndex).toBe(i % 2);
      expect(b.bids).toHaveLength(20);
      expect(b.asks).toHaveLength(20);
      expect(b.pubTs).toBeGreaterThanOrEqual(b.recvTs);
      expect(u.json.length).toBeGreaterThan(1000);
      seen.push(b);
    }
    expect(seen.filter((b) => b.venue === 'alpha').map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(books.sent).toBe(10);
  });

  it("changes the updated venue's limit price on every update (so suppression never holds one back)", () => {
    const books = new EdgeBooks();
    const level2 = (b: BookSnapshot): string => (b.venue === 'alpha' ? b.asks[1]?.[0] : b.bids[1]?.[0]) as string;
    const last = new Map<string, string>();
    for (let i = 0; i < 40; i++) {
      const b = JSON.parse(books.next().json) as BookSnapshot;
      const p = level2(b);
      expect(p).not.toBe(last.get(b.venue));
      last.set(b.venue, p);
    }
    expect(edgeBook('alpha', 2).asks[1]?.[0]).toBe(edgeLimits.buy(2));
    expect(edgeBook('beta', 3).bids[1]?.[0]).toBe(edgeLimits.sell(3));
  });

  it('crosses by two 0.02 levels and never beyond: each book is sorted and uncrossed, the third levels lose money', () => {
    for (let k = 0; k < 4; k++) {
      const a = edgeBook('alpha', k);
      const b = edgeBook('beta', k);
      for (const side of [a, b]) {
        const bids = side.bids.map(([p]) => Number(p));
        const asks = side.asks.map(([p]) => Number(p));
        expect(bids).toEqual([...bids].sort((x, y) => y - x));
        expect(asks).toEqual([...asks].sort((x, y) => x - y));
        expect(bids[0]).toBeLessThan(asks[0] as number);
      }
      // Per unit after 10 bps fees on both sides: the first two levels earn, the third pair loses.
      const net = (buy: number, sell: number): number => sell * 0.999 - buy * 1.001;
      expect(net(Number(a.asks[1]?.[0]), Number(b.bids[1]?.[0]))).toBeGreaterThan(0);
      expect(net(Number(a.asks[2]?.[0]), Number(b.bids[2]?.[0]))).toBeLessThan(0);
      // Mids never move: no volatility.
      expect(a.bids[0]?.[0]).toBe(edgeBook('alpha', 0).bids[0]?.[0]);
      expect(b.asks[0]?.[0]).toBe(edgeBook('beta', 0).asks[0]?.[0]);
    }
  });
});
