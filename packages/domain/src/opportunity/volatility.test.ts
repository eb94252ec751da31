import { InvalidDetectionParamsError } from './errors';
import { VolatilityEstimator } from './volatility';

/** A mid `bps` log-bps above 100. */
const at = (bps: number): number => 100 * Math.exp(bps / 10_000);

/**
 * Mids of a market with σ bps/√s of noise: ±σ·√dt alternating every `stepMs` (the variance rate is exactly σ²),
 * from `t0` for `ms`, around `level` bps; returns the last time.
 */
function noise(v: VolatilityEstimator, key: string, t0: number, ms: number, sigma: number, level = 0, stepMs = 100): number {
  const step = sigma * Math.sqrt(stepMs / 1000);
  let t = t0;
  for (let i = 0; t < t0 + ms; i++, t += stepMs) v.update(key, t, at(level + (i % 2 === 0 ? 0 : step)));
  return t;
}

/** The estimate at the steady state of a constant variance rate `rate` sampled every `dtS` seconds (defaults). */
function steady(rate: number, dtS: number, halfLifeS = 30, prior = 2, priorW = 5): number {
  const w = dtS / (1 - Math.pow(2, -dtS / halfLifeS));
  return Math.sqrt((w * rate + priorW * prior * prior) / (w + priorW));
}

describe('VolatilityEstimator', () => {
  it('reports the prior before any return, and after a single sample (no first-sample seeding)', () => {
    const v = new VolatilityEstimator();
    expect(v.volBps('a')).toBe(2);
    v.update('a', 0, 100);
    expect(v.volBps('a')).toBe(2);
    expect(v.maxVolBps(['a', 'b'])).toBe(2);
  });

  it('converges to the variance rate in bps per √s, shrunk toward the prior by its weight', () => {
    const v = new VolatilityEstimator();
    const w = new VolatilityEstimator({ minIntervalMs: 10 });
    for (let i = 0; i <= 4000; i++) {
      v.update('a', i * 1000, at(i % 2 === 0 ? 0 : 10)); // ±10 bps every second: 100 bps²/s
      w.update('a', i * 250, at(i % 2 === 0 ? 0 : 10)); // every 250 ms: 400 bps²/s
    }
    expect(v.volBps('a')).toBeCloseTo(steady(100, 1), 3);
    expect(w.volBps('a')).toBeCloseTo(steady(400, 0.25), 3);
    expect(v.volBps('a')).toBeGreaterThan(9.4);
    expect(w.volBps('a')).toBeGreaterThan(18.9);
  });

  it('does not count the jump that opens a window as noise', () => {
    const v = new VolatilityEstimator();
    let t = noise(v, 'a', 0, 60_000, 2);
    const before = v.volBps('a');
    expect(before).toBeGreaterThan(1.8);
    expect(before).toBeLessThan(2.2);
    // A 30 bps jump in one 100 ms step (r²/dt = 9000 bps²/s): a plain EWMA would take σ to about 5.
    t = noise(v, 'a', t, 100, 2, 30);
    expect(v.volBps('a')).toBeLessThan(before * 1.05);
    // The sim's own jumps (10-40 bps every 15 s) keep it near the diffusive σ.
    for (let k = 0; k < 8; k++) t = noise(v, 'a', t, 15_000, 2, k % 2 === 0 ? 0 : 30);
    expect(v.volBps('a')).toBeLessThan(2.5);
  });

  it('still follows a real rise in volatility, nearly as fast as without winsorizing', () => {
    const v = new VolatilityEstimator();
    const plain = new VolatilityEstimator({ clipSigmas: 100 });
    let t = noise(v, 'a', 0, 60_000, 2);
    noise(plain, 'a', 0, 60_000, 2);
    noise(plain, 'a', t, 5000, 10);
    t = noise(v, 'a', t, 5000, 10);
    expect(v.volBps('a')).toBeGreaterThan(0.9 * plain.volBps('a'));
    noise(v, 'a', t, 25_000, 10);
    expect(v.volBps('a')).toBeGreaterThan(7);
  });

  it('does not depend on the start instant: estimators started apart agree once both have data', () => {
    const early = new VolatilityEstimator();
    const late = new VolatilityEstimator();
    // Start right on a 30 bps jump vs 7 s later: the first returns never decide the estimate.
    const feed = (t: number, mid: number): void => {
      early.update('a', t, mid);
      if (t >= 7000) late.update('a', t, mid);
    };
    const step = 2 * Math.sqrt(0.1);
    for (let i = 0, t = 0; t < 40_000; i++, t += 100) feed(t, at((i === 0 ? 0 : 30) + (i % 2 === 0 ? 0 : step)));
    expect(early.volBps('a')).toBeGreaterThan(1.7);
    expect(early.volBps('a')).toBeLessThan(2.3);
    expect(Math.abs(early.volBps('a') - late.volBps('a'))).toBeLessThan(0.1);
  });

  it('skips samples closer than minIntervalMs (the next return spans the gap) and ignores bad mids', () => {
    const v = new VolatilityEstimator({ minIntervalMs: 500, priorWeightMs: 1 });
    v.update('a', 0, 100);
    v.update('a', 100, 200); // skipped
    v.update('a', 200, NaN);
    v.update('a', 300, -1);
    v.update('a', 300, Infinity);
    v.update('a', 1000, at(2)); // 2 bps over 1 s: within 4σ of the prior, counted whole
    expect(v.dataSeconds('a')).toBe(1);
    expect(v.volBps('a')).toBeCloseTo(Math.sqrt((4 + 0.001 * 4) / 1.001), 9);
  });

  it('maxVolBps takes the highest estimate', () => {
    const v = new VolatilityEstimator();
    noise(v, 'a', 0, 20_000, 1);
    noise(v, 'b', 0, 20_000, 5);
    expect(v.maxVolBps(['a', 'b', 'c'])).toBe(v.volBps('b'));
    expect(v.volBps('b')).toBeGreaterThan(v.volBps('a'));
  });

  it('withOptions continues from the data (a run-time change does not restart the warm-up)', () => {
    const v = new VolatilityEstimator();
    const t = noise(v, 'a', 0, 30_000, 6);
    const w = v.withOptions({ halfLifeMs: 10_000 });
    expect(w.volBps('a')).toBe(v.volBps('a'));
    noise(w, 'a', t, 1000, 6);
    expect(w.volBps('a')).toBeGreaterThan(5);
    expect(w.dataSeconds('a')).toBeGreaterThan(10);
  });

  it('is deterministic given its inputs', () => {
    const run = (): number => {
      const v = new VolatilityEstimator();
      noise(v, 'a', 0, 10_000, 3, 0, 37);
      return v.volBps('a');
    };
    expect(run()).toBe(run());
  });

  it('rejects options it cannot work with', () => {
    expect(() => new VolatilityEstimator({ priorWeightMs: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => new VolatilityEstimator({ priorVolBps: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => new VolatilityEstimator({ clipSigmas: 0.5 })).toThrow(InvalidDetectionParamsError);
    expect(() => new VolatilityEstimator({ halfLifeMs: 0 })).toThrow(InvalidDetectionParamsError);
  });
});
