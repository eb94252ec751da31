import { hostLoadMeter, parseProcStatCpu } from './host-load';
import { LatencyRecorder } from './latency';
import { parseCpuSeconds, cpuSeconds } from './proc-stat';
import { promSamples, promValue } from './prom-text';

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
