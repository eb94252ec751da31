import type { BenchContext } from '../types';
import { measureCeiling, type CeilingResult } from './ceiling';
import { generateReplayData, type ReplayData } from './replay-data';

/**
 * Replay data of `frames` frames (deterministic seed). Not kept between modules on purpose: hundreds of MB of live
 * strings would slow every later garbage collection of this process, and with it the floors it measures.
 */
export function replayData(ctx: BenchContext, frames: number): ReplayData {
  ctx.log.info(`generating ${frames} depthUpdate frames`);
  return generateReplayData({ frames });
}

/** The in-process parse+apply ceiling over the same frames, once per run. */
export function ingestCeiling(ctx: BenchContext, data: ReplayData): Promise<CeilingResult> {
  return ctx.memo(`ceiling:${data.frames.length}`, async () => measureCeiling(data));
}
