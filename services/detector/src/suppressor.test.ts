import { Suppressor } from './suppressor';

describe('Suppressor', () => {
  const terms = { buyLimit: '100.5', sellLimit: '101', size: '1.00' };

  it('publishes a new route, then suppresses the same terms until they expire', () => {
    const s = new Suppressor();
    expect(s.shouldPublish('r', terms, 0, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    s.record('r', terms, 0, 500);
    expect(s.shouldPublish('r', terms, 100, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(false);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.50', size: '1' }, 499, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(false);
    expect(s.shouldPublish('r', terms, 500, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    expect(s.shouldPublish('other', terms, 100, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
  });

  it('re-publishes at once when a limit price changes or the size moves beyond the tolerance', () => {
    const s = new Suppressor();
    s.record('r', terms, 0, 500);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 1, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    expect(s.shouldPublish('r', { ...terms, sellLimit: '101.01' }, 1, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.09' }, 1, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(false);
    expect(s.shouldPublish('r', { ...terms, size: '1.11' }, 1, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '0.89' }, 1, { sizeTolerance: 0.1, minIntervalMs: 0 })).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.000001' }, 1, { sizeTolerance: 0, minIntervalMs: 0 })).toBe(true);
  });

  it('holds changed terms back until minIntervalMs after the last publish', () => {
    const s = new Suppressor();
    const rules = { sizeTolerance: 0.1, minIntervalMs: 100 };
    s.record('r', terms, 0, 500);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 99, rules)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 100, rules)).toBe(true);
    expect(s.shouldPublish('r', terms, 200, rules)).toBe(false);
  });

  it('sweeps expired routes', () => {
    const s = new Suppressor();
    s.record('a', terms, 0, 100);
    s.record('b', terms, 0, 300);
    s.sweep(200);
    expect(s.size).toBe(1);
  });
});
