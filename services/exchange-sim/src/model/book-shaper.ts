import type { Instrument } from './instrument';
import type { Rng } from './rng';
import { ASK, BID, type Side } from './change-buffer';
import type { SimBook } from './sim-book';

export interface ShapeProfile {
  readonly depthLevels: number;
  readonly maxGapTicks: number;
  readonly sizeGrowth: number;
  readonly spreadBps: number;
}

/**
 * Turns a venue's (float) mid into level updates on its book: re-quotes the top when the mid
 * moves (removing crossed/stale levels first, so no intermediate state is ever crossed), keeps
 * `depthLevels` per side, and churns sizes. Every call makes at most one change.
 */
export class BookShaper {
  private readonly touched: number[] = [];

  constructor(
    readonly book: SimBook,
    readonly inst: Instrument,
    readonly profile: ShapeProfile,
    private readonly rng: Rng,
  ) {}

  /** Quotes around `mid`; returns the number of level updates made. */
  recenter(mid: number): number {
    const { book, profile } = this;
    const tick = this.inst.tickValue;
    const half = (mid * profile.spreadBps) / 20000;
    const bb = Math.max(1, Math.floor((mid - half) / tick + 1e-9));
    let ba = Math.ceil((mid + half) / tick - 1e-9);
    if (ba <= bb) ba = bb + 1;
    const full = book.bids.length >= profile.depthLevels && book.asks.length >= profile.depthLevels;
    if (book.bids[0] === bb && book.asks[0] === ba && full) return 0;
    const before = book.buffer.updCount;
    book.begin();
    while (book.asks.length > 0 && (book.asks[0] as number) < ba) book.set(ASK, book.asks[0] as number, 0);
    while (book.bids.length > 0 && (book.bids[0] as number) > bb) book.set(BID, book.bids[0] as number, 0);
    if (book.lots(BID, bb) === 0) book.set(BID, bb, this.size(0));
    if (book.lots(ASK, ba) === 0) book.set(ASK, ba, this.size(0));
    this.fillBelowTop(BID);
    this.fillBelowTop(ASK);
    this.fillAndTrim(BID);
    this.fillAndTrim(ASK);
    book.end();
    return book.buffer.updCount - before;
  }

  /** One change re-sizing (sometimes moving) up to `k` levels; returns level updates made. */
  churn(k: number): number {
    const { book } = this;
    const before = book.buffer.updCount;
    this.touched.length = 0;
    book.begin();
    for (let j = 0; j < k; j++) {
      const side: Side = this.rng.next() < 0.5 ? BID : ASK;
      const arr = side === BID ? book.bids : book.asks;
      if (arr.length === 0) continue;
      const r = this.rng.next();
      const idx = Math.floor(r * r * arr.length);
      const tick = arr[idx] as number;
      if (this.wasTouched(side, tick)) continue;
      if (this.rng.next() < 0.85 || idx === 0 || arr.length < 3) {
        const cur = book.lots(side, tick);
        let lots = this.size(idx);
        if (lots === cur) lots = cur + 1;
        book.set(side, tick, lots);
        this.touch(side, tick);
      } else {
        const moved = this.gapTick(side, arr);
        if (moved === null || this.wasTouched(side, moved)) continue;
        book.set(side, tick, 0);
        book.set(side, moved, this.size(idx));
        this.touch(side, tick);
        this.touch(side, moved);
      }
    }
    book.end();
    return book.buffer.updCount - before;
  }

  private size(levelIndex: number): number {
    const base = this.inst.levelLots * (1 + this.profile.sizeGrowth * levelIndex);
    return Math.max(1, Math.round(base * (0.25 + 1.5 * this.rng.next())));
  }

  private gap(): number {
    return 1 + this.rng.int(this.profile.maxGapTicks);
  }

  /** Adds levels just behind the best until the next existing level (after a move). */
  private fillBelowTop(side: Side): void {
    const arr = side === BID ? this.book.bids : this.book.asks;
    const dir = side === BID ? -1 : 1;
    let i = 1;
    let last = arr[0] as number;
    while (arr.length < this.profile.depthLevels) {
      const t = last + dir * this.gap();
      const next = arr[i];
      if (t < 1 || (next !== undefined && (side === BID ? t <= next : t >= next))) break;
      this.book.set(side, t, this.size(i));
      last = t;
      i++;
    }
  }

  private fillAndTrim(side: Side): void {
    const arr = side === BID ? this.book.bids : this.book.asks;
    const dir = side === BID ? -1 : 1;
    while (arr.length < this.profile.depthLevels) {
      const t = (arr[arr.length - 1] as number) + dir * this.gap();
      if (t < 1) break;
      this.book.set(side, t, this.size(arr.length));
    }
    while (arr.length > this.profile.depthLevels) this.book.set(side, arr[arr.length - 1] as number, 0);
  }

  /** A free tick strictly inside the book (between two levels), or beyond its far end. */
  private gapTick(side: Side, arr: number[]): number | null {
    const dir = side === BID ? -1 : 1;
    const start = 1 + this.rng.int(arr.length - 1);
    for (let n = 0; n < arr.length - 1; n++) {
      const p = 1 + ((start - 1 + n) % (arr.length - 1));
      const a = arr[p - 1] as number;
      const b = arr[p] as number;
      if (Math.abs(b - a) > 1) return a + dir * (1 + this.rng.int(Math.abs(b - a) - 1));
    }
    const t = (arr[arr.length - 1] as number) + dir * this.gap();
    return t >= 1 ? t : null;
  }

  private wasTouched(side: Side, tick: number): boolean {
    const key = side === BID ? tick : -tick - 1;
    return this.touched.includes(key);
  }

  private touch(side: Side, tick: number): void {
    this.touched.push(side === BID ? tick : -tick - 1);
  }
}
