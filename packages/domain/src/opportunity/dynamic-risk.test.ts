import { DynamicRiskPolicy } from './dynamic-risk';
import { InvalidDetectionParamsError } from './errors';

describe('DynamicRiskPolicy', () => {
  const p = new DynamicRiskPolicy();

  it('defaults: threshold = base + premium, premium = 2σ√0.25 s capped at 50 bps', () => {
    expect(p.apply(5, 0)).toEqual({ volBps: 0, premiumBps: 0, thresholdBps: 5 });
    expect(p.apply(5, 2)).toEqual({ volBps: 2, premiumBps: 2, thresholdBps: 7 });
    expect(p.apply(5, 10)).toEqual({ volBps: 10, premiumBps: 10, thresholdBps: 15 });
    expect(p.apply(5, 1000)).toEqual({ volBps: 1000, premiumBps: 50, thresholdBps: 55 });
    expect(p.apply(5, NaN)).toEqual({ volBps: 0, premiumBps: 0, thresholdBps: 5 });
  });

  it('the threshold never falls as volatility rises and stays within its cap', () => {
    let prev = p.apply(10, 0);
    for (let v = 0.25; v <= 500; v *= 1.3) {
      const cur = p.apply(10, v);
      expect(cur.thresholdBps).toBeGreaterThanOrEqual(prev.thresholdBps);
      expect(cur.thresholdBps).toBeLessThanOrEqual(60);
      prev = cur;
    }
    expect(p.apply(10, Infinity)).toEqual({ volBps: Infinity, premiumBps: 50, thresholdBps: 60 });
  });

  it('options: horizon, sigmas, cap; sigmas 0 switches the premium off', () => {
    expect(new DynamicRiskPolicy({ horizonMs: 1000, sigmas: 1, maxExtraBps: 3 }).apply(2, 2).thresholdBps).toBe(4);
    expect(new DynamicRiskPolicy({ horizonMs: 1000, sigmas: 1, maxExtraBps: 3 }).apply(2, 9).thresholdBps).toBe(5);
    expect(new DynamicRiskPolicy({ sigmas: 0 }).apply(2, 9).thresholdBps).toBe(2);
  });

  it('rejects nonsense options', () => {
    expect(() => new DynamicRiskPolicy({ sigmas: -1 })).toThrow(InvalidDetectionParamsError);
    expect(() => new DynamicRiskPolicy({ horizonMs: -1 })).toThrow(InvalidDetectionParamsError);
    expect(() => new DynamicRiskPolicy({ maxExtraBps: -1 })).toThrow(InvalidDetectionParamsError);
  });
});
