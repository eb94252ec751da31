import { nowMs } from '@arb/service-kit';
import type { Redis } from 'ioredis';
import { releaseWithRetry } from './retry-release';
import { RENEW } from './semaphore-scripts';

/** One slot of a RedisSemaphore. */
export interface Lease {
  /** Fencing token: strictly increasing across all leases of the semaphore (also across Redis data loss). */
  readonly token: number;
  readonly holder: string;
  /**
   * True once the lease is known or presumed gone: a renewal found it missing/expired, or `leaseMs` passed (local
   * clock, measured from before the last successful acquire/renew was sent) without a successful renewal.
   * Check it before doing anything that needs the slot (e.g. before orders leave). A clock-presumed loss clears
   * again if a later renewal finds the lease still live; a renewal that finds it gone is final.
   */
  readonly lost: boolean;
  /** Extends the expiry to now + leaseMs if this exact lease (holder and token) is still live; false = lost. */
  renew(): Promise<boolean>;
  /** Removes this exact lease (a newer lease of the same holder is untouched). Rejects only on Redis errors; the
   *  removal is then retried in the background until the lease would have expired anyway (`releaseWithRetry`).
   *  Stops auto-renewal. Safe to call twice. */
  release(): Promise<void>;
  /** Renews every `intervalMs` (timer unref'd) until release; a failed renewal (lease gone) sets `lost`, stops the
   *  timer and calls `onLost` once. Redis errors are retried on the next tick (`lost` turns true by the clock). */
  startAutoRenew(intervalMs: number, onLost?: () => void): void;
}

export interface LeaseParams {
  redis: Redis;
  zsetKey: string;
  holder: string;
  token: number;
  leaseMs: number;
  /** Local time (`nowMs()`) before the acquiring call was sent. */
  sentAt: number;
}

export class RedisLease implements Lease {
  readonly token: number;
  readonly holder: string;
  private readonly member: string;
  private deadline: number;
  private lostFlag = false;
  private released = false;
  private timer: NodeJS.Timeout | undefined;
  private renewing = false;
  private onLost: (() => void) | undefined;

  constructor(private readonly p: LeaseParams) {
    this.token = p.token;
    this.holder = p.holder;
    this.member = `${p.holder}|${p.token}`;
    this.deadline = p.sentAt + p.leaseMs;
  }

  get lost(): boolean {
    return this.lostFlag || nowMs() >= this.deadline;
  }

  /** Local time (`nowMs()`, epoch ms) after which the lease must be presumed expired unless renewed. */
  get expiresAt(): number {
    return this.deadline;
  }

  async renew(): Promise<boolean> {
    if (this.released || this.lostFlag) return false;
    const sentAt = nowMs();
    const reply = await RENEW.run(this.p.redis, [this.p.zsetKey], [this.member, this.p.leaseMs]);
    if (reply === 1) {
      if (!this.released) this.deadline = sentAt + this.p.leaseMs;
      return true;
    }
    this.markLost();
    return false;
  }

  async release(): Promise<void> {
    this.stopTimer();
    if (this.released) return;
    this.released = true;
    // The member carries the token, so this only ever removes this exact lease (fencing).
    await releaseWithRetry(() => this.p.redis.zrem(this.p.zsetKey, this.member), () => this.deadline);
  }

  startAutoRenew(intervalMs: number, onLost?: () => void): void {
    if (this.released || this.timer !== undefined) return;
    if (!Number.isInteger(intervalMs) || intervalMs <= 0 || intervalMs >= this.p.leaseMs) {
      throw new RangeError(`renew interval must be a positive integer below leaseMs (${this.p.leaseMs}), got ${intervalMs}`);
    }
    this.onLost = onLost;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      await this.renew();
    } catch {
      // Redis unreachable: try again next tick; `lost` turns true by the clock if it stays so.
    } finally {
      this.renewing = false;
    }
  }

  private markLost(): void {
    if (this.released || this.lostFlag) return;
    this.lostFlag = true;
    this.stopTimer();
    const cb = this.onLost;
    this.onLost = undefined;
    try {
      cb?.();
    } catch {
      // a failing callback must not break renewal bookkeeping
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
