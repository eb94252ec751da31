/** Every size and duration of the suite in one place: the full run and the `--quick` form. */
export interface BenchSettings {
  /** Fixed message rates of the latency runs (standalone NATS floors and ingest frame rates). */
  readonly latencyRates: readonly number[];
  /** Seconds of each standalone floor measurement; the first `warmupFraction` of it is not recorded. */
  readonly floorSeconds: number;
  readonly warmupFraction: number;
  /** Ingest latency: seconds of warm-up frames per rate, then `slices` slices of `sliceSeconds`, each followed by an equal slice of its floor. */
  readonly ingestWarmupSeconds: number;
  /** Below the ingestor's staleAfterMs (1 s), so the feed never goes stale while the floor slice runs. */
  readonly sliceSeconds: number;
  readonly slices: number;
  /** Sequential Redis SET+GET pairs. */
  readonly redisPairs: number;
  /** depthUpdate frames blasted at the ingestor in the throughput run. */
  readonly throughputFrames: number;
  /** Give up on a throughput run after this long. */
  readonly throughputTimeoutMs: number;
  /** Book updates per detector evaluation scenario. */
  readonly evalUpdates: number;
}

const FULL: BenchSettings = {
  latencyRates: [5000, 20_000],
  floorSeconds: 4,
  warmupFraction: 0.2,
  ingestWarmupSeconds: 1,
  sliceSeconds: 0.6,
  slices: 12,
  redisPairs: 10_000,
  throughputFrames: 600_000,
  throughputTimeoutMs: 90_000,
  evalUpdates: 50_000,
};

const QUICK: BenchSettings = {
  latencyRates: [5000, 20_000],
  floorSeconds: 1,
  warmupFraction: 0.2,
  ingestWarmupSeconds: 0.3,
  sliceSeconds: 0.5,
  slices: 2,
  redisPairs: 1000,
  throughputFrames: 40_000,
  throughputTimeoutMs: 30_000,
  evalUpdates: 5000,
};

export function benchSettings(quick: boolean): BenchSettings {
  return quick ? QUICK : FULL;
}

/** `5000` → `5k/s`. */
export function rateLabel(ratePerSec: number): string {
  return ratePerSec >= 1000 ? `${ratePerSec / 1000}k/s` : `${ratePerSec}/s`;
}
