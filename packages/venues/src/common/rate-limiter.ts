import { nowMs } from './clock';

/** At most `limit` units in any `intervalMs` window (e.g. Binance REQUEST_WEIGHT 6000 per minute). */
export interface RateLimitRule {
  readonly name: string;
  readonly limit: number;
  readonly intervalMs: number;
}

/** Units per rule name that one request costs; rules not named cost nothing. */
export type RateCost = Readonly<Record<string, number>>;

export interface RateLimiterOptions {
  /** Slots per window (resolution). Usage is over-counted by at most one slot: never under-counted. Default 60. */
  readonly slots?: number;
  readonly now?: () => number;
}

/** Sliding window counted in slots; conservative: a unit is forgotten only once it is surely out of the window. */
class SlotWindow {
  private readonly counts = new Map<number, number>();
  readonly slotMs: number;

  constructor(
    readonly rule: RateLimitRule,
    private readonly slots: number,
  ) {
    this.slotMs = rule.intervalMs / slots;
  }

  private slotOf(t: number): number {
    return Math.floor(t / this.slotMs);
  }

  private prune(cur: number): void {
    for (const id of this.counts.keys()) if (id < cur - this.slots) this.counts.delete(id);
  }

  used(t: number): number {
    const cur = this.slotOf(t);
    this.prune(cur);
    let sum = 0;
    for (const c of this.counts.values()) sum += c;
    return sum;
  }

  /** ms until `cost` more units fit (0 = now; Infinity = never: the cost alone exceeds the limit). */
  waitFor(cost: number, t: number): number {
    if (cost <= 0) return 0;
    if (cost > this.rule.limit) return Infinity;
    const used = this.used(t);
    if (used + cost <= this.rule.limit) return 0;
    let freed = 0;
    const ids = [...this.counts.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      freed += this.counts.get(id) ?? 0;
      if (used - freed + cost <= this.rule.limit) return Math.max(1, (id + this.slots + 1) * this.slotMs - t);
    }
    return this.rule.intervalMs;
  }

  add(cost: number, t: number): void {
    const cur = this.slotOf(t);
    this.counts.set(cur, (this.counts.get(cur) ?? 0) + cost);
  }
}

/**
 * Client-side limiter for a venue's published limits (several rules at once: weight per minute, orders per 10 s,
 * orders per day, requests per second). A request is sent only when its cost fits EVERY rule; otherwise the caller
 * waits up to a bound or fails fast without sending. Server-reported usage (`observe`) and Retry-After (`pause`)
 * tighten it further.
 */
export class RateLimiter {
  private readonly windows = new Map<string, SlotWindow>();
  private readonly now: () => number;
  private pausedUntil = 0;

  constructor(rules: readonly RateLimitRule[], options: RateLimiterOptions = {}) {
    const slots = options.slots ?? 60;
    for (const r of rules) {
      if (!(r.limit > 0) || !(r.intervalMs > 0)) throw new RangeError(`rate limit rule ${r.name}: limit and intervalMs must be > 0`);
      this.windows.set(r.name, new SlotWindow(r, slots));
    }
    this.now = options.now ?? nowMs;
  }

  get rules(): RateLimitRule[] {
    return [...this.windows.values()].map((w) => w.rule);
  }

  /** ms to wait before `cost` fits every rule and no pause is active (0 = now, Infinity = never). */
  waitTime(cost: RateCost): number {
    const t = this.now();
    let wait = Math.max(0, this.pausedUntil - t);
    for (const [name, units] of Object.entries(cost)) {
      const w = this.windows.get(name);
      if (w !== undefined) wait = Math.max(wait, w.waitFor(units, t));
    }
    return wait;
  }

  /** Takes `cost` if it fits now and returns 0; otherwise takes nothing and returns the ms to wait. */
  tryTake(cost: RateCost): number {
    const wait = this.waitTime(cost);
    if (wait > 0) return wait;
    const t = this.now();
    for (const [name, units] of Object.entries(cost)) this.windows.get(name)?.add(units, t);
    return 0;
  }

  /**
   * Takes `cost`, waiting while the wait stays within `maxWaitMs` in total. Resolves 0 once taken, or the ms still
   * needed (> 0, nothing taken) when that would exceed the bound or `signal` aborts.
   */
  async take(cost: RateCost, maxWaitMs: number, signal?: AbortSignal): Promise<number> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const wait = this.tryTake(cost);
      if (wait === 0) return 0;
      if (signal?.aborted === true || this.now() + wait > deadline) return wait;
      await sleep(wait, signal);
    }
  }

  /** Nothing passes for `ms` (after a 429 / Retry-After). */
  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** The venue reports `used` units of a rule in its current window: raise our count to at least that. */
  observe(name: string, used: number): void {
    const w = this.windows.get(name);
    if (w === undefined || !Number.isFinite(used)) return;
    const t = this.now();
    const ours = w.used(t);
    if (used > ours) w.add(used - ours, t);
  }

  /** Units of a rule used in the current window (as counted here). */
  used(name: string): number {
    return this.windows.get(name)?.used(this.now()) ?? 0;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, Math.max(1, Math.ceil(ms)));
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
