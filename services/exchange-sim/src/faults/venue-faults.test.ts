import { testSimConfig } from '../config/test-config';
import { Rng } from '../model/rng';
import { newVenueStats } from '../net/stats';
import { VenueFaults } from './venue-faults';

const near = (got: number, want: number): void => expect(Math.abs(got - want)).toBeLessThan(50);

describe('VenueFaults clock (clockOffsetMs)', () => {
  const faults = (clockOffsetMs: number): VenueFaults => new VenueFaults(testSimConfig({ venues: { binance: { faults: { clockOffsetMs } } } }).venues.binance.faults, new Rng(1), newVenueStats(), () => undefined);

  it('reads host time + clockOffsetMs, follows patches, and a reset goes back to the configured offset', () => {
    const f = faults(-8000);
    near(f.now(), Date.now() - 8000);
    near(f.preciseNow(), Date.now() - 8000);
    f.update({ clockOffsetMs: 8000 });
    near(f.now(), Date.now() + 8000);
    near(f.preciseNow(), Date.now() + 8000);
    f.update({ dropRate: 0.5 }); // other patches keep the offset
    near(f.now(), Date.now() + 8000);
    expect(f.update({}, true).clockOffsetMs).toBe(-8000);
    near(f.now(), Date.now() - 8000);
  });

  it('defaults to 0 and is bounded to ±1 h', () => {
    expect(testSimConfig().venues.coinbase.faults.clockOffsetMs).toBe(0);
    near(faults(0).now(), Date.now());
    expect(() => testSimConfig({ venues: { binance: { faults: { clockOffsetMs: 3_600_001 } } } })).toThrow(/faults\/clockOffsetMs/);
    expect(() => testSimConfig({ venues: { coinbase: { faults: { clockOffsetMs: -3_600_001 } } } })).toThrow(/faults\/clockOffsetMs/);
    expect(testSimConfig({ venues: { coinbase: { faults: { clockOffsetMs: -3_600_000 } } } }).venues.coinbase.faults.clockOffsetMs).toBe(-3_600_000);
  });
});
