import { RateLimiter } from './rate-limiter';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter', () => {
  it('admits up to the limit in a window, then tells how long to wait', () => {
    const c = clock();
    const l = new RateLimiter([{ name: 'w', limit: 10, intervalMs: 1000 }], { slots: 10, now: c.now });
    for (let i = 0; i < 10; i++) expect(l.tryTake({ w: 1 })).toBe(0);
    const wait = l.tryTake({ w: 1 });
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1100);
    expect(l.used('w')).toBe(10);
    c.advance(wait);
    expect(l.tryTake({ w: 1 })).toBe(0);
  });

  it('never admits more than the limit in any window (conservative slots)', () => {
    const c = clock(0);
    const l = new RateLimiter([{ name: 'w', limit: 50, intervalMs: 10_000 }], { slots: 20, now: c.now });
    const taken: number[] = [];
    for (let t = 0; t < 60_000; t += 37) {
      if (l.tryTake({ w: 1 }) === 0) taken.push(c.now());
      c.advance(37);
    }
    for (let i = 0; i < taken.length; i++) {
      const start = taken[i] as number;
      const inWindow = taken.filter((x) => x >= start && x < start + 10_000).length;
      expect(inWindow).toBeLessThanOrEqual(50);
    }
    expect(taken.length).toBeGreaterThan(200); // and it does not starve
  });

  it('checks every rule of a cost; rules not named cost nothing', () => {
    const c = clock();
    const l = new RateLimiter(
      [
        { name: 'weight', limit: 100, intervalMs: 60_000 },
        { name: 'orders', limit: 2, intervalMs: 10_000 },
      ],
      { now: c.now },
    );
    expect(l.tryTake({ weight: 1, orders: 1 })).toBe(0);
    expect(l.tryTake({ weight: 1, orders: 1 })).toBe(0);
    expect(l.tryTake({ weight: 1, orders: 1 })).toBeGreaterThan(0);
    expect(l.used('weight')).toBe(2); // the refused request took nothing
    expect(l.tryTake({ weight: 20 })).toBe(0);
    expect(l.tryTake({ unknown: 5 })).toBe(0);
  });

  it('a cost above the limit can never pass', () => {
    const l = new RateLimiter([{ name: 'w', limit: 5, intervalMs: 1000 }]);
    expect(l.waitTime({ w: 6 })).toBe(Infinity);
  });

  it('observe() raises the count to what the venue reports; pause() blocks everything', () => {
    const c = clock();
    const l = new RateLimiter([{ name: 'w', limit: 100, intervalMs: 60_000 }], { now: c.now });
    l.tryTake({ w: 1 });
    l.observe('w', 95);
    expect(l.used('w')).toBe(95);
    l.observe('w', 10); // lower reports never lower the count
    expect(l.used('w')).toBe(95);
    expect(l.tryTake({ w: 6 })).toBeGreaterThan(0);
    l.pause(5000);
    expect(l.waitTime({})).toBe(5000);
    c.advance(5000);
    expect(l.waitTime({})).toBe(0);
  });

  it('take() waits within the bound and fails fast beyond it', async () => {
    const l = new RateLimiter([{ name: 'w', limit: 1, intervalMs: 200 }], { slots: 4 });
    expect(await l.take({ w: 1 }, 0)).toBe(0);
    const t0 = Date.now();
    expect(await l.take({ w: 1 }, 1000)).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(await l.take({ w: 1 }, 10)).toBeGreaterThan(10);
  });

  it('rejects bad rules', () => {
    expect(() => new RateLimiter([{ name: 'x', limit: 0, intervalMs: 1 }])).toThrow(RangeError);
  });
});
