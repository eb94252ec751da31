import { BookHistory, type LevelsState } from './book-history';
import { ASK, BID, ChangeBuffer, type Side } from './change-buffer';

/**
 * The TRUE L2 book of one symbol on one venue, in integer ticks and lots. Every mutation goes
 * through begin() / set() / end(), which makes one change with the next update id, records it
 * in the step's ChangeBuffer (for publishers) and in the optional history (for /control/book).
 * A future matching engine mutates books through the same path, so its fills are published too.
 */
export class SimBook {
  /** Bid ticks, descending. */
  readonly bids: number[] = [];
  /** Ask ticks, ascending. */
  readonly asks: number[] = [];
  readonly bidLots = new Map<number, number>();
  readonly askLots = new Map<number, number>();
  /** Update id of the last committed change (0 = empty initial book). */
  updateId = 0;
  readonly buffer = new ChangeBuffer();
  readonly history: BookHistory | null;
  private changeStart = -1;

  constructor(historySize: number) {
    this.history = historySize > 0 ? new BookHistory(historySize) : null;
  }

  begin(): void {
    if (this.changeStart >= 0) throw new Error('SimBook.begin() inside an open change');
    this.changeStart = this.buffer.updCount;
  }

  /** Sets a level to an absolute size in lots (0 deletes). No-op when unchanged. */
  set(side: Side, tick: number, lots: number): void {
    if (this.changeStart < 0) throw new Error('SimBook.set() outside begin()/end()');
    const map = side === BID ? this.bidLots : this.askLots;
    const prev = map.get(tick) ?? 0;
    if (prev === lots) return;
    const arr = side === BID ? this.bids : this.asks;
    if (lots === 0) {
      map.delete(tick);
      arr.splice(indexOf(arr, tick, side), 1);
    } else {
      if (prev === 0) arr.splice(insertionPoint(arr, tick, side), 0, tick);
      map.set(tick, lots);
    }
    this.buffer.pushUpdate(side, tick, lots, prev);
  }

  /** Commits the open change; returns its update id, or 0 if it changed nothing. */
  end(): number {
    const start = this.changeStart;
    this.changeStart = -1;
    if (start < 0) throw new Error('SimBook.end() without begin()');
    if (this.buffer.updCount === start) return 0;
    const id = ++this.updateId;
    const bb = this.bids[0] ?? NaN;
    const ba = this.asks[0] ?? NaN;
    this.buffer.pushChange(id, start, bb, this.bidLots.get(bb) ?? 0, ba, this.askLots.get(ba) ?? 0);
    this.history?.record(this.buffer, this.buffer.changeCount - 1);
    return id;
  }

  lots(side: Side, tick: number): number {
    return (side === BID ? this.bidLots : this.askLots).get(tick) ?? 0;
  }

  /** Top n levels per side as [tick, lots]. */
  top(n: number): LevelsState {
    const bids: Array<[number, number]> = [];
    const asks: Array<[number, number]> = [];
    for (let i = 0; i < this.bids.length && i < n; i++) {
      const t = this.bids[i] as number;
      bids.push([t, this.bidLots.get(t) as number]);
    }
    for (let i = 0; i < this.asks.length && i < n; i++) {
      const t = this.asks[i] as number;
      asks.push([t, this.askLots.get(t) as number]);
    }
    return { bids, asks };
  }

  /** The book as it was right after update id `id` (null when not retained). */
  stateAt(id: number): LevelsState | null {
    if (id === this.updateId) return this.top(Infinity);
    return this.history?.stateAt(id, this.updateId, this.bidLots, this.askLots) ?? null;
  }
}

/** First index whose tick ranks after `tick` (bids: lower, asks: higher). */
function insertionPoint(arr: number[], tick: number, side: Side): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = arr[mid] as number;
    if (side === BID ? v > tick : v < tick) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function indexOf(arr: number[], tick: number, side: Side): number {
  const i = insertionPoint(arr, tick, side);
  if (arr[i] !== tick) throw new Error(`level ${tick} not in book`);
  return i;
}

export { ASK, BID };
