import { token } from './token';

/** Every Redis key the system uses. */
export const redisKeys = {
  /** Latest top-N book of one venue and symbol, with a TTL. */
  book: (venue: string, symbol: string): string => `arb:book:${token('venue', venue)}:${token('symbol', symbol)}`,
  /** Sorted set of semaphore leases (member = holder, score = expiry). */
  semaphore: (name: string): string => `arb:sem:${token('semaphore', name)}`,
  /** Monotonic fencing-token counter of a semaphore. */
  semaphoreFence: (name: string): string => `arb:sem:${token('semaphore', name)}:fence`,
  /** One trade at a time per route. */
  routeLock: (symbol: string, buyVenue: string, sellVenue: string): string =>
    `arb:lock:route:${token('symbol', symbol)}:${token('venue', buyVenue)}:${token('venue', sellVenue)}`,
  /** Idempotency marker for opportunity handling. */
  oppDone: (id: string): string => `arb:opp:done:${token('opportunity id', id)}`,
  /** Hash of available / reserved amounts of one asset on one venue. */
  inventory: (venue: string, asset: string): string => `arb:inv:${token('venue', venue)}:${token('asset', asset)}`,
  /** In-flight trade record, written before orders leave, cleared after journaling. */
  inflight: (executorId: string): string => `arb:inflight:${token('executor id', executorId)}`,
} as const;
