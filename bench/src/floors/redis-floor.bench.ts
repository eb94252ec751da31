import { latencyRows } from '../lib/rows';
import { benchSettings } from '../settings';
import type { BenchModule } from '../types';
import { measureRedisRtt } from './redis-rtt';

const GROUP = 'floors';

/** ioredis round trips to a local redis-server: the floor of every Redis step (locks, semaphore, book mirror). */
export const redisFloorBench: BenchModule = {
  name: 'floors.redis',
  group: GROUP,
  description: 'Redis round trip (ioredis SET/GET of a ~1.5 KB value), sequential',
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const redis = await ctx.redis();
    ctx.log.info(`Redis round trips, ${s.redisPairs} SET+GET pairs`);
    const r = await measureRedisRtt(redis.url, s.redisPairs, Math.round(s.redisPairs * 0.1));
    const note = `n=${r.set.count}, ${r.payloadBytes} B`;
    return [
      ...latencyRows(GROUP, 'Redis SET round trip', r.set, { percentiles: ['p50', 'p99'], note }),
      ...latencyRows(GROUP, 'Redis GET round trip', r.get, { percentiles: ['p50', 'p99'], note }),
    ];
  },
};
