import { Suppressor } from './suppressor';

describe('Suppressor', () => {
  const terms = { buyLimit: '100.5', sellLimit: '101', size: '1.00' };

  it('publishes a new route, then suppresses the same terms until they expire', () => {
    const s = new Suppressor();
    expect(s.shouldPublish('r', terms, 0, 0.1)).toBe(true);
    s.record('r', terms, 500);
    expect(s.shouldPublish('r', terms, 100, 0.1)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.50', size: '1' }, 499, 0.1)).toBe(false);
    expect(s.shouldPublish('r', terms, 500, 0.1)).toBe(true);
    expect(s.shouldPublish('other', terms, 100, 0.1)).toBe(true);
  });

  it('re-publishes at once when a limit price changes or the size moves beyond the tolerance', () => {
    const s = new Suppressor();
    s.record('r', terms, 500);
    expect(s.shouldPublish('r', { ...terms, buyLimit: '100.6' }, 1, 0.1)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, sellLimit: '101.01' }, 1, 0.1)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.09' }, 1, 0.1)).toBe(false);
    expect(s.shouldPublish('r', { ...terms, size: '1.11' }, 1, 0.1)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '0.89' }, 1, 0.1)).toBe(true);
    expect(s.shouldPublish('r', { ...terms, size: '1.000001' }, 1, 0)).toBe(true);
  });

  it('sweeps expired routes', () => {
    const s = new Suppressor();
    s.record('a', terms, 100);
    s.record('b', terms, 300);
    s.sweep(200);
    expect(s.size).toBe(1);
  });
});
