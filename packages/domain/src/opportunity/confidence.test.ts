import { ConfidenceModel, weakestFactor, type ConfidenceInputs } from './confidence';
import type { EdgeStats } from './edge-tracker';
import { InvalidDetectionParamsError } from './errors';

/** A window as the detector usually first sees it: books 20 ms old, brand-new edge, 10 % of the depth, healthy feeds. */
const FRESH_NEW: ConfidenceInputs = {
  maxBookAgeMs: 20,
  stalenessMs: 1000,
  depthUsed: 0.1,
  edge: { present: true, persistedMs: 0, appearances: 1, flickers: 0 },
  buyLive: true,
  sellLive: true,
  buyIncidents: 0,
  sellIncidents: 0,
};
const edge = (persistedMs: number, flickers = 0, appearances = flickers + 1): EdgeStats => ({ present: true, persistedMs, appearances, flickers });

/** Scenario → which side of the default 0.6 it must fall on (shipped defaults). */
const CALIBRATION: ReadonlyArray<[string, Partial<ConfidenceInputs>, 'pass' | 'reject']> = [
  ['fresh, healthy, brand-new window (the usual first sight of a sim window)', {}, 'pass'],
  ['same, persisted 300 ms', { edge: edge(300) }, 'pass'],
  ['brand-new window on books 200 ms old', { maxBookAgeMs: 200 }, 'pass'],
  ['brand-new window on books 400 ms old', { maxBookAgeMs: 400 }, 'pass'],
  ['brand-new window using half the visible depth', { depthUsed: 0.5 }, 'pass'],
  ['brand-new window, one venue had 1 feed incident lately', { buyIncidents: 1 }, 'pass'],
  ['new jump re-opening the route seconds after the last window (appearances 3, no flicker)', { edge: { present: true, persistedMs: 0, appearances: 3, flickers: 0 } }, 'pass'],
  ['persisted edge that flickered twice', { edge: edge(500, 2) }, 'pass'],
  ['book 800 ms old of 1000, persisted edge', { maxBookAgeMs: 800, edge: edge(1000) }, 'reject'],
  ['brand-new window on books 600 ms old (a busy host)', { maxBookAgeMs: 600 }, 'pass'],
  ['book 700 ms old, brand-new edge', { maxBookAgeMs: 700 }, 'reject'],
  ['edge eating all the visible depth, persisted', { depthUsed: 1, edge: edge(1000) }, 'reject'],
  ['edge eating 90 % of the visible depth, persisted', { depthUsed: 0.9, edge: edge(1000) }, 'reject'],
  ['edge flickering on and off (3 flickers in the window), persisted run', { edge: edge(1000, 3) }, 'reject'],
  ['brand-new edge that flickered twice', { edge: edge(0, 2) }, 'reject'],
  ['feed with 3 recent incidents, persisted edge', { buyIncidents: 3, edge: edge(1000) }, 'reject'],
  ['brand-new edge, 2 incidents on one venue', { sellIncidents: 2 }, 'reject'],
  ['one venue not live', { sellLive: false, edge: edge(1000) }, 'reject'],
  ['edge gone', { edge: { present: false, persistedMs: 0, appearances: 1, flickers: 0 } }, 'reject'],
];

describe('ConfidenceModel calibration (defaults, threshold 0.6)', () => {
  const m = new ConfidenceModel();
  it.each(CALIBRATION)('%s → %s', (_name, change, side) => {
    const s = m.score({ ...FRESH_NEW, ...change }).score;
    if (side === 'pass') expect(s).toBeGreaterThanOrEqual(0.6);
    else expect(s).toBeLessThan(0.6);
  });
});

describe('ConfidenceModel', () => {
  const m = new ConfidenceModel();
  const score = (o: Partial<ConfidenceInputs>): number => m.score({ ...FRESH_NEW, ...o }).score;

  it('is the product of four factors (volatility is not one: it is priced in the threshold)', () => {
    const c = m.score({ ...FRESH_NEW, maxBookAgeMs: 100, depthUsed: 0.5, edge: edge(150, 1), buyIncidents: 1 });
    const f = { freshness: 1 - 0.001, depth: 1 - 0.6 * 0.25, persistence: (0.8 + 0.2 * 0.5) * 0.85, health: 1 / 1.25 };
    expect(c.factors.freshness).toBeCloseTo(f.freshness, 12);
    expect(c.factors.depth).toBeCloseTo(f.depth, 12);
    expect(c.factors.persistence).toBeCloseTo(f.persistence, 12);
    expect(c.factors.health).toBeCloseTo(f.health, 12);
    expect(Object.keys(c.factors).sort()).toEqual(['depth', 'freshness', 'health', 'persistence']);
    expect(c.score).toBeCloseTo(f.freshness * f.depth * f.persistence * f.health, 12);
  });

  it('every factor is monotone in its input', () => {
    const mono = (values: number[], at: (x: number) => Partial<ConfidenceInputs>): void => {
      let prev = Infinity;
      for (const x of values) {
        const s = score(at(x));
        expect(s).toBeLessThanOrEqual(prev);
        prev = s;
      }
    };
    mono([0, 100, 300, 500, 800, 1000, 1200], (x) => ({ maxBookAgeMs: x }));
    mono([0, 0.1, 0.3, 0.6, 0.9, 1, 2], (x) => ({ depthUsed: x }));
    mono([1000, 300, 200, 100, 0], (x) => ({ edge: edge(x) }));
    mono([0, 1, 2, 3, 5, 10], (x) => ({ edge: edge(500, x) }));
    mono([0, 1, 2, 3, 10], (x) => ({ buyIncidents: x }));
    mono([0, 1, 2, 3, 10], (x) => ({ sellIncidents: x }));
  });

  it('unknown inputs never pass: NaN depth counts as all of it, NaN age as stale', () => {
    expect(score({ depthUsed: NaN })).toBe(score({ depthUsed: 1 }));
    expect(score({ maxBookAgeMs: NaN })).toBe(0);
  });

  it('names the weakest factor (what a low-confidence rejection is counted under)', () => {
    expect(weakestFactor(m.score({ ...FRESH_NEW, maxBookAgeMs: 900 }).factors)).toBe('freshness');
    expect(weakestFactor(m.score({ ...FRESH_NEW, depthUsed: 1 }).factors)).toBe('depth');
    expect(weakestFactor(m.score({ ...FRESH_NEW, edge: edge(0, 3) }).factors)).toBe('persistence');
    expect(weakestFactor(m.score({ ...FRESH_NEW, buyIncidents: 5 }).factors)).toBe('health');
  });

  it('options move the calibration (e.g. a stricter new-edge score rejects the brand-new window)', () => {
    expect(new ConfidenceModel({ newEdgeScore: 0.5 }).score(FRESH_NEW).score).toBeLessThan(0.6);
    expect(new ConfidenceModel({ flickerPenalty: 0 }).score({ ...FRESH_NEW, edge: edge(1000, 5) }).score).toBeGreaterThan(0.9);
    expect(new ConfidenceModel({ freshnessPower: 2 }).score({ ...FRESH_NEW, maxBookAgeMs: 600 }).score).toBeLessThan(0.6);
  });

  it('rejects nonsense options', () => {
    expect(() => new ConfidenceModel({ depthPenalty: 2 })).toThrow(InvalidDetectionParamsError);
    expect(() => new ConfidenceModel({ persistMs: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => new ConfidenceModel({ incidentPenalty: -1 })).toThrow(InvalidDetectionParamsError);
    expect(() => new ConfidenceModel({ freshnessPower: 0.5 })).toThrow(InvalidDetectionParamsError);
  });
});
