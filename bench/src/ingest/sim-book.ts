/**
 * One side of a generated book: integer tick prices kept sorted with the BEST price LAST, so the frequent changes
 * near the top shift few elements. Sizes are decimal strings (what goes on the wire).
 */
export class SimSide {
  /** Sorted: bids ascending, asks descending (best at the end). */
  readonly ticks: number[] = [];
  readonly sizes = new Map<number, string>();

  constructor(readonly isBid: boolean) {}

  get length(): number {
    return this.ticks.length;
  }

  /** Best price, or undefined when empty. */
  best(): number | undefined {
    return this.ticks[this.ticks.length - 1];
  }

  /** Price `k` levels away from the best (0 = best). */
  atDepth(k: number): number | undefined {
    return this.ticks[this.ticks.length - 1 - k];
  }

  has(tick: number): boolean {
    return this.sizes.has(tick);
  }

  set(tick: number, size: string): void {
    if (!this.sizes.has(tick)) this.ticks.splice(this.insertIndex(tick), 0, tick);
    this.sizes.set(tick, size);
  }

  remove(tick: number): void {
    if (!this.sizes.delete(tick)) return;
    const i = this.insertIndex(tick) - 1;
    if (this.ticks[i] === tick) this.ticks.splice(i, 1);
  }

  /** The best `n` levels, best first. */
  top(n: number): Array<[number, string]> {
    const out: Array<[number, string]> = [];
    for (let i = this.ticks.length - 1; i >= 0 && out.length < n; i--) {
      const t = this.ticks[i] as number;
      out.push([t, this.sizes.get(t) as string]);
    }
    return out;
  }

  /** Index after every element that sorts at or before `tick` (ascending for bids, descending for asks). */
  private insertIndex(tick: number): number {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ticks[mid] as number;
      if (this.isBid ? v <= tick : v >= tick) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
