import { benchSettings, rateLabel } from '../settings';
import { collectGarbage } from '../lib/gc';
import type { BenchContext } from '../types';
import { measureNatsHop, type HopMode, type NatsHopResult } from './nats-hop';

/**
 * The NATS one-hop floor at `ratePerSec`, measured once per run and shared: the floors module reports it, the
 * ingest latency module compares against it (same server, same rate, same run).
 */
export function natsFloor(ctx: BenchContext, mode: HopMode, ratePerSec: number): Promise<NatsHopResult> {
  return ctx.memo(`nats-floor:${mode}:${ratePerSec}`, async () => {
    const s = benchSettings(ctx.quick);
    const nats = await ctx.nats();
    const count = Math.round(ratePerSec * s.floorSeconds);
    collectGarbage(); // start from a settled heap: a major GC inside the window would be charged to NATS
    ctx.log.info(`NATS floor, ${mode}, ${rateLabel(ratePerSec)} x ${s.floorSeconds}s`);
    return measureNatsHop({ url: nats.url, mode, ratePerSec, count, warmup: Math.round(count * s.warmupFraction) });
  });
}
