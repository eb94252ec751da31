/** Every size and duration of the suite in one place: the full run and the `--quick` form. */
export interface BenchSettings {
  /** Fixed message rates of the latency runs (NATS floors and ingest publish latency use the same ones). */
  readonly latencyRates: readonly number[];
  /** Seconds each fixed-rate latency run lasts; the first `warmupFraction` of it is not recorded. */
  readonly latencySeconds: number;
  readonly warmupFraction: number;
  /** Sequential Redis SET+GET pairs. */
  readonly redisPairs: number;
  /** depthUpdate frames blasted at the ingestor in the throughput run. */
  readonly throughputFrames: number;
  /** Give up on a throughput run after this long. */
  readonly throughputTimeoutMs: number;
}

export function benchSettings(quick: boolean): BenchSettings {
  return quick
    ? { latencyRates: [5000, 20_000], latencySeconds: 1, warmupFraction: 0.2, redisPairs: 1000, throughputFrames: 40_000, throughputTimeoutMs: 30_000 }
    : { latencyRates: [5000, 20_000], latencySeconds: 8, warmupFraction: 0.2, redisPairs: 10_000, throughputFrames: 600_000, throughputTimeoutMs: 90_000 };
}

/** `5000` → `5k/s`. */
export function rateLabel(ratePerSec: number): string {
  return ratePerSec >= 1000 ? `${ratePerSec / 1000}k/s` : `${ratePerSec}/s`;
}
