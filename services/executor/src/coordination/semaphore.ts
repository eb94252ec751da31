import { redisKeys } from '@arb/contracts';
import { nowMs, sleep } from '@arb/service-kit';
import type { Redis } from 'ioredis';
import { holderArg, positiveIntArg } from './args';
import { CoordinationReplyError, InvalidHolderError } from './errors';
import { RedisLease, type Lease } from './lease';
import { ACQUIRE, IN_USE, RELEASE_HOLDER, RENEW } from './semaphore-scripts';

export interface SemaphoreOptions {
  /** Semaphore name (`redisKeys.semaphore(name)`), e.g. `trades`. */
  name: string;
  /** Most leases live at once, cluster-wide. */
  limit: number;
  /** A lease not renewed for this long expires (its holder is presumed dead). */
  leaseMs: number;
  /** acquireWait's first retry pause (jittered 50-100 %, doubling up to retryMaxMs); default 2 ms. */
  retryMinMs?: number;
  /** acquireWait's longest retry pause; default 25 ms. */
  retryMaxMs?: number;
}

/**
 * Cluster-wide counting semaphore in one Redis sorted set: acquire, renew and count are single Lua scripts using
 * the server's clock, release removes exactly one `<holder>|<token>` member. Holder ids must be unique per concurrent
 * lease (e.g. `<executorId>:<opportunityId>`): acquiring with a holder that already has a live lease returns that
 * lease (so a retried acquire never takes two slots).
 */
export class RedisSemaphore {
  readonly name: string;
  readonly limit: number;
  readonly leaseMs: number;
  private readonly zsetKey: string;
  private readonly fenceKey: string;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly redis: Redis,
    opts: SemaphoreOptions,
  ) {
    this.name = opts.name;
    this.zsetKey = redisKeys.semaphore(opts.name);
    this.fenceKey = redisKeys.semaphoreFence(opts.name);
    this.limit = positiveIntArg('limit', opts.limit);
    this.leaseMs = positiveIntArg('leaseMs', opts.leaseMs);
    this.retryMinMs = positiveIntArg('retryMinMs', opts.retryMinMs ?? 2);
    this.retryMaxMs = Math.max(this.retryMinMs, positiveIntArg('retryMaxMs', opts.retryMaxMs ?? 25));
  }

  /** One round trip: a lease, or null when `limit` leases are live. Rejects on Redis errors. */
  async acquire(holderId: string): Promise<Lease | null> {
    const holder = holderArg(holderId);
    const sentAt = nowMs();
    const reply = await ACQUIRE.run(this.redis, [this.zsetKey, this.fenceKey], [this.limit, this.leaseMs, holder]);
    if (reply === null) return null;
    if (typeof reply !== 'number' || !Number.isSafeInteger(reply) || reply <= 0) {
      throw new CoordinationReplyError(`semaphore ${this.name}: unexpected acquire reply ${String(reply)}`);
    }
    return new RedisLease({ redis: this.redis, zsetKey: this.zsetKey, holder, token: reply, leaseMs: this.leaseMs, sentAt });
  }

  /**
   * Tries until a lease is free or `waitMs` passed (at least one attempt), pausing with jittered exponential
   * back-off between attempts. Redis errors are retried within the wait; if the last attempt failed with one, it is
   * rethrown instead of returning null.
   */
  async acquireWait(holderId: string, waitMs: number): Promise<Lease | null> {
    const deadline = nowMs() + Math.max(0, waitMs);
    let pause = this.retryMinMs;
    for (;;) {
      let failure: { err: unknown } | undefined;
      try {
        const lease = await this.acquire(holderId);
        if (lease !== null) return lease;
      } catch (err) {
        if (err instanceof InvalidHolderError || err instanceof CoordinationReplyError) throw err;
        failure = { err };
      }
      const left = deadline - nowMs();
      if (left <= 0) {
        if (failure !== undefined) throw failure.err;
        return null;
      }
      await sleep(Math.min(left, pause * (0.5 + Math.random() * 0.5)));
      pause = Math.min(this.retryMaxMs, pause * 2);
    }
  }

  /**
   * Frees every lease of `holderId` (normally released by its Lease; this is for a dead holder whose trade another
   * executor finished, so the slot does not stay taken until the lease expires). Resolves with the leases removed.
   */
  async releaseHolder(holderId: string): Promise<number> {
    const reply = await RELEASE_HOLDER.run(this.redis, [this.zsetKey], [holderArg(holderId)]);
    if (typeof reply !== 'number') throw new CoordinationReplyError(`semaphore ${this.name}: unexpected release reply ${String(reply)}`);
    return reply;
  }

  /** Live (unexpired) leases now. */
  async inUse(): Promise<number> {
    const reply = await IN_USE.run(this.redis, [this.zsetKey], []);
    if (typeof reply !== 'number') throw new CoordinationReplyError(`semaphore ${this.name}: unexpected count ${String(reply)}`);
    return reply;
  }

  /** Loads the scripts into Redis' cache so the first acquire is one EVALSHA (optional; done lazily otherwise). */
  async prepare(): Promise<void> {
    await Promise.all([ACQUIRE.load(this.redis), RENEW.load(this.redis), IN_USE.load(this.redis)]);
  }
}
