import { binance } from '@arb/venues';
import { nowMs } from '../lib/clock';
import type { ReplayData } from './replay-data';

export interface CeilingResult {
  /** Frames parsed and applied per second of wall time, one core, no I/O. */
  readonly updatesPerSec: number;
  readonly frames: number;
  /** Frames that did not come out `applied`/`unchanged` (must be 0: the replay data is a valid session). */
  readonly rejected: number;
}

/**
 * The same-run reference for ingest throughput: the feed-ingestor's core work per frame, in this process with no
 * I/O: `parseBinanceFrame` + `BinanceBookSync.onDepth` (exact L2 book) over the replay frames, after the snapshot.
 * A warm-up pass over the first frames (JIT), then the measured pass over all of them.
 */
export function measureCeiling(data: ReplayData, warmupFrames = 50_000): CeilingResult {
  let result: CeilingResult | undefined;
  for (const limit of [Math.min(warmupFrames, data.frames.length), data.frames.length]) {
    const sync = new binance.BinanceBookSync();
    const first = binance.parseBinanceFrame(data.frames[0] as string);
    if (first instanceof Error || first.kind !== 'depth') throw new Error('replay frame 0 is not a depthUpdate');
    sync.onDepth(first);
    sync.onSnapshot(data.snapshot);
    let rejected = 0;
    const t0 = nowMs();
    for (let i = 1; i < limit; i++) {
      const ev = binance.parseBinanceFrame(data.frames[i] as string);
      if (ev instanceof Error || ev.kind !== 'depth') {
        rejected++;
        continue;
      }
      const r = sync.onDepth(ev);
      if (r !== 'applied' && r !== 'unchanged') rejected++;
    }
    const elapsed = (nowMs() - t0) / 1000;
    result = { updatesPerSec: (limit - 1) / elapsed, frames: limit - 1, rejected };
  }
  return result as CeilingResult;
}
