/** Binance REQUEST_WEIGHT accounting per wall-clock minute. */
export class WeightLimiter {
  private minute = -1;
  used = 0;

  constructor(readonly limitPerMinute: number) {}

  /** Adds `weight`; false when the minute's limit is exceeded. */
  take(weight: number, nowMs = Date.now()): boolean {
    const m = Math.floor(nowMs / 60000);
    if (m !== this.minute) {
      this.minute = m;
      this.used = 0;
    }
    this.used += weight;
    return this.used <= this.limitPerMinute;
  }

  /** Seconds until the current minute ends. */
  retryAfterS(nowMs = Date.now()): number {
    return Math.max(1, Math.ceil((60000 - (nowMs % 60000)) / 1000));
  }
}

/** GET /api/v3/depth weight by limit (current Binance docs). */
export function depthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}
