import { redisKeys } from '@arb/contracts';
import { Redis } from 'ioredis';
import { nowMs } from '../lib/clock';
import { LatencyRecorder, type LatencySummary } from '../lib/latency';
import { FLOOR_SYMBOL, sampleBookSnapshot } from './book-payload';

export interface RedisRttResult {
  readonly set: LatencySummary;
  readonly get: LatencySummary;
  readonly payloadBytes: number;
}

/**
 * Sequential round trips of one ioredis client to a local redis-server: SET then GET of a ~1.5 KB BookSnapshot
 * under the book key (what the detector mirrors), `count` times each; the first `warmup` pairs are dropped.
 */
export async function measureRedisRtt(url: string, count: number, warmup: number): Promise<RedisRttResult> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const key = redisKeys.book('benchfloor', FLOOR_SYMBOL);
    const snap = sampleBookSnapshot();
    const set = new LatencyRecorder();
    const get = new LatencyRecorder();
    let payloadBytes = 0;
    for (let i = 0; i < count; i++) {
      if (i === warmup) {
        set.reset();
        get.reset();
      }
      snap.seq = i;
      const payload = JSON.stringify(snap);
      payloadBytes = Buffer.byteLength(payload);
      const t0 = nowMs();
      await redis.set(key, payload, 'PX', 60_000);
      const t1 = nowMs();
      const got = await redis.get(key);
      const t2 = nowMs();
      if (got === null) throw new Error('redis GET returned nothing right after SET');
      set.record(t1 - t0);
      get.record(t2 - t1);
    }
    await redis.del(key);
    return { set: set.summary(), get: get.summary(), payloadBytes };
  } finally {
    redis.disconnect();
  }
}
