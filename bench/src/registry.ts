import { captureWindowsBench } from './capture/capture.bench';
import { detectorEvaluateBench } from './detector/evaluate.bench';
import { detectorLatencyBench } from './detector/latency.bench';
import { e2eLatencyBench } from './e2e/latency.bench';
import { e2eSoakBench } from './e2e/soak.bench';
import { e2eThroughputBench } from './e2e/throughput.bench';
import { executorLatencyBench } from './executor/latency.bench';
import { peerCcxtBench } from './peer/ccxt.bench';
import { peerPollingBench } from './peer/polling.bench';
import { natsFloorBench } from './floors/nats-floor.bench';
import { redisFloorBench } from './floors/redis-floor.bench';
import { ingestLatencyBench } from './ingest/latency.bench';
import { ingestThroughputBench } from './ingest/throughput.bench';
import { scaleSymbolsBench } from './scale/scale.bench';
import type { BenchModule } from './types';

/**
 * Every benchmark, in run order (floors first: later modules compare against them through `ctx.memo`).
 *
 * To add one: write `src/<group>/<what>.bench.ts` exporting a `BenchModule` (name `<group>.<what>`), append it
 * here, and document it in bench/README.md. Heavy modules (e2e.throughput, e2e.soak) say so in `unavailable` unless
 * their flag is given or they are named in `--only`.
 */
export const BENCHMARKS: readonly BenchModule[] = [
  natsFloorBench,
  redisFloorBench,
  ingestThroughputBench,
  ingestLatencyBench,
  detectorEvaluateBench,
  detectorLatencyBench,
  executorLatencyBench,
  e2eLatencyBench,
  peerCcxtBench,
  peerPollingBench,
  captureWindowsBench,
  e2eThroughputBench,
  e2eSoakBench,
  scaleSymbolsBench,
];

/**
 * Modules picked by `--only` terms: a term matches a module's full name (`floors.nats`) or its group (`floors`).
 * Returns the unknown terms too, so the CLI can refuse them.
 */
export function selectBenchmarks(
  all: readonly BenchModule[],
  only: readonly string[],
): { selected: BenchModule[]; unknown: string[] } {
  if (only.length === 0) return { selected: [...all], unknown: [] };
  const unknown = only.filter((t) => !all.some((m) => m.name === t || m.group === t));
  return { selected: all.filter((m) => only.some((t) => m.name === t || m.group === t)), unknown };
}
