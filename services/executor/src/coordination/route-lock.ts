import { randomUUID } from 'node:crypto';
import { redisKeys } from '@arb/contracts';
import { nowMs } from '@arb/service-kit';
import type { Redis } from 'ioredis';
import { holderArg, positiveIntArg } from './args';
import { LuaScript } from './lua-script';
import { releaseWithRetry } from './retry-release';

/** KEYS[1] lock; ARGV value → 1 deleted, 0 not ours (expired, or someone else's). */
const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** KEYS[1] lock; ARGV value, ttlMs → 1 extended, 0 not ours. */
const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** KEYS[1] lock; ARGV holder prefix (`<holder>|`) → 1 deleted, 0 not that holder's. */
const RELEASE_HOLDER = new LuaScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** A held route lock. */
export interface RouteLockHandle {
  /** Lock value: `<holder>|<random>`, unique per acquisition. */
  readonly value: string;
  /** Deletes the lock only if it is still this acquisition's (compare-and-delete); true if it was. On a Redis error
   *  it rejects and the delete is retried in the background until the lock's TTL ran out (`releaseWithRetry`). */
  release(): Promise<boolean>;
  /** Sets the TTL to `ttlMs` from now if the lock is still ours; false = lost. */
  extend(ttlMs: number): Promise<boolean>;
}

/** One trade at a time per route (`redisKeys.routeLock(symbol, buyVenue, sellVenue)`): SET NX PX, owner-only release. */
export class RouteLock {
  constructor(private readonly redis: Redis) {}

  /** One round trip: the handle, or null when the route is locked. Rejects on Redis errors. */
  async tryLock(symbol: string, buyVenue: string, sellVenue: string, holder: string, ttlMs: number): Promise<RouteLockHandle | null> {
    const key = redisKeys.routeLock(symbol, buyVenue, sellVenue);
    const value = `${holderArg(holder)}|${randomUUID()}`;
    const sentAt = nowMs();
    const ok = await this.redis.set(key, value, 'PX', positiveIntArg('ttlMs', ttlMs), 'NX');
    if (ok !== 'OK') return null;
    const redis = this.redis;
    // Local time after which the lock has expired on the server (measured from before the setting call was sent).
    let expiresAt = sentAt + ttlMs;
    const del = async (): Promise<boolean> => (await RELEASE.run(redis, [key], [value])) === 1;
    return {
      value,
      release: () => releaseWithRetry(del, () => expiresAt),
      extend: async (ms: number) => {
        const at = nowMs();
        const extended = (await EXTEND.run(redis, [key], [value, positiveIntArg('ttlMs', ms)])) === 1;
        if (extended) expiresAt = at + ms;
        return extended;
      },
    };
  }

  /**
   * Deletes the route's lock if `holder` holds it (any acquisition): for a dead holder whose trade another executor
   * finished, so the route is not blocked until the lock's TTL runs out. True if it was deleted.
   */
  async releaseHolder(symbol: string, buyVenue: string, sellVenue: string, holder: string): Promise<boolean> {
    return (await RELEASE_HOLDER.run(this.redis, [redisKeys.routeLock(symbol, buyVenue, sellVenue)], [`${holderArg(holder)}|`])) === 1;
  }

  /** Loads the scripts into Redis' cache (optional; done lazily otherwise). */
  async prepare(): Promise<void> {
    await Promise.all([RELEASE.load(this.redis), EXTEND.load(this.redis)]);
  }

  /** Current lock value (`<holder>|<random>`) or null; for diagnostics. */
  async holderOf(symbol: string, buyVenue: string, sellVenue: string): Promise<string | null> {
    return this.redis.get(redisKeys.routeLock(symbol, buyVenue, sellVenue));
  }
}
