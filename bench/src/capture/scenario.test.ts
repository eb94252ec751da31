import { captureSchedule } from './scenario';

describe('capture schedule', () => {
  it('is the same for the same seed: 10-40 bps, 0.3-2 s holds, both symbols, venues and directions', () => {
    const a = captureSchedule({ count: 24, spacingMs: 3000, seed: 11 });
    expect(captureSchedule({ count: 24, spacingMs: 3000, seed: 11 })).toEqual(a);
    expect(captureSchedule({ count: 24, spacingMs: 3000, seed: 12 })).not.toEqual(a);
    for (const d of a) {
      expect(Math.abs(d.bps)).toBeGreaterThanOrEqual(10);
      expect(Math.abs(d.bps)).toBeLessThanOrEqual(40);
      expect(d.durationMs).toBeGreaterThanOrEqual(300);
      expect(d.durationMs).toBeLessThanOrEqual(2000);
      expect(d.offsetMs).toBeGreaterThanOrEqual(d.i * 3000);
      expect(d.offsetMs).toBeLessThanOrEqual(d.i * 3000 + 1500);
    }
    expect(new Set(a.map((d) => `${d.symbol} ${d.venue} ${Math.sign(d.bps)}`)).size).toBe(8);
  });
});
