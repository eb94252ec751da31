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
  /** Detector latency: book update rates (each update opens a new edge), warm-up seconds per rate (slices as above). */
  readonly detectorRates: readonly number[];
  readonly detectorWarmupSeconds: number;
  /** Executor latency: opportunities per second, seconds per slice (slices as above), Redis round trips per floor slice. */
  readonly executorRate: number;
  readonly executorSliceSeconds: number;
  readonly redisSlice: number;
  /** Whole system: sim level-update rates by default and with --heavy, warm-up and measured seconds, sim jumps per minute. */
  readonly e2eRates: readonly number[];
  readonly e2eHeavyRates: readonly number[];
  readonly e2eWarmupSeconds: number;
  readonly e2eSeconds: number;
  readonly e2eJumpsPerMinute: number;
  /** Throughput ramp (--heavy): sim rates tried in order, seconds measured per step, the p99 limit. */
  readonly rampRates: readonly number[];
  readonly rampSeconds: number;
  readonly rampP99LimitMs: number;
  /** Peers: replay frames for ccxt vs our ingestor; dislocation windows, REST poll intervals and sim rate for polling vs events. */
  readonly peerFrames: number;
  readonly dislocations: number;
  readonly pollIntervalsMs: readonly number[];
  readonly pollingLevelRate: number;
  /** Capture: scheduled dislocations per strategy run, model ms between two, model ms after the last hold. */
  readonly captureDislocations: number;
  readonly captureSpacingMs: number;
  readonly captureTailMs: number;
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
  detectorRates: [1000, 5000],
  detectorWarmupSeconds: 1,
  executorRate: 100,
  executorSliceSeconds: 1,
  redisSlice: 500,
  e2eRates: [1000, 10_000],
  e2eHeavyRates: [50_000],
  e2eWarmupSeconds: 3,
  e2eSeconds: 15,
  e2eJumpsPerMinute: 120,
  rampRates: [1000, 10_000, 20_000, 35_000, 50_000, 75_000, 100_000, 150_000],
  rampSeconds: 10,
  rampP99LimitMs: 10,
  peerFrames: 200_000,
  dislocations: 12,
  pollIntervalsMs: [100, 1000],
  pollingLevelRate: 2000,
  captureDislocations: 24,
  captureSpacingMs: 3000,
  captureTailMs: 2000,
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
  detectorRates: [1000, 5000],
  // Every warm-up update publishes (a brand-new edge on fresh books passes confidence): 0.5 s on a just-started
  // detector left a backlog that spilled into the measured slices (counted as extra opportunities, timed as latency).
  detectorWarmupSeconds: 1.5,
  executorRate: 100,
  executorSliceSeconds: 1,
  redisSlice: 300,
  e2eRates: [1000, 10_000],
  e2eHeavyRates: [50_000],
  e2eWarmupSeconds: 2,
  e2eSeconds: 5,
  e2eJumpsPerMinute: 120,
  rampRates: [1000, 10_000, 50_000],
  rampSeconds: 4,
  rampP99LimitMs: 10,
  peerFrames: 40_000,
  dislocations: 4,
  pollIntervalsMs: [100, 1000],
  pollingLevelRate: 2000,
  captureDislocations: 6,
  captureSpacingMs: 2000,
  captureTailMs: 1500,
};

export function benchSettings(quick: boolean): BenchSettings {
  return quick ? QUICK : FULL;
}

/** `5000` → `5k/s`. */
export function rateLabel(ratePerSec: number): string {
  return ratePerSec >= 1000 ? `${ratePerSec / 1000}k/s` : `${ratePerSec}/s`;
}
