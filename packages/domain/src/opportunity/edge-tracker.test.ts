import { EdgeTracker, resolveEdgeOptions, routeKey } from './edge-tracker';
import { InvalidDetectionParamsError } from './errors';

describe('EdgeTracker', () => {
  const R = routeKey('BTC-USDT', 'a', 'b');

  it('measures how long an edge has persisted', () => {
    const t = new EdgeTracker();
    expect(t.observe(R, 1000, true)).toEqual({ present: true, persistedMs: 0, appearances: 1, flickers: 0 });
    expect(t.observe(R, 1200, true)).toEqual({ present: true, persistedMs: 200, appearances: 1, flickers: 0 });
    expect(t.observe(R, 1700, true).persistedMs).toBe(700);
    expect(t.observe(R, 1800, false)).toEqual({ present: false, persistedMs: 0, appearances: 1, flickers: 0 });
    // back 200 ms after it vanished (last seen at 1700): a flicker
    expect(t.observe(R, 1900, true)).toEqual({ present: true, persistedMs: 0, appearances: 2, flickers: 1 });
  });

  it('a re-appearance after a longer absence is a new edge (a new jump on the route), not a flicker', () => {
    const t = new EdgeTracker();
    t.observe(R, 0, true);
    t.observe(R, 800, true);
    t.observe(R, 900, false);
    t.observe(R, 1500, false);
    // last present at 800, back at 2000: absent 1200 ms > flickerGapMs (500)
    expect(t.observe(R, 2000, true)).toEqual({ present: true, persistedMs: 0, appearances: 2, flickers: 0 });
    t.observe(R, 2100, false);
    expect(t.observe(R, 2200, true).flickers).toBe(1);
    // with a shorter flicker gap the same history holds no flicker
    expect(t.preview(R, 2300, true, resolveEdgeOptions({ flickerGapMs: 100 })).flickers).toBe(0);
  });

  it('counts appearances and flickers within the window and forgets old ones', () => {
    const t = new EdgeTracker();
    const o = resolveEdgeOptions({ windowMs: 1000 });
    for (let i = 0; i < 4; i++) {
      t.observe(R, 10_000 + i * 200, true, o);
      t.observe(R, 10_100 + i * 200, false, o);
    }
    expect(t.observe(R, 10_800, true, o)).toMatchObject({ appearances: 5, flickers: 4 });
    t.observe(R, 11_300, true, o);
    t.observe(R, 11_800, true, o);
    // 1.5 s later only the current run (started before the window) counts
    expect(t.observe(R, 12_300, true, o)).toEqual({ present: true, persistedMs: 1500, appearances: 1, flickers: 0 });
    expect(t.preview(R, 12_400, true, o)).toEqual({ present: true, persistedMs: 1600, appearances: 1, flickers: 0 });
  });

  it('a gap in the observations longer than maxGapMs breaks a run, and is not a flicker', () => {
    const t = new EdgeTracker();
    const o = resolveEdgeOptions({ maxGapMs: 500, flickerGapMs: 2000 });
    t.observe(R, 0, true, o);
    t.observe(R, 400, true, o);
    expect(t.observe(R, 1000, true, o)).toEqual({ present: true, persistedMs: 0, appearances: 2, flickers: 0 });
  });

  it('preview returns what observe would, without recording', () => {
    const t = new EdgeTracker();
    expect(t.preview(R, 0, true)).toEqual({ present: true, persistedMs: 0, appearances: 1, flickers: 0 });
    t.observe(R, 0, true);
    t.observe(R, 100, false);
    const p = t.preview(R, 300, true);
    expect(p).toEqual({ present: true, persistedMs: 0, appearances: 2, flickers: 1 });
    expect(t.preview(R, 300, true)).toEqual(p);
    expect(t.observe(R, 300, true)).toEqual(p);
    expect(t.preview(R, 450, true)).toEqual({ present: true, persistedMs: 150, appearances: 2, flickers: 1 });
    expect(t.preview(R, 450, false)).toEqual({ present: false, persistedMs: 0, appearances: 2, flickers: 1 });
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

  it('rejects nonsense options', () => {
    expect(() => resolveEdgeOptions({ windowMs: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => resolveEdgeOptions({ flickerGapMs: -1 })).toThrow(InvalidDetectionParamsError);
  });
});
