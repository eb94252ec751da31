export interface VolatilityOptions {
  /** Half-life of the EWMA, in ms of (local) time; default 30 000. */
  readonly halfLifeMs?: number;
  /** Mids closer than this to the last sample are skipped (the next return spans the gap); default 100 ms. */
  readonly minIntervalMs?: number;
  /** Samples needed before an estimate is reported; default 5. */
  readonly minSamples?: number;
}

interface SeriesState {
  lastTs: number;
  lastMid: number;
  /** EWMA of r² / dt (per second). */
  variance: number;
  samples: number;
}

/**
 * EWMA volatility of mid log-returns, per key (use one key per venue and symbol, e.g. `binance:BTC-USDT`: mixing
 * venues' mids would count the cross-venue spread as price moves). Each return r over dt seconds contributes
 * r² / dt, weighted by α = 1 − 2^(−dt / halfLife), so irregular update times are handled and the estimate is a
 * variance rate. Reported as σ in bps per √second: sqrt(variance) × 10 000. Floats: it ranks and scales, never prices.
 */
export class VolatilityEstimator {
  private readonly series = new Map<string, SeriesState>();
  private readonly halfLifeMs: number;
  private readonly minIntervalMs: number;
  private readonly minSamples: number;

  constructor(opts: VolatilityOptions = {}) {
    this.halfLifeMs = opts.halfLifeMs ?? 30_000;
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.minSamples = opts.minSamples ?? 5;
  }

  /** Feeds one mid at local time `ts` (ms). Non-positive or non-finite mids and time going backwards are ignored. */
  update(key: string, ts: number, mid: number): void {
    if (!(mid > 0) || !Number.isFinite(mid) || !Number.isFinite(ts)) return;
    const s = this.series.get(key);
    if (s === undefined) {
      this.series.set(key, { lastTs: ts, lastMid: mid, variance: 0, samples: 0 });
      return;
    }
    const dtMs = ts - s.lastTs;
    if (dtMs < this.minIntervalMs) return;
    const r = Math.log(mid / s.lastMid);
    const x = (r * r) / (dtMs / 1000);
    const alpha = 1 - Math.pow(2, -dtMs / this.halfLifeMs);
    s.variance = s.samples === 0 ? x : s.variance + alpha * (x - s.variance);
    s.samples++;
    s.lastTs = ts;
    s.lastMid = mid;
  }

  /** σ in bps per √second, or null while fewer than `minSamples` returns were seen. */
  volBps(key: string): number | null {
    const s = this.series.get(key);
    if (s === undefined || s.samples < this.minSamples) return null;
    return Math.sqrt(s.variance) * 10_000;
  }

  /** The highest estimate among `keys` (e.g. both venues of a route), or null when none is ready. */
  maxVolBps(keys: readonly string[]): number | null {
    let out: number | null = null;
    for (const k of keys) {
      const v = this.volBps(k);
      if (v !== null && (out === null || v > out)) out = v;
    }
    return out;
  }

  forget(key: string): void {
    this.series.delete(key);
  }
}
