import { assignVariant, hashKey, routeVariantKey, unitInterval } from './assign-variant';

const keys = (n: number, prefix = 'opp-'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function counts(list: string[], variants: Array<{ name: string; share: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of list) {
    const v = assignVariant(k, variants);
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

describe('hashKey / unitInterval', () => {
  it('is FNV-1a based, deterministic and 32-bit unsigned', () => {
    expect(hashKey('BTC-USDT:binance>coinbase')).toBe(hashKey('BTC-USDT:binance>coinbase'));
    expect(hashKey('a')).not.toBe(hashKey('b'));
    for (const k of keys(1000)) {
      const h = hashKey(k);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      const u = unitInterval(k);
      expect(u >= 0 && u < 1).toBe(true);
    }
  });

  it('never changes (processes of different versions must agree on assignments)', () => {
    expect([hashKey(''), hashKey('BTC-USDT:binance>coinbase'), hashKey('opp-1')]).toEqual([2872998923, 1811105965, 1480425804]);
  });

  it('spreads similar keys uniformly over [0, 1) (10 buckets of 10k keys)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (const k of keys(10_000, 'BTC-USDT:binance>coinbase:')) buckets[Math.floor(unitInterval(k) * 10)]! += 1;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(120); // sd ≈ 30
  });
});

describe('assignVariant', () => {
  it('gives everything to default without variants', () => {
    expect(assignVariant('x', [])).toBe('default');
  });

  it('matches the shares over 10k keys (within 1.5 percentage points) and leaves the rest to default', () => {
    const variants = [
      { name: 'a', share: 0.1 },
      { name: 'b', share: 0.25 },
      { name: 'c', share: 0.05 },
    ];
    for (const prefix of ['opp-', 'ETH-USDT:okx>binance:', '']) {
      const c = counts(keys(10_000, prefix), variants);
      expect(Math.abs((c.a ?? 0) / 10_000 - 0.1)).toBeLessThan(0.015);
      expect(Math.abs((c.b ?? 0) / 10_000 - 0.25)).toBeLessThan(0.015);
      expect(Math.abs((c.c ?? 0) / 10_000 - 0.05)).toBeLessThan(0.015);
      expect(Math.abs((c.default ?? 0) / 10_000 - 0.6)).toBeLessThan(0.015);
    }
  });

  it('gives all keys to variants whose shares sum to 1', () => {
    const c = counts(keys(5_000), [
      { name: 'x', share: 0.5 },
      { name: 'y', share: 0.5 },
    ]);
    expect(c.default).toBeUndefined();
    expect((c.x ?? 0) + (c.y ?? 0)).toBe(5_000);
  });

  it('is stable: same key → same variant, and appending a variant never moves keys between earlier ones', () => {
    const before = [{ name: 'a', share: 0.3 }];
    const after = [...before, { name: 'b', share: 0.3 }];
    for (const k of keys(2_000)) {
      const first = assignVariant(k, before);
      expect(assignVariant(k, before)).toBe(first);
      const second = assignVariant(k, after);
      if (first === 'a') expect(second).toBe('a');
      else expect(['b', 'default']).toContain(second);
    }
  });

  it('builds route keys', () => {
    expect(routeVariantKey('BTC-USDT', 'binance', 'coinbase')).toBe('BTC-USDT:binance>coinbase');
    expect(routeVariantKey('BTC-USDT', 'binance', 'coinbase', 17)).toBe('BTC-USDT:binance>coinbase:17');
  });
});
