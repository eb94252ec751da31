import type { Level, Logger } from 'pino';

export type RateLimitedLog = (kind: string, obj: Record<string, unknown>, msg: string) => void;

export interface RateLimitedLogOptions {
  /** Level of the lines; default `warn`. */
  level?: Level;
  /** Clock (ms); default `Date.now`. */
  now?: () => number;
  /** Kinds tracked at most; the oldest are forgotten beyond this. Default 1000. */
  maxKinds?: number;
}

/**
 * Logs the first occurrence of each `kind` at once, then at most one line per `intervalMs` per kind; a line after a
 * quiet spell carries `suppressed: <n>` (how many were dropped since the last line) and `kind`. No timers: a
 * suppressed count is reported with the next occurrence after the interval.
 */
export function createRateLimitedLog(logger: Logger, intervalMs: number, opts: RateLimitedLogOptions = {}): RateLimitedLog {
  const level = opts.level ?? 'warn';
  const now = opts.now ?? Date.now;
  const maxKinds = opts.maxKinds ?? 1000;
  const state = new Map<string, { lastAt: number; suppressed: number }>();
  return (kind, obj, msg) => {
    const t = now();
    const entry = state.get(kind);
    if (entry !== undefined && t - entry.lastAt < intervalMs) {
      entry.suppressed++;
      return;
    }
    const suppressed = entry?.suppressed ?? 0;
    if (entry === undefined) {
      if (state.size >= maxKinds) {
        const oldest = state.keys().next();
        if (oldest.done !== true) state.delete(oldest.value);
      }
      state.set(kind, { lastAt: t, suppressed: 0 });
    } else {
      entry.lastAt = t;
      entry.suppressed = 0;
    }
    logger[level]({ ...obj, kind, ...(suppressed > 0 ? { suppressed } : {}) }, msg);
  };
}
