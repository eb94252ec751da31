import { backoffDelay, type BackoffOptions } from './backoff';
import { nowMs } from './clock';

export interface ResyncBackoffOptions extends BackoffOptions {
  /**
   * A book that stayed in sync this long ends a run of failures: its next resync is immediate again; one that broke
   * sooner keeps counting. 0: any synced book ends the run (only failed sync attempts back off; how often a live book
   * is resynced is then bounded by the venue's own limits, e.g. the REST weight budget).
   */
  readonly healthyAfterMs: number;
}

/** 250 ms doubling to 5 s, half of each delay random; any synced book ends a run of failures. */
export const DEFAULT_RESYNC_BACKOFF: ResyncBackoffOptions = { initialMs: 250, maxMs: 5000, factor: 2, jitter: 0.5, healthyAfterMs: 0 };

interface KeyState {
  failures: number;
  syncedAt: number | null;
}

/**
 * When to (re)sync a book, per key (symbol / product), shared by every venue's market-data client: a resync after a
 * healthy book is immediate; each further one before the book is healthy again (the snapshot was crossed or older
 * than the stream, the request failed; with `healthyAfterMs`, the fresh book broke too soon) waits an exponential,
 * jittered, capped delay. A resync because the stream lost a message (`afterStreamLoss`) is immediate: the snapshots
 * are not at fault, and waiting would not make the next one better.
 * So a venue serving bad snapshots is asked a bounded number of times, and once it is good again the book is back
 * within `maxMs`. A new connection starts every key afresh (`reset`): the connection failed, not the book.
 */
export class ResyncBackoff {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly options: ResyncBackoffOptions = DEFAULT_RESYNC_BACKOFF,
    private readonly now: () => number = nowMs,
    private readonly random: () => number = Math.random,
  ) {
    if (!(options.initialMs >= 0) || !(options.maxMs >= options.initialMs) || !(options.factor >= 1) || !(options.healthyAfterMs >= 0)) {
      throw new RangeError(`invalid resync backoff ${JSON.stringify(options)}`);
    }
  }

  /** The book of `key` must be (re)synced: ms to wait before the attempt (0 = now). Counts the attempt. */
  next(key: string): number {
    const s = this.state(key);
    if (s.syncedAt !== null && this.now() - s.syncedAt >= this.options.healthyAfterMs) s.failures = 0;
    s.syncedAt = null;
    const delay = s.failures === 0 ? 0 : backoffDelay(s.failures - 1, this.options, this.random);
    s.failures++;
    return delay;
  }

  /**
   * The stream lost a message (sequence gap, corrupt frame): the venue's snapshots are not at fault, so the resync is
   * immediate and starts a new run. How often that happens is bounded by the venue's own limits (REST weight budget,
   * resubscribe interval). Returns 0, counts the attempt.
   */
  afterStreamLoss(key: string): number {
    this.keys.delete(key);
    return this.next(key);
  }

  /** The book of `key` is in sync (from now on it counts towards `healthyAfterMs`). */
  synced(key: string): void {
    const s = this.state(key);
    s.syncedAt ??= this.now();
  }

  /** Forgets the failures of `key` (a new connection). */
  reset(key: string): void {
    this.keys.delete(key);
  }

  /** Failed sync attempts of `key` in a row, while it is not in sync (0 when in sync or never tried). */
  failures(key: string): number {
    const s = this.keys.get(key);
    return s === undefined || s.syncedAt !== null ? 0 : Math.max(0, s.failures - 1);
  }

  private state(key: string): KeyState {
    let s = this.keys.get(key);
    if (s === undefined) {
      s = { failures: 0, syncedAt: null };
      this.keys.set(key, s);
    }
    return s;
  }
}
