import { fnv1a32, SymbolPartition } from './symbol-partition';

describe('symbol partition', () => {
  const universe = Array.from({ length: 200 }, (_, i) => `S${i}-USDT`);

  it('uses a stable hash (FNV-1a, fixed reference values)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives every symbol to exactly one of N replicas, roughly evenly', () => {
    const count = 4;
    const parts = Array.from({ length: count }, (_, index) => new SymbolPartition({ index, count }));
    for (const s of universe) expect(parts.filter((p) => p.owns(s))).toHaveLength(1);
    for (const p of parts) {
      const n = p.ownedOf(universe).length;
      expect(n).toBeGreaterThan(25);
      expect(n).toBeLessThan(75);
    }
    expect(parts[0]?.ownsAll).toBe(false);
  });

  it('one replica owns everything; an explicit list owns exactly its symbols', () => {
    const all = new SymbolPartition({ index: 0, count: 1 });
    expect(all.ownsAll).toBe(true);
    expect(all.owns('ANY-THING')).toBe(true);
    const list = new SymbolPartition({ index: 0, count: 3, symbols: ['BTC-USDT'] });
    expect(list.ownsAll).toBe(false);
    expect(list.owns('BTC-USDT')).toBe(true);
    expect(list.owns('ETH-USDT')).toBe(false);
    expect(list.ownedOf(universe)).toEqual(['BTC-USDT']);
  });

  it('rejects an index outside 0..count-1', () => {
    expect(() => new SymbolPartition({ index: 2, count: 2 })).toThrow(RangeError);
    expect(() => new SymbolPartition({ index: 0, count: 0 })).toThrow(RangeError);
  });
});
