import { ASK, BID, type ChangeBuffer } from './change-buffer';

export interface LevelsState {
  /** [tick, lots], bids descending, asks ascending. */
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
}

/**
 * Bounded undo log of one book: the last `size` changes with each level's previous size, so the
 * book as it was after any retained update id can be rebuilt from the current one.
 */
export class BookHistory {
  private readonly chId: Float64Array;
  private readonly chStart: Float64Array;
  private readonly chCount: Uint32Array;
  private chTotal = 0;
  private readonly updSide: Uint8Array;
  private readonly updTick: Float64Array;
  private readonly updPrev: Float64Array;
  private readonly updCap: number;
  private updTotal = 0;

  constructor(readonly size: number) {
    this.chId = new Float64Array(size);
    this.chStart = new Float64Array(size);
    this.chCount = new Uint32Array(size);
    this.updCap = Math.max(1024, size * 8);
    this.updSide = new Uint8Array(this.updCap);
    this.updTick = new Float64Array(this.updCap);
    this.updPrev = new Float64Array(this.updCap);
  }

  /** Records change `c` of the buffer (called once per committed change). */
  record(buf: ChangeBuffer, c: number): void {
    const slot = this.chTotal % this.size;
    this.chId[slot] = buf.chId[c] as number;
    this.chStart[slot] = this.updTotal;
    const start = buf.chStart[c] as number;
    const count = buf.chCount[c] as number;
    this.chCount[slot] = count;
    this.chTotal++;
    for (let i = start; i < start + count; i++) {
      const u = this.updTotal % this.updCap;
      this.updSide[u] = buf.updSide[i] as number;
      this.updTick[u] = buf.updTick[i] as number;
      this.updPrev[u] = buf.updPrev[i] as number;
      this.updTotal++;
    }
  }

  /**
   * The book after update id `id`, given the current maps and current id; null when `id` is
   * newer than the book or older than what is retained.
   */
  stateAt(id: number, currentId: number, bidLots: Map<number, number>, askLots: Map<number, number>): LevelsState | null {
    if (!Number.isInteger(id) || id > currentId || id < 0) return null;
    const bids = new Map(bidLots);
    const asks = new Map(askLots);
    let n = this.chTotal - 1;
    let expected = currentId;
    while (expected > id) {
      if (n < 0 || n < this.chTotal - this.size) return null;
      const slot = n % this.size;
      if (this.chId[slot] !== expected) return null;
      const start = this.chStart[slot] as number;
      const count = this.chCount[slot] as number;
      if (start < this.updTotal - this.updCap) return null;
      for (let i = start + count - 1; i >= start; i--) {
        const u = i % this.updCap;
        const map = this.updSide[u] === BID ? bids : asks;
        const tick = this.updTick[u] as number;
        const prev = this.updPrev[u] as number;
        if (prev === 0) map.delete(tick);
        else map.set(tick, prev);
      }
      expected--;
      n--;
    }
    return {
      bids: [...bids.entries()].sort((a, b) => b[0] - a[0]),
      asks: [...asks.entries()].sort((a, b) => a[0] - b[0]),
    };
  }
}

export { ASK, BID };
