import Big from 'big.js';
import { TimeSeries } from './timeseries';

describe('TimeSeries', () => {
  it('keeps one point per interval over the window, folding older PnL into the baseline', () => {
    const ts = new TimeSeries({ intervalMs: 5000, points: 4 });
    const now = 100_000; // window: buckets starting 85 000, 90 000, 95 000, 100 000
    ts.addReport(50_000, new Big('1.5'), 10, true, true, now); // before the window: baseline only
    ts.addReport(90_001, new Big('-0.25'), 20, true, false, now);
    ts.addReport(94_999, new Big('0.125'), 40, true, true, now);
    ts.addReport(99_000, new Big('0'), null, false, false, now); // skipped report: no execution time
    ts.addReport(200_000, new Big('2'), 5, true, true, now); // from the future: placed at now
    ts.addOpportunity(3, now);
    ts.addOpportunity(null, now);
    const p = ts.points(now);
    expect(p.map((x) => x.ts)).toEqual([85_000, 90_000, 95_000, 100_000]);
    expect(p.map((x) => x.netProfitUsd)).toEqual(['1.5', '1.375', '1.375', '3.375']);
    expect(p.map((x) => x.pnlUsd)).toEqual(['0', '-0.125', '0', '2']);
    expect(p.map((x) => x.executed)).toEqual([0, 2, 0, 1]);
    expect(p[1]!.successful).toBe(1);
    expect(p[1]!.avgExecutionMs).toBe(30);
    expect(p[2]!.avgExecutionMs).toBeNull();
    expect(p[3]!.opportunities).toBe(2);
    expect(p[3]!.avgOpportunityLatencyMs).toBe(3);
  });

  it('slides: buckets leaving the window keep their PnL in the cumulative line', () => {
    const ts = new TimeSeries({ intervalMs: 1000, points: 3 });
    ts.addReport(10_000, new Big('1'), 1, true, true, 10_000);
    ts.addReport(11_000, new Big('2'), 1, true, true, 11_000);
    expect(ts.points(11_500).map((x) => x.netProfitUsd)).toEqual(['0', '1', '3']);
    const later = ts.points(20_000);
    expect(later).toHaveLength(3);
    expect(later.map((x) => x.netProfitUsd)).toEqual(['3', '3', '3']);
    expect(later.every((x) => x.executed === 0)).toBe(true);
  });

  it('memory stays bounded however many intervals pass', () => {
    const ts = new TimeSeries({ intervalMs: 10, points: 5 });
    for (let t = 0; t < 100_000; t += 10) ts.addOpportunity(1, t);
    expect((ts as unknown as { buckets: Map<number, unknown> }).buckets.size).toBeLessThanOrEqual(6);
    expect(ts.points(100_000)).toHaveLength(5);
  });
});
