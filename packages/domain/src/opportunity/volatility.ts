import { InvalidDetectionParamsError } from './errors';

export interface VolatilityOptions {
  /** Half-life of the weighting, in ms of (local) time; default 30 000. */
  readonly halfLifeMs?: number;
  /** Mids closer than this to the last sample are skipped (the next return spans the gap); default 100 ms. */
  readonly minIntervalMs?: number;
  /** σ (bps/√s) before any data, and what the estimate is shrunk toward; default 2. */
  readonly priorVolBps?: number;
  /** Weight of the prior, in ms of observed data at `priorVolBps`; default 5000. */
  readonly priorWeightMs?: number;
  /** A return beyond clipSigmas × σ × √dt is counted as that size (winsorized); default 4. */
  readonly clipSigmas?: number;
}

interface ResolvedOptions {
  readonly halfLifeMs: number;
  readonly minIntervalMs: number;
  readonly priorVar: number;
  readonly priorWeightS: number;
  readonly clip2: number;
}

interface SeriesState {
  lastTs: number;
  lastMid: number;
  /** Decayed sum of (winsorized) squared log-returns, bps². */
  sumSq: number;
  /** Decayed sum of the returns' durations, seconds. */
  sumDt: number;
}

/** Throws InvalidDetectionParamsError when the options are out of range. */
export function checkVolatilityOptions(o: VolatilityOptions): void {
  resolve(o);
}

function resolve(o: VolatilityOptions): ResolvedOptions {
  const halfLifeMs = o.halfLifeMs ?? 30_000;
  const minIntervalMs = o.minIntervalMs ?? 100;
  const prior = o.priorVolBps ?? 2;
  const priorWeightMs = o.priorWeightMs ?? 5000;
  const clip = o.clipSigmas ?? 4;
  // A prior of weight 0 would let the first return alone set σ (first-sample seeding); a prior σ of 0 would make the
  // winsorizing bound 0 and the estimate could never leave 0. Both must be positive.
  if (!(halfLifeMs > 0) || !(minIntervalMs >= 0) || !(prior > 0) || !(priorWeightMs > 0) || !(clip >= 1) || !Number.isFinite(prior + clip + halfLifeMs + priorWeightMs)) {
    throw new InvalidDetectionParamsError(`volatility options out of range (halfLifeMs > 0, minIntervalMs >= 0, priorVolBps > 0, priorWeightMs > 0, clipSigmas >= 1): ${JSON.stringify(o)}`);
  }
  return { halfLifeMs, minIntervalMs, priorVar: prior * prior, priorWeightS: priorWeightMs / 1000, clip2: clip * clip };
}

/**
 * Jump-robust volatility of mid log-returns, per key (one key per venue and symbol, e.g. `binance:BTC-USDT`: mixing
 * venues' mids would count the cross-venue spread as price moves).
 *
 * Variance rate = (Σ w·r̃² + W₀·σ₀²) / (Σ w·dt + W₀): each return r over dt seconds adds r̃² to the numerator and
 * dt to the denominator, both decayed by 2^(−Δt / halfLife), so irregular update times are handled. The prior
 * σ₀ counts as W₀ = `priorWeightMs` of data (not decayed): before any data the estimate is the prior, after W₀ of
 * data the prior weighs half, at steady state (≈ halfLife / ln 2 of data) about a tenth with the defaults, and no
 * single sample is ever taken alone (no dependence on the start instant). r̃ is r winsorized at
 * `clipSigmas` × σ̂ × √dt (σ̂ the estimate before this return): the jump that opens an arbitrage window moves the
 * estimate by at most a few percent instead of dominating it for minutes, while a real rise in volatility (many
 * large returns) still raises it within seconds. Reported as σ in bps per √second. Deterministic given its inputs;
 * floats only (it ranks and scales, never prices).
 */
export class VolatilityEstimator {
  private readonly series = new Map<string, SeriesState>();
  private readonly o: ResolvedOptions;

  constructor(opts: VolatilityOptions = {}) {
    this.o = resolve(opts);
  }

  /** Feeds one mid at local time `ts` (ms). Non-positive or non-finite mids and time going backwards are ignored. */
  update(key: string, ts: number, mid: number): void {
    if (!(mid > 0) || !Number.isFinite(mid) || !Number.isFinite(ts)) return;
    const s = this.series.get(key);
    if (s === undefined) {
      this.series.set(key, { lastTs: ts, lastMid: mid, sumSq: 0, sumDt: 0 });
      return;
    }
    const dtMs = ts - s.lastTs;
    if (!(dtMs >= this.o.minIntervalMs) || dtMs <= 0) return;
    const dt = dtMs / 1000;
    const r = Math.log(mid / s.lastMid) * 10_000;
    const bound = this.o.clip2 * this.variance(s) * dt;
    const r2 = Math.min(r * r, bound);
    const decay = Math.pow(2, -dtMs / this.o.halfLifeMs);
    s.sumSq = s.sumSq * decay + r2;
    s.sumDt = s.sumDt * decay + dt;
    s.lastTs = ts;
    s.lastMid = mid;
  }

  /** σ in bps per √second (the prior for a key never seen). */
  volBps(key: string): number {
    const s = this.series.get(key);
    return Math.sqrt(s === undefined ? this.o.priorVar : this.variance(s));
  }

  /** The highest estimate among `keys` (e.g. both venues of a route). */
  maxVolBps(keys: readonly string[]): number {
    let out = keys.length === 0 ? Math.sqrt(this.o.priorVar) : 0;
    for (const k of keys) out = Math.max(out, this.volBps(k));
    return out;
  }

  /** Observed data behind a key's estimate, seconds (decayed; 0 for a key never seen). */
  dataSeconds(key: string): number {
    return this.series.get(key)?.sumDt ?? 0;
  }

  /**
   * A new estimator with other options that continues from this one's data (a run-time parameter change does not
   * restart the warm-up): each series' sums and last sample are copied; the new options apply from the next update.
   */
  withOptions(opts: VolatilityOptions): VolatilityEstimator {
    const next = new VolatilityEstimator(opts);
    for (const [k, s] of this.series) next.series.set(k, { ...s });
    return next;
  }

  forget(key: string): void {
    this.series.delete(key);
  }

  /** Variance rate, bps² per second. */
  private variance(s: SeriesState): number {
    return (s.sumSq + this.o.priorWeightS * this.o.priorVar) / (s.sumDt + this.o.priorWeightS);
  }
}
