import { redisKeys } from '@arb/contracts';
import { Redis } from 'ioredis';
import { nowMs } from '../lib/clock';
import { LatencyRecorder, type LatencySummary } from '../lib/latency';
import { FLOOR_SYMBOL, sampleBookSnapshot } from './book-payload';

/**
 * The Redis round-trip floor in slices, to interleave with a path that makes Redis round trips (the executor's
 * one script call before its orders leave): sequential SETs of a ~1.4 KB value from one ioredis client.
 */
export class RedisRttSlices {
  private readonly all = new LatencyRecorder();
  private readonly cur = new LatencyRecorder();
  private readonly payload = JSON.stringify(sampleBookSnapshot());
  private readonly key = redisKeys.book('benchfloor', FLOOR_SYMBOL);

  private constructor(private readonly redis: Redis) {}

  static async start(url: string): Promise<RedisRttSlices> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    return new RedisRttSlices(redis);
  }

  /** `count` sequential round trips. */
  async slice(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const t0 = nowMs();
      await this.redis.set(this.key, this.payload, 'PX', 60_000);
      const ms = nowMs() - t0;
      this.all.record(ms);
      this.cur.record(ms);
    }
  }

  reset(): void {
    this.all.reset();
    this.cur.reset();
  }

  takeSlice(): LatencySummary {
    const s = this.cur.summary();
    this.cur.reset();
    return s;
  }

  summary(): LatencySummary {
    return this.all.summary();
  }

  async close(): Promise<void> {
    await this.redis.del(this.key).catch(() => undefined);
    this.redis.disconnect();
  }
}
