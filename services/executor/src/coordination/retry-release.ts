import { nowMs } from '@arb/service-kit';

/** First pause before a failed release is tried again (doubling up to RETRY_MAX_MS). */
export const RETRY_FIRST_MS = 100;
export const RETRY_MAX_MS = 1_000;

/**
 * Runs a release (lease, route lock). When it fails on a Redis error, typically a primary gone mid-failover, it
 * rejects as before and is tried again in the background until it succeeds or until `until` (local `nowMs()`), after
 * which the key has expired by itself. Without it, the new primary keeps the replicated slot or lock until its TTL
 * (10 s lease, 30 s route lock) and the whole cluster stops trading that long after a failover. The release
 * operations are compare-and-delete, so a late one never removes somebody else's slot. Timers are unref'd.
 */
export async function releaseWithRetry<T>(op: () => Promise<T>, until: () => number): Promise<T> {
  try {
    return await op();
  } catch (error) {
    retryLater(op, until(), RETRY_FIRST_MS);
    throw error;
  }
}

function retryLater(op: () => Promise<unknown>, until: number, delayMs: number): void {
  if (nowMs() + delayMs >= until) return;
  const timer = setTimeout(() => {
    op().catch(() => retryLater(op, until, Math.min(delayMs * 2, RETRY_MAX_MS)));
  }, delayMs);
  timer.unref();
}
