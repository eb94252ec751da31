import { hostLoadMeter, parseProcStatCpu } from './host-load';
import { LatencyRecorder } from './latency';
import { parseCpuSeconds, cpuSeconds } from './proc-stat';
import { histogramDelta, histogramQuantileBound, histogramShareAtMost, promHistogram, promSamples, promValue } from '@arb/testkit';
import { parseRssBytes, rssBytes } from './proc-mem';
import { median } from './stats';

describe('promValue / promSamples', () => {
  const text = [
    '# HELP feed_updates_total Book changes applied',
    '# TYPE feed_updates_total counter',
    'feed_updates_total{venue="binance",symbol="BTC-USDT",service="feed-ingestor"} 1234',
    'feed_updates_total{venue="binance",symbol="ETH-USDT",service="feed-ingestor"} 10',
    'feed_updates_total_created 5',
    'feed_venue_events_total{venue="binance",kind="gap"} 2',
    'feed_venue_events_total{venue="binance",kind="resync"} 3',
    'plain_gauge 7.5',
  ].join('\n');

  it('sums the samples whose labels match', () => {
    expect(promValue(text, 'feed_updates_total', { symbol: 'BTC-USDT' })).toBe(1234);
    expect(promValue(text, 'feed_updates_total')).toBe(1244);
    expect(promValue(text, 'feed_updates_total', { symbol: 'SOL-USDT' })).toBeUndefined();
    expect(promValue(text, 'plain_gauge')).toBe(7.5);
  });

  it('lists samples with their labels', () => {
    expect(promSamples(text, 'feed_venue_events_total').map((s) => [s.labels.get('kind'), s.value])).toEqual([
      ['gap', 2],
      ['resync', 3],
    ]);
  });
});

describe('parseCpuSeconds', () => {
  it('reads utime + stime after the command name, even one with spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 5000 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    expect(parseCpuSeconds(stat)).toBeCloseTo(3.0);
    expect(parseCpuSeconds('garbage')).toBeUndefined();
  });

  it('measures this process on Linux', () => {
    const v = cpuSeconds(process.pid);
    if (process.platform === 'linux') expect(v).toBeGreaterThanOrEqual(0);
    else expect(v).toBeUndefined();
  });
});

describe('LatencyRecorder', () => {
  it('reports percentiles in ms with 3 significant digits and counts negative samples', () => {
    const r = new LatencyRecorder();
    for (let i = 1; i <= 1000; i++) r.record(i / 100); // 0.01 .. 10 ms
    r.record(-0.5);
    const s = r.summary();
    expect(s.count).toBe(1001);
    expect(s.negative).toBe(1);
    expect(s.p50).toBeCloseTo(5.0, 1);
    expect(s.p99).toBeCloseTo(9.9, 1);
    expect(s.max).toBeCloseTo(10, 1);
    r.reset();
    expect(r.summary().count).toBe(0);
  });
});

describe('host load', () => {
  it('reads busy and total jiffies from /proc/stat (idle and iowait are not busy)', () => {
    const text = 'cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\n';
    expect(parseProcStatCpu(text)).toEqual({ busy: 160, total: 1000 });
    expect(parseProcStatCpu('intr 1 2 3')).toBeUndefined();
  });

  it('measures an interval', () => {
    const h = hostLoadMeter()();
    expect(h.cpus).toBeGreaterThan(0);
    if (h.busyPct !== null) expect(h.busyPct).toBeGreaterThanOrEqual(0);
  });
});

describe('Prometheus histograms', () => {
  const text = [
    'executor_hot_path_ms_bucket{le="0.5",service="executor"} 10',
    'executor_hot_path_ms_bucket{le="1",service="executor"} 95',
    'executor_hot_path_ms_bucket{le="2",service="executor"} 99',
    'executor_hot_path_ms_bucket{le="+Inf",service="executor"} 100',
    'executor_hot_path_ms_sum{service="executor"} 70',
    'executor_hot_path_ms_count{service="executor"} 100',
  ].join('\n');

  it('reads cumulative buckets, their difference over a window, quantile bounds and shares', () => {
    const h = promHistogram(text, 'executor_hot_path_ms');
    expect(h).toEqual([
      { le: 0.5, count: 10 },
      { le: 1, count: 95 },
      { le: 2, count: 99 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ]);
    expect(histogramQuantileBound(h, 0.5)).toBe(1);
    expect(histogramQuantileBound(h, 0.99)).toBe(2);
    expect(histogramShareAtMost(h, 1)).toBeCloseTo(0.95);
    const before = h.map((b) => ({ le: b.le, count: Math.floor(b.count / 2) }));
    expect(histogramDelta(h, before).map((b) => b.count)).toEqual([5, 48, 50, 50]);
    expect(histogramQuantileBound([], 0.5)).toBeUndefined();
  });
});

describe('parseRssBytes', () => {
  it('reads VmRSS from /proc/<pid>/status', () => {
    expect(parseRssBytes('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   2048 kB\nThreads: 7\n')).toBe(2048 * 1024);
    expect(parseRssBytes('Name:\tkthread\n')).toBeUndefined();
    if (process.platform === 'linux') expect(rssBytes(process.pid)).toBeGreaterThan(0);
  });
});

describe('median', () => {
  it('of odd and even lists, NaN when empty', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
