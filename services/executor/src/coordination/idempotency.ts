import { redisKeys } from '@arb/contracts';
import type { Redis } from 'ioredis';
import { positiveIntArg } from './args';

/** At-most-once handling of an opportunity across all executors: SET NX PX on `redisKeys.oppDone(id)`. */
export class IdempotencyGuard {
  constructor(private readonly redis: Redis) {}

  /** True for exactly one caller per id while the marker lives (`ttlMs`); `owner` is stored for diagnostics. */
  async claim(id: string, ttlMs: number, owner = '1'): Promise<boolean> {
    const ok = await this.redis.set(redisKeys.oppDone(id), owner, 'PX', positiveIntArg('ttlMs', ttlMs), 'NX');
    return ok === 'OK';
  }

  /** Removes the marker so a redelivery may handle the id again (only when nothing was done for it). */
  async forget(id: string): Promise<void> {
    await this.redis.del(redisKeys.oppDone(id));
  }

  /** The marker's owner value, or null when the id is unclaimed. */
  async ownerOf(id: string): Promise<string | null> {
    return this.redis.get(redisKeys.oppDone(id));
  }
}
