import { promValue } from '@arb/testkit';
import { now } from '../recorder';
import type { Check } from '../types';
import { tradedAfter } from './feed-fault';
import { ms, type Scenario } from './scenario';

/** redis-server stops and starts again on the same port; its append-only file keeps the data (as in production). */
export const redisRestart: Scenario = {
  name: 'redis-restart',
  fault: 'redis-server restarted (SIGTERM, then started on the same port from its append-only file)',
  async run(ctx) {
    const { stack } = ctx;
    const read = async (): Promise<{ executor: number; mirror: number }> => ({
      executor: promValue(await stack.metrics(stack.executor.label), 'executor_redis_errors_total') ?? 0,
      mirror: promValue(await stack.metrics('detector'), 'detector_mirror_errors_total') ?? 0,
    });
    const before = await read();
    const t0 = now();
    await stack.redis.restart();
    const tUp = now();
    const probe = await ctx.probeTrades(30_000);
    const after = await read();
    const checks: Check[] = [tradedAfter(probe.reports, probe.firstMs)];
    return {
      behaviour: [
        `redis-server down and back in ${ms(tUp - t0)}`,
        `Redis errors counted meanwhile: executor ${after.executor - before.executor}, detector book mirror ${after.mirror - before.mirror}`,
        `first trade journaled ${ms(probe.firstMs)} after the first window opened post-restart`,
      ],
      recoveryMs: tUp - t0 + probe.firstMs,
      recoveryOf: 'server stopped → next window traded and journaled',
      lost: 'nothing journaled or traded (see the invariants): leases, route locks, inventory and idempotency markers live in the append-only file; book mirror writes that failed meanwhile were counted and the next book rewrote them',
      checks,
    };
  },
};
