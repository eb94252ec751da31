import { DynamicRiskPolicy } from './dynamic-risk';
import { InvalidDetectionParamsError } from './errors';

describe('DynamicRiskPolicy', () => {
  const p = new DynamicRiskPolicy();

  it('defaults: threshold = base + 2σ√0.25 s (capped +50 bps), size factor = 1/(1 + σ/10)', () => {
    expect(p.apply(5, 0)).toEqual({ volBps: 0, thresholdBps: 5, sizeFactor: 1 });
    expect(p.apply(5, 10)).toEqual({ volBps: 10, thresholdBps: 15, sizeFactor: 0.5 });
    expect(p.apply(5, 1000)).toEqual({ volBps: 1000, thresholdBps: 55, sizeFactor: 0.1 });
    expect(p.apply(5, null)).toEqual({ volBps: 2, thresholdBps: 7, sizeFactor: 1 / 1.2 });
  });

  it('threshold never falls and size never grows as volatility rises; both stay within their caps', () => {
    let prev = p.apply(10, 0);
    for (let v = 0.25; v <= 500; v *= 1.3) {
      const cur = p.apply(10, v);
      expect(cur.thresholdBps).toBeGreaterThanOrEqual(prev.thresholdBps);
      expect(cur.sizeFactor).toBeLessThanOrEqual(prev.sizeFactor);
      expect(cur.thresholdBps).toBeLessThanOrEqual(60);
      expect(cur.sizeFactor).toBeGreaterThanOrEqual(0.1);
      expect(cur.sizeFactor).toBeLessThanOrEqual(1);
      prev = cur;
    }
    expect(p.apply(10, Infinity)).toEqual({ volBps: Infinity, thresholdBps: 60, sizeFactor: 0.1 });
  });

  it('rejects nonsense options', () => {
    expect(() => new DynamicRiskPolicy({ minSizeFactor: 0 })).toThrow(InvalidDetectionParamsError);
    expect(() => new DynamicRiskPolicy({ halfSizeVolBps: -1 })).toThrow(InvalidDetectionParamsError);
  });
});
