import { build, type Histogram } from 'hdr-histogram-js';

/** Percentiles of one latency distribution, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
  /** Samples below zero (clock skew between processes), recorded as 0. */
  readonly negative: number;
}

const NS_PER_MS = 1e6;

/** HDR histogram of latencies given in (fractional) milliseconds, recorded in nanoseconds (3 significant digits). */
export class LatencyRecorder {
  private readonly h: Histogram = build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  private negatives = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    if (ms < 0) {
      this.negatives++;
      this.h.recordValue(0);
      return;
    }
    this.h.recordValue(Math.round(ms * NS_PER_MS));
  }

  get count(): number {
    return this.h.totalCount;
  }

  reset(): void {
    this.h.reset();
    this.negatives = 0;
  }

  summary(): LatencySummary {
    const at = (p: number): number => this.h.getValueAtPercentile(p) / NS_PER_MS;
    const count = this.h.totalCount;
    return {
      count,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: this.h.maxValue / NS_PER_MS,
      mean: count === 0 ? 0 : this.h.mean / NS_PER_MS,
      negative: this.negatives,
    };
  }
}

/** Type guard for a LatencySummary received over IPC. */
export function isLatencySummary(v: unknown): v is LatencySummary {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return ['count', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'negative'].every((k) => typeof o[k] === 'number');
}
