import { Suppressor } from './suppressor';

describe('Suppressor', () => {
  const terms = { buyLimit: '100.5', sellLimit: '101', size: '1.00' };
  const R0 = { sizeTolerance: 0.1, minIntervalMs: 0, releaseOnReport: true };

  it('publishes a new route, then suppresses the same terms until they expire', () => {
    const s = new Suppressor();
    expect(s.shouldPublish('r', terms, 0, R0)).toBe(true);
    s.record('r', terms, 0, 500, 'opp-r', R0);
    expect(s.shouldPublish('r', terms, 100, R0)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.50', size: '1' }, 499, R0)).toBe(false);
    expect(s.shouldPublish('r', terms, 500, R0)).toBe(true);
    expect(s.shouldPublish('other', terms, 100, R0)).toBe(true);
  });

  it('re-publishes at once when a limit price changes or the size moves beyond the tolerance', () => {
    const s = new Suppressor();
    s.record('r', terms, 0, 500, 'opp-r', R0);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 1, R0)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, sellLimit: '101.01' }, 1, R0)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.09' }, 1, R0)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, size: '1.11' }, 1, R0)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '0.89' }, 1, R0)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.000001' }, 1, { ...R0, sizeTolerance: 0 })).toBe(true);
  });

  it('holds changed terms back until minIntervalMs after the last publish', () => {
    const s = new Suppressor();
    const rules = { ...R0, minIntervalMs: 100 };
    s.record('r', terms, 0, 500, 'opp-r', R0);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 99, rules)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 100, rules)).toBe(true);
    expect(s.shouldPublish('r', terms, 200, rules)).toBe(false);
  });

  it('sweeps expired routes', () => {
    const s = new Suppressor();
    s.record('a', terms, 0, 100, 'opp-a', R0);
    s.record('b', terms, 0, 300, 'opp-b', R0);
    s.sweep(200);
    expect(s.size).toBe(1);
  });

  it('lifts a route when the report of its last opportunity arrives (on books stored after it), not for an older one', () => {
    const s = new Suppressor();
    const rules = { ...R0, minIntervalMs: 100 };
    s.record('r', terms, 0, 500, 'opp-1', rules);
    expect(s.shouldPublish('r', terms, 10, rules)).toBe(false);
    expect(s.release('opp-1', 10)).toBe(true);
    expect(s.shouldPublish('r', terms, 12, rules, 10)).toBe(false); // a book stored before the report: not yet
    expect(s.shouldPublish('r', terms, 12, rules, 11)).toBe(true);
    expect(s.release('opp-1', 12)).toBe(false);

    s.record('r', terms, 20, 520, 'opp-2', rules);
    s.record('r', { ...terms, buyLimit: '100.6' }, 130, 630, 'opp-3', rules);
    expect(s.release('opp-2', 135)).toBe(false); // superseded: opp-3's terms still hold
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 140, rules, 139)).toBe(false);
    expect(s.release('opp-3', 140)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 145, rules, 141)).toBe(true);
  });

  it('keeps the suppression when the publish was made without releaseOnReport', () => {
    const s = new Suppressor();
    s.record('r', terms, 0, 500, 'opp-1', { ...R0, releaseOnReport: false });
    expect(s.release('opp-1', 5)).toBe(false);
    expect(s.shouldPublish('r', terms, 10, R0, 9)).toBe(false);
  });
});
