export interface BackoffOptions {
  /** First delay (ms). */
  readonly initialMs: number;
  /** Upper bound (ms). */
  readonly maxMs: number;
  /** Growth per attempt. */
  readonly factor: number;
  /** Fraction of the delay drawn at random: 0 = none, 1 = "full jitter" (0..delay). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with jitter so that many clients reconnecting
 * at once spread out. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(options.maxMs, options.initialMs * Math.pow(options.factor, Math.max(0, attempt)));
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(base * (1 - jitter) + base * jitter * random());
}
