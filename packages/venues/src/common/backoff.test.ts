import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const opts = { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 };
  it('grows exponentially and is capped', () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, { ...opts, jitter: 0 }))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('jitters within [base*(1-j), base]', () => {
    expect(backoffDelay(1, opts, () => 0)).toBe(100);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(200);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, opts);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});
