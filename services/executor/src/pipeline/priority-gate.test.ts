import { PriorityGate } from './priority-gate';

describe('PriorityGate', () => {
  it('ranks waiters by priority, ties by arrival; only the first may try; a newcomer outranked queues', () => {
    const g = new PriorityGate();
    expect(g.outranked(1)).toBe(false);
    const a = g.enter(2);
    const b = g.enter(5);
    const c = g.enter(5);
    const d = g.enter(1);
    expect([a, b, c, d].map((w) => g.isFirst(w))).toEqual([false, true, false, false]);
    expect(g.outranked(5)).toBe(true);
    expect(g.outranked(6)).toBe(false);
    g.leave(b);
    expect(g.isFirst(c)).toBe(true);
    g.leave(c);
    g.leave(c);
    expect(g.isFirst(a)).toBe(true);
    expect(g.waiting).toBe(2);
  });

  it('sleepers wake early when a slot is released or the first waiter leaves', async () => {
    const g = new PriorityGate();
    const first = g.enter(3);
    g.enter(1);
    const t0 = performance.now();
    const slept = g.sleep(10_000);
    setTimeout(() => g.released(), 20);
    await slept;
    const t1 = performance.now();
    expect(t1 - t0).toBeLessThan(5_000);
    const again = g.sleep(10_000);
    setTimeout(() => g.leave(first), 20);
    await again;
    expect(performance.now() - t1).toBeLessThan(5_000);
    await g.sleep(1); // a plain timeout still ends a sleep
  });
});
