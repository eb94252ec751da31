import Big from 'big.js';
import { dec } from './decimal';

export interface TimeSeriesOptions {
  /** Width of one point (ms). */
  intervalMs: number;
  /** Points kept: the window is intervalMs × points. */
  points: number;
}

/** One interval of the series; `ts` is its start (epoch ms). */
export interface SeriesPoint {
  ts: number;
  /** Cumulative net realized PnL (USD) at the end of the interval, over the whole journal. */
  netProfitUsd: string;
  /** Net realized PnL (USD) of the reports that finished in the interval. */
  pnlUsd: string;
  /** Opportunities received in the interval (since this process started). */
  opportunities: number;
  executed: number;
  successful: number;
  /** Average execution time (receivedTs → finalTs) of the trades that finished in the interval. */
  avgExecutionMs: number | null;
  /** Average detection → stats receipt latency of the interval's opportunities. */
  avgOpportunityLatencyMs: number | null;
}

interface Bucket {
  pnl: Big;
  opportunities: number;
  executed: number;
  successful: number;
  execMsSum: number;
  execCount: number;
  oppLatencySum: number;
  oppLatencyCount: number;
}

/**
 * A bounded time series in memory: one bucket per interval over a sliding window. Reports are placed by their own
 * final time (so a journal replay rebuilds the last hour's PnL and latency); older ones only move the cumulative
 * PnL baseline. Opportunities are placed by local receive time.
 */
export class TimeSeries {
  private readonly buckets = new Map<number, Bucket>();
  private baseline = new Big(0);

  constructor(private readonly o: TimeSeriesOptions) {}

  get intervalMs(): number {
    return this.o.intervalMs;
  }

  addReport(finalTs: number, pnlUsd: Big, executionMs: number | null, executed: boolean, successful: boolean, now: number): void {
    const b = this.bucketAt(Math.min(finalTs, now), now);
    if (b === null) {
      this.baseline = this.baseline.plus(pnlUsd);
      return;
    }
    b.pnl = b.pnl.plus(pnlUsd);
    if (executed) b.executed++;
    if (successful) b.successful++;
    if (executionMs !== null) {
      b.execMsSum += executionMs;
      b.execCount++;
    }
  }

  addOpportunity(latencyMs: number | null, now: number): void {
    const b = this.bucketAt(now, now);
    if (b === null) return;
    b.opportunities++;
    if (latencyMs !== null) {
      b.oppLatencySum += latencyMs;
      b.oppLatencyCount++;
    }
  }

  /** Every interval of the window, oldest first, including empty ones. */
  points(now: number): SeriesPoint[] {
    this.prune(now);
    const first = this.firstIndex(now);
    const last = this.indexOf(now);
    const out: SeriesPoint[] = [];
    let cumulative = this.baseline;
    for (let i = first; i <= last; i++) {
      const b = this.buckets.get(i);
      if (b !== undefined) cumulative = cumulative.plus(b.pnl);
      out.push({
        ts: i * this.o.intervalMs,
        netProfitUsd: dec(cumulative),
        pnlUsd: b === undefined ? '0' : dec(b.pnl),
        opportunities: b?.opportunities ?? 0,
        executed: b?.executed ?? 0,
        successful: b?.successful ?? 0,
        avgExecutionMs: b === undefined || b.execCount === 0 ? null : b.execMsSum / b.execCount,
        avgOpportunityLatencyMs: b === undefined || b.oppLatencyCount === 0 ? null : b.oppLatencySum / b.oppLatencyCount,
      });
    }
    return out;
  }

  private indexOf(ts: number): number {
    return Math.floor(ts / this.o.intervalMs);
  }

  private firstIndex(now: number): number {
    return this.indexOf(now) - this.o.points + 1;
  }

  /** The bucket of `ts`, or null when it is older than the window. */
  private bucketAt(ts: number, now: number): Bucket | null {
    const i = this.indexOf(ts);
    if (i < this.firstIndex(now)) return null;
    let b = this.buckets.get(i);
    if (b === undefined) {
      b = { pnl: new Big(0), opportunities: 0, executed: 0, successful: 0, execMsSum: 0, execCount: 0, oppLatencySum: 0, oppLatencyCount: 0 };
      this.buckets.set(i, b);
      if (this.buckets.size > this.o.points + 1) this.prune(now);
    }
    return b;
  }

  /** Folds buckets that left the window into the baseline. */
  private prune(now: number): void {
    const first = this.firstIndex(now);
    for (const [i, b] of this.buckets) {
      if (i < first) {
        this.baseline = this.baseline.plus(b.pnl);
        this.buckets.delete(i);
      }
    }
  }
}
