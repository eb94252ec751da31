import { EdgeTracker, routeKey } from './edge-tracker';

describe('EdgeTracker', () => {
  const R = routeKey('BTC-USDT', 'a', 'b');

  it('measures how long an edge has persisted', () => {
    const t = new EdgeTracker();
    expect(t.observe(R, 1000, true)).toEqual({ present: true, persistedMs: 0, appearances: 1 });
    expect(t.observe(R, 1200, true)).toEqual({ present: true, persistedMs: 200, appearances: 1 });
    expect(t.observe(R, 1700, true).persistedMs).toBe(700);
    expect(t.observe(R, 1800, false)).toEqual({ present: false, persistedMs: 0, appearances: 1 });
    expect(t.observe(R, 1900, true)).toEqual({ present: true, persistedMs: 0, appearances: 2 });
  });

  it('counts appearances within the window (flicker) and forgets old ones', () => {
    const t = new EdgeTracker({ windowMs: 1000 });
    for (let i = 0; i < 4; i++) {
      t.observe(R, 10_000 + i * 200, true);
      t.observe(R, 10_100 + i * 200, false);
    }
    expect(t.observe(R, 10_800, true).appearances).toBe(5);
    t.observe(R, 11_300, true);
    t.observe(R, 11_800, true);
    // 1.5 s later only the current run (started before the window) counts
    expect(t.observe(R, 12_300, true)).toEqual({ present: true, persistedMs: 1500, appearances: 1 });
    expect(t.preview(R, 12_400, true)).toEqual({ present: true, persistedMs: 1600, appearances: 1 });
  });

  it('a gap longer than maxGapMs breaks a run', () => {
    const t = new EdgeTracker({ maxGapMs: 500 });
    t.observe(R, 0, true);
    t.observe(R, 400, true);
    expect(t.observe(R, 1000, true)).toEqual({ present: true, persistedMs: 0, appearances: 2 });
  });

  it('preview returns what observe would, without recording', () => {
    const t = new EdgeTracker();
    expect(t.preview(R, 0, true)).toEqual({ present: true, persistedMs: 0, appearances: 1 });
    t.observe(R, 0, true);
    t.observe(R, 100, false);
    const p = t.preview(R, 300, true);
    expect(t.preview(R, 300, true)).toEqual(p);
    expect(t.observe(R, 300, true)).toEqual(p);
    expect(t.preview(R, 450, true)).toEqual({ present: true, persistedMs: 150, appearances: 2 });
    expect(t.preview(R, 450, false)).toEqual({ present: false, persistedMs: 0, appearances: 2 });
  });

  it('keeps routes apart, and forgets on request; time going backwards does not create negative durations', () => {
    const t = new EdgeTracker();
    const other = routeKey('BTC-USDT', 'b', 'a');
    t.observe(R, 100, true);
    expect(t.observe(other, 200, true).persistedMs).toBe(0);
    expect(t.observe(R, 50, true).persistedMs).toBe(0);
    expect(t.size).toBe(2);
    t.forget(R);
    expect(t.size).toBe(1);
  });
});
