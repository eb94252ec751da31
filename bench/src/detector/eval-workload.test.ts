import { validators } from '@arb/contracts';
import { generateEvalWorkload } from './eval-workload';
import { evaluateUpdates } from './evaluate-updates';

describe('detector evaluation workload', () => {
  it('makes valid, uncrossed top-20 BookSnapshots on the requested venues', () => {
    const w = generateEvalWorkload({ venues: 3, updates: 300, jumpChance: 0.1 });
    expect(w.venues).toEqual(['binance', 'coinbase', 'kraken']);
    for (const u of w.updates) {
      expect(validators.BookSnapshot.issues(u)).toEqual([]);
      expect(u.bids).toHaveLength(20);
      expect(Number(u.bids[0]?.[0])).toBeLessThan(Number(u.asks[0]?.[0]));
    }
    expect(new Set(w.updates.map((u) => u.venue)).size).toBe(3);
  });

  it('evaluates both directions against every other venue seen so far, and finds edges when venues jump', () => {
    const calm = evaluateUpdates(generateEvalWorkload({ venues: 3, updates: 2000, jumpChance: 0 }));
    // 3 venues: 4 evaluations per update once all three have a book (a few fewer at the very start).
    expect(calm.evaluations).toBeGreaterThan(4 * 2000 - 20);
    expect(calm.evaluations).toBeLessThanOrEqual(4 * 2000);
    expect(calm.candidates).toBe(0);
    const jumpy = evaluateUpdates(generateEvalWorkload({ venues: 3, updates: 2000, jumpChance: 1 }));
    expect(jumpy.withEdge).toBeGreaterThan(jumpy.evaluations / 5);
    expect(jumpy.candidates).toBeGreaterThan(0);
  });
});
