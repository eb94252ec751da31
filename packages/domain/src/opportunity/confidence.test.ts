import { ConfidenceModel, type ConfidenceInputs } from './confidence';
import { InvalidDetectionParamsError } from './errors';

const GOOD: ConfidenceInputs = {
  maxBookAgeMs: 50,
  stalenessMs: 1000,
  depthUsed: 0.1,
  edge: { present: true, persistedMs: 500, appearances: 1 },
  buyLive: true,
  sellLive: true,
  buyIncidents: 0,
  sellIncidents: 0,
  volBps: 1,
};

describe('ConfidenceModel (default 0.6 threshold)', () => {
  const m = new ConfidenceModel();
  const score = (o: Partial<ConfidenceInputs>): number => m.score({ ...GOOD, ...o }).score;

  it('accepts a fresh, deep, persistent edge on healthy feeds', () => {
    const c = m.score(GOOD);
    // 0.9975 × 0.994 × 1 × 1 × 1/1.04
    expect(c.score).toBeCloseTo(0.9975 * 0.994 * (1 / 1.04), 10);
    expect(c.score).toBeGreaterThan(0.9);
    expect(c.factors).toEqual({ freshness: 0.9975, depth: 0.994, persistence: 1, health: 1, volatility: 1 / 1.04 });
  });

  it('rejects a stale one (book 800 ms old of 1000)', () => {
    expect(score({ maxBookAgeMs: 800 })).toBeLessThan(0.6);
    expect(score({ maxBookAgeMs: 300 })).toBeGreaterThan(0.6);
  });

  it('rejects a thin one (eats all or most of the visible depth)', () => {
    expect(score({ depthUsed: 1 })).toBeLessThan(0.6);
    expect(score({ depthUsed: 0.9 })).toBeLessThan(0.6);
    expect(score({ depthUsed: 0.3 })).toBeGreaterThan(0.6);
  });

  it('rejects a flickering one (appeared 4 times in the window), even if the current run is long', () => {
    expect(score({ edge: { present: true, persistedMs: 1000, appearances: 4 } })).toBeLessThan(0.6);
    expect(score({ edge: { present: true, persistedMs: 0, appearances: 2 } })).toBeLessThan(0.6);
    // a brand-new edge, seen once, passes only when everything else is good
    expect(score({ edge: { present: true, persistedMs: 0, appearances: 1 } })).toBeGreaterThan(0.6);
    expect(score({ edge: { present: true, persistedMs: 0, appearances: 1 }, maxBookAgeMs: 400 })).toBeLessThan(0.6);
    expect(score({ edge: { present: false, persistedMs: 0, appearances: 0 } })).toBe(0);
  });

  it('feed health: a venue not live scores 0; recent gaps lower it', () => {
    expect(score({ sellLive: false })).toBe(0);
    expect(score({ buyIncidents: 3 })).toBeLessThan(0.6);
    expect(score({ buyIncidents: 1 })).toBeGreaterThan(0.6);
  });

  it('volatility: calm passes, turbulent fails; every factor is monotone', () => {
    expect(score({ volBps: 8 })).toBeLessThan(0.6);
    let prev = 1;
    for (const v of [0, 1, 2, 4, 8, 16]) {
      const s = score({ volBps: v });
      expect(s).toBeLessThanOrEqual(prev);
      prev = s;
    }
  });

  it('rejects nonsense options', () => {
    expect(() => new ConfidenceModel({ depthPenalty: 2 })).toThrow(InvalidDetectionParamsError);
    expect(() => new ConfidenceModel({ persistMs: 0 })).toThrow(InvalidDetectionParamsError);
  });
});
