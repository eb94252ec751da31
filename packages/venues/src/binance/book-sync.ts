import { compareDecimal, isZeroDecimal, OrderBook, type PriceLevel } from '@arb/domain';
import type { BinanceBookTickerEvent, BinanceDepthEvent, BinanceDepthSnapshot } from './parse';

/**
 * What the caller should do after feeding an event or snapshot:
 * - `buffered`: waiting for a snapshot, nothing to do;
 * - `need-snapshot`: fetch a REST snapshot (first event buffered, or the snapshot was older than the buffer);
 * - `applied` / `unchanged`: live; the book changed / did not change;
 * - `ignored`: an old event (`u` ≤ local id) or an unwanted snapshot;
 * - `gap`: `U` > local id + 1, the book was discarded (this event starts the new buffer): fetch a snapshot;
 * - `crossed`: the change left the book crossed, it was discarded: fetch a snapshot;
 * - `mismatch`: the bookTicker disagreed with the book at the same update id, it was discarded: fetch a snapshot.
 */
export type BinanceSyncResult = 'buffered' | 'need-snapshot' | 'applied' | 'unchanged' | 'ignored' | 'gap' | 'crossed' | 'mismatch';

/** Results after which the book is gone and a snapshot must be fetched. */
export function needsSnapshot(r: BinanceSyncResult): boolean {
  return r === 'need-snapshot' || r === 'gap' || r === 'crossed' || r === 'mismatch';
}

/**
 * Binance diff-depth book sync for one symbol, pure (no I/O): the documented algorithm —
 * buffer diffs, take a REST snapshot, drop diffs with `u` ≤ `lastUpdateId`, then apply in order with the rule
 * `u` < local → ignore, `U` > local + 1 → gap → start over. A snapshot older than the first buffered diff
 * (`lastUpdateId + 1 < U`) is refused (`need-snapshot`: fetch again). Also refuses a book a diff left crossed.
 */
export class BinanceBookSync {
  readonly book = new OrderBook();
  private live = false;
  private localId = -1;
  private lastTs: number | null = null;
  private buffer: BinanceDepthEvent[] = [];
  private asked = false;
  private ticker: BinanceBookTickerEvent | null = null;
  /** Buffered diffs applied on top of the last accepted snapshot. */
  appliedFromBuffer = 0;

  constructor(private readonly maxBuffered = 10_000) {}

  /** True while the book is in sync with the venue. */
  get synced(): boolean {
    return this.live;
  }

  /** Update id of the last applied change (-1 before the first sync). */
  get lastUpdateId(): number {
    return this.localId;
  }

  /** Venue event time of the last applied diff (null right after a snapshot). */
  get lastEventTs(): number | null {
    return this.lastTs;
  }

  get bufferedCount(): number {
    return this.buffer.length;
  }

  /** Forgets the book and starts buffering again (new connection, rejected frame, ...). */
  reset(): void {
    this.live = false;
    this.book.clear();
    this.buffer = [];
    this.asked = false;
    this.ticker = null;
    this.lastTs = null;
  }

  onDepth(ev: BinanceDepthEvent): BinanceSyncResult {
    if (this.live) return this.applyLive(ev);
    this.buffer.push(ev);
    if (this.buffer.length > this.maxBuffered) this.buffer.splice(0, this.buffer.length - this.maxBuffered);
    if (this.asked) return 'buffered';
    this.asked = true;
    return 'need-snapshot';
  }

  onSnapshot(snap: BinanceDepthSnapshot): BinanceSyncResult {
    if (this.live) return 'ignored';
    const first = this.buffer[0];
    if (first !== undefined && snap.lastUpdateId + 1 < first.firstId) {
      this.asked = true;
      return 'need-snapshot';
    }
    this.book.replace(snap.bids, snap.asks);
    this.localId = snap.lastUpdateId;
    this.lastTs = null;
    this.live = true;
    const buffered = this.buffer;
    this.buffer = [];
    this.asked = false;
    this.appliedFromBuffer = 0;
    if (this.book.isCrossed()) {
      this.reset();
      return 'crossed';
    }
    for (const ev of buffered) {
      const r = this.applyLive(ev);
      if (needsSnapshot(r)) return r;
      if (r !== 'ignored') this.appliedFromBuffer++;
    }
    return 'applied';
  }

  /**
   * Cross-checks the top of the book against a bookTicker when both are at the same update id.
   * Returns `mismatch` (book discarded), or `unchanged` when it agreed or could not be compared yet.
   */
  onBookTicker(t: BinanceBookTickerEvent): BinanceSyncResult {
    if (!this.live || t.updateId < this.localId) return 'unchanged';
    if (t.updateId > this.localId) {
      this.ticker = t; // compare when the diffs reach this id
      return 'unchanged';
    }
    return this.compareTicker(t);
  }

  private applyLive(ev: BinanceDepthEvent): BinanceSyncResult {
    if (ev.lastId <= this.localId) return 'ignored';
    if (ev.firstId > this.localId + 1) {
      this.reset();
      this.buffer.push(ev);
      this.asked = true;
      return 'gap';
    }
    const changedBids = this.book.apply('bid', ev.bids);
    const changedAsks = this.book.apply('ask', ev.asks);
    this.localId = ev.lastId;
    this.lastTs = ev.eventTs;
    if (this.book.isCrossed()) {
      this.reset();
      this.asked = true;
      return 'crossed';
    }
    const t = this.ticker;
    if (t !== null && t.updateId <= this.localId) {
      this.ticker = null;
      if (t.updateId === this.localId && this.compareTicker(t) === 'mismatch') return 'mismatch';
    }
    return changedBids || changedAsks ? 'applied' : 'unchanged';
  }

  private compareTicker(t: BinanceBookTickerEvent): BinanceSyncResult {
    if (sameLevel(this.book.bestBid(), t.bid) && sameLevel(this.book.bestAsk(), t.ask)) return 'unchanged';
    this.reset();
    this.asked = true;
    return 'mismatch';
  }
}

function sameLevel(a: PriceLevel | undefined, b: PriceLevel): boolean {
  if (a === undefined) return isZeroDecimal(b[1]); // an empty side is reported with zero quantity
  return compareDecimal(a[0], b[0]) === 0 && compareDecimal(a[1], b[1]) === 0;
}
