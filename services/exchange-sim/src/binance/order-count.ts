import type { BinanceError } from './auth';

/** One `ORDERS` rate limit of exchangeInfo `rateLimits` (e.g. 50 per 10 SECOND, 160000 per 1 DAY). */
export interface OrderCountWindow {
  readonly interval: 'SECOND' | 'MINUTE' | 'DAY';
  readonly intervalNum: number;
  readonly limit: number;
}

const UNIT_MS = { SECOND: 1000, MINUTE: 60_000, DAY: 86_400_000 } as const;

interface AccountCounts {
  start: number[];
  count: number[];
}

/**
 * Binance's unfilled order count, per account (faqs/order_count_decrement.md): every accepted new order adds one in
 * each window; the FIRST fill of an order (taker) takes one off again (never below zero). Windows are fixed and
 * aligned on the epoch (10 s windows 12:34:00-12:34:10, days at 00:00 UTC), as the FAQ describes.
 */
export class OrderCountLimiter {
  private readonly accounts = new Map<string, AccountCounts>();

  constructor(readonly windows: readonly OrderCountWindow[]) {}

  /** The window whose limit the account has reached (its next order is refused with -1015), or null. */
  exceeded(account: string, nowMs = Date.now()): OrderCountWindow | null {
    const c = this.current(account, nowMs);
    return this.windows.find((w, i) => (c.count[i] ?? 0) >= w.limit) ?? null;
  }

  /** Counts one accepted new order. */
  add(account: string, nowMs = Date.now()): void {
    const c = this.current(account, nowMs);
    for (let i = 0; i < c.count.length; i++) c.count[i] = (c.count[i] ?? 0) + 1;
  }

  /** An order of the account filled for the first time: one order less in every window. */
  filled(account: string, nowMs = Date.now()): void {
    const c = this.current(account, nowMs);
    for (let i = 0; i < c.count.length; i++) c.count[i] = Math.max(0, (c.count[i] ?? 0) - 1);
  }

  /** `x-mbx-order-count-10s`, `x-mbx-order-count-1d`, … with the account's current counts. */
  headers(account: string, nowMs = Date.now()): Record<string, string> {
    const c = this.current(account, nowMs);
    const out: Record<string, string> = {};
    this.windows.forEach((w, i) => {
      out[`x-mbx-order-count-${w.intervalNum}${w.interval.charAt(0).toLowerCase()}`] = String(c.count[i] ?? 0);
    });
    return out;
  }

  /** `GET /api/v3/rateLimit/order` body. */
  usage(account: string, nowMs = Date.now()): Array<Record<string, unknown>> {
    const c = this.current(account, nowMs);
    return this.windows.map((w, i) => ({ rateLimitType: 'ORDERS', interval: w.interval, intervalNum: w.intervalNum, limit: w.limit, count: c.count[i] ?? 0 }));
  }

  /** exchangeInfo `rateLimits` entries. */
  rateLimits(): Array<Record<string, unknown>> {
    return this.windows.map((w) => ({ rateLimitType: 'ORDERS', interval: w.interval, intervalNum: w.intervalNum, limit: w.limit }));
  }

  private current(account: string, nowMs: number): AccountCounts {
    let c = this.accounts.get(account);
    if (!c) {
      c = { start: this.windows.map(() => -1), count: this.windows.map(() => 0) };
      this.accounts.set(account, c);
    }
    this.windows.forEach((w, i) => {
      const len = UNIT_MS[w.interval] * w.intervalNum;
      const start = nowMs - (nowMs % len);
      if (c.start[i] !== start) {
        c.start[i] = start;
        c.count[i] = 0;
      }
    });
    return c;
  }
}

/** 429 -1015 for an order refused by the unfilled order count (no Retry-After, as Binance documents). */
export function tooManyOrders(w: OrderCountWindow): BinanceError {
  return { status: 429, code: -1015, msg: `Too many new orders; current limit is ${w.limit} orders per ${w.intervalNum} ${w.interval}.` };
}
