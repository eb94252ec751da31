import type { E2eWindow } from '../e2e/window';
import type { LatencySummary } from '../lib/latency';
import type { LoadReport } from './load-meter';
import { parseVarz } from './load-meter';
import { scaleTable } from './table';

const lat = (p50: number, p99: number, count: number): LatencySummary => ({ count, mean: p50, p50, p90: p99, p99, p999: p99, max: p99, negative: 0 });

describe('scale bench pieces', () => {
  it('reads the message counters of nats-server /varz and refuses a body without them', () => {
    expect(parseVarz({ in_msgs: 10, out_msgs: 20, in_bytes: 300, out_bytes: 400, cpu: 3 })).toEqual({ inMsgs: 10, outMsgs: 20, inBytes: 300, outBytes: 400 });
    expect(parseVarz({ in_msgs: 10 })).toBeUndefined();
    expect(parseVarz('nope')).toBeUndefined();
  });

  it('prints one markdown line per step with the rates, latencies, NATS/Redis load and CPU per role', () => {
    const w = {
      rates: { changes: 9000, levelUpdates: 25_300, applied: 8900, books: 7000 },
      book: { recv: lat(1.234, 8.5, 1000) },
      frameToOpp: lat(2.5, 9.25, 40),
    } as unknown as E2eWindow;
    const load: LoadReport = {
      seconds: 10,
      nats: { inMsgs: 7100, outMsgs: 14_200, inBytes: 9_500_000, outBytes: 19_000_000, cpuPct: 12.4 },
      redis: { opsPerSec: 950, instantaneous: 900, cpuPct: 2 },
      cpu: new Map<string, number | null>([
        ['exchange-sim', 30],
        ['feed-ingestor binance 0/2', 20],
        ['feed-ingestor binance 1/2', 21],
        ['detector', 15],
        ['detector 2', 16],
      ]),
      host: { busyPct: 90, load1: 3.5, cpus: 2 },
    };
    const lines = scaleTable([{ replicas: 2, rate: 25_000, w, load, verdict: undefined, withinLimit: true }], 10);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      '| 2 | 25.0k | 25.3k | 8.9k | 7.0k | 1.23 / 8.5 | 2.50 / 9.3 (40) | 7.1k / 14.2k | 9.5 / 19.0 | 12 | 950 | 2 | 30 / 41 / 31 | 3.5/2 | kept up, p99s ≤ 10 ms |',
    );
  });
});
