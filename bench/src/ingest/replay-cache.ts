import type { BenchContext } from '../types';
import { measureCeiling, type CeilingResult } from './ceiling';
import { generateReplayData, type ReplayData } from './replay-data';

/** Replay data of `frames` frames, generated once per run (deterministic seed). */
export function replayData(ctx: BenchContext, frames: number): Promise<ReplayData> {
  return ctx.memo(`replay:${frames}`, async () => {
    ctx.log.info(`generating ${frames} depthUpdate frames`);
    return generateReplayData({ frames });
  });
}

/** The in-process parse+apply ceiling over the same frames, once per run. */
export function ingestCeiling(ctx: BenchContext, data: ReplayData): Promise<CeilingResult> {
  return ctx.memo(`ceiling:${data.frames.length}`, async () => measureCeiling(data));
}
