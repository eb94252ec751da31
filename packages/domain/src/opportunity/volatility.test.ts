import { VolatilityEstimator } from './volatility';

const UP = 100 * Math.exp(0.001); // a 10 bps log move

describe('VolatilityEstimator', () => {
  it('reports σ in bps per √s: ±10 bps every second → 10; every 250 ms → 20', () => {
    const v = new VolatilityEstimator({ minSamples: 1 });
    const w = new VolatilityEstimator({ minSamples: 1, minIntervalMs: 10 });
    for (let i = 0; i <= 40; i++) {
      v.update('a', i * 1000, i % 2 === 0 ? 100 : UP);
      w.update('a', i * 250, i % 2 === 0 ? 100 : UP);
    }
    expect(v.volBps('a')).toBeCloseTo(10, 6);
    expect(w.volBps('a')).toBeCloseTo(20, 6);
  });

  it('is 0 for a constant mid, null while warming up or unknown', () => {
    const v = new VolatilityEstimator({ minSamples: 3 });
    v.update('k', 0, 100);
    v.update('k', 1000, 100);
    v.update('k', 2000, 100);
    expect(v.volBps('k')).toBeNull();
    v.update('k', 3000, 100);
    expect(v.volBps('k')).toBe(0);
    expect(v.volBps('other')).toBeNull();
  });

  it('decays with the half-life: after one half-life of quiet the variance halves', () => {
    const v = new VolatilityEstimator({ minSamples: 1, halfLifeMs: 10_000 });
    for (let i = 0; i <= 40; i++) v.update('a', i * 1000, i % 2 === 0 ? 100 : UP);
    const before = v.volBps('a') as number;
    const last = 100; // the last mid fed above (i = 40)
    for (let i = 41; i <= 50; i++) v.update('a', i * 1000, last);
    expect(v.volBps('a')).toBeCloseTo(before / Math.SQRT2, 6);
  });

  it('skips samples closer than minIntervalMs (the next return spans the gap) and ignores bad mids', () => {
    const v = new VolatilityEstimator({ minSamples: 1, minIntervalMs: 500 });
    v.update('a', 0, 100);
    v.update('a', 100, 200); // skipped
    v.update('a', 200, NaN);
    v.update('a', 300, -1);
    v.update('a', 1000, UP);
    expect(v.volBps('a')).toBeCloseTo(10, 6);
  });

  it('maxVolBps takes the highest ready estimate', () => {
    const v = new VolatilityEstimator({ minSamples: 1 });
    v.update('a', 0, 100);
    v.update('a', 1000, UP);
    v.update('b', 0, 100);
    v.update('b', 250, UP);
    expect(v.maxVolBps(['a', 'b', 'c'])).toBeCloseTo(20, 6);
    expect(v.maxVolBps(['c'])).toBeNull();
  });
});
