import { compareCanonical, isZeroDecimal, normalizeDecimal } from './decimal';

/** One price level `[price, size]`, the venue's original decimal strings. Never mutated once handed out. */
export type PriceLevel = readonly [price: string, size: string];

/** Best-first levels of both sides: bids high → low, asks low → high. */
export interface BookTop {
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export type BookSide = 'bid' | 'ask';

interface Entry {
  /** Canonical price (exact identity of the level). */
  readonly norm: string;
  /** parseFloat of the price: orders levels fast; ties are broken exactly on `norm`. */
  readonly key: number;
  level: PriceLevel;
}

/**
 * One side, stored WORST → BEST so that the busy end (near the touch) is the array's tail and inserts/deletes there
 * shift few elements. `dir` is +1 for bids (better = higher price) and -1 for asks (better = lower price).
 */
class SideLevels {
  readonly entries: Entry[] = [];
  /** Smallest distance-from-best touched since the last `takeTop` (Infinity = untouched). */
  dirtyRank = Infinity;
  private cache: PriceLevel[] = [];
  private cacheN = -1;

  constructor(private readonly dir: 1 | -1) {}

  /** Index of `norm` if present, else `-(insertionPoint + 1)` (no allocation on the hot path). */
  private search(norm: string, key: number): number {
    const e = this.entries;
    let lo = 0;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = e[mid] as Entry;
      let c = m.key < key ? -1 : m.key > key ? 1 : compareCanonical(m.norm, norm);
      if (c === 0) return mid;
      c *= this.dir;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -lo - 1;
  }

  /** Sets the absolute size of a level; a zero size deletes it. Returns whether the book changed. */
  set(price: string, size: string): boolean {
    const norm = normalizeDecimal(price);
    const key = parseFloat(norm);
    const at = this.search(norm, key);
    const found = at >= 0;
    const index = found ? at : -at - 1;
    const len = this.entries.length;
    if (isZeroDecimal(size)) {
      if (!found) return false;
      this.entries.splice(index, 1);
      this.touch(len - 1 - index);
      return true;
    }
    if (found) {
      const entry = this.entries[index] as Entry;
      if (entry.level[1] === size && entry.level[0] === price) return false;
      entry.level = [price, size];
      this.touch(len - 1 - index);
      return true;
    }
    const entry: Entry = { norm, key, level: [price, size] };
    if (index === len) this.entries.push(entry);
    else this.entries.splice(index, 0, entry);
    this.touch(len - index);
    return true;
  }

  /** Replaces every level (zero sizes skipped, a repeated price keeps its last size). */
  replace(levels: readonly PriceLevel[]): void {
    const fresh: Entry[] = [];
    for (const [price, size] of levels) {
      const norm = normalizeDecimal(price);
      fresh.push({ norm, key: parseFloat(norm), level: [price, size] });
    }
    const dir = this.dir;
    fresh.sort((a, b) => dir * (a.key < b.key ? -1 : a.key > b.key ? 1 : compareCanonical(a.norm, b.norm)));
    const out = this.entries;
    out.length = 0;
    for (let i = 0; i < fresh.length; i++) {
      const cur = fresh[i] as Entry;
      const next = fresh[i + 1];
      if (next !== undefined && next.norm === cur.norm) continue; // stable sort: the later duplicate wins
      if (!isZeroDecimal(cur.level[1])) out.push(cur);
    }
    this.touch(0);
  }

  clear(): void {
    this.entries.length = 0;
    this.touch(0);
  }

  best(): PriceLevel | undefined {
    return this.entries[this.entries.length - 1]?.level;
  }

  bestEntry(): Entry | undefined {
    return this.entries[this.entries.length - 1];
  }

  /** Best-first top `n`; returns the previous array object when nothing within the top `n` changed. */
  takeTop(n: number): PriceLevel[] {
    if (n === this.cacheN && this.dirtyRank >= n) return this.cache;
    const e = this.entries;
    const count = Math.min(n, e.length);
    const out = new Array<PriceLevel>(count);
    for (let i = 0, j = e.length - 1; i < count; i++, j--) out[i] = (e[j] as Entry).level;
    this.cache = out;
    this.cacheN = n;
    this.dirtyRank = Infinity;
    return out;
  }

  private touch(rank: number): void {
    if (rank < this.dirtyRank) this.dirtyRank = rank;
  }
}

/**
 * A full L2 order book of one symbol on one venue. Pure, synchronous, allocation-light.
 *
 * Prices are kept as the venue's strings but identified and ordered by exact decimal value, so `"0.0024"` and
 * `"0.00240000"` are the same level. Inputs must be valid non-negative plain decimal strings (the venue parsers
 * check that); sizes are absolute and a zero size removes the level. The book does not refuse a crossed state:
 * callers check `isCrossed()` or `checkBookInvariants(top)` and resync.
 */
export class OrderBook {
  private readonly bids = new SideLevels(1);
  private readonly asks = new SideLevels(-1);
  private topCache: BookTop | null = null;

  /** Sets a bid level's absolute size (`"0"` deletes). Returns whether the book changed. */
  setBid(price: string, size: string): boolean {
    return this.bids.set(price, size);
  }

  /** Sets an ask level's absolute size (`"0"` deletes). Returns whether the book changed. */
  setAsk(price: string, size: string): boolean {
    return this.asks.set(price, size);
  }

  set(side: BookSide, price: string, size: string): boolean {
    return side === 'bid' ? this.bids.set(price, size) : this.asks.set(price, size);
  }

  /** Applies a batch of absolute level changes to one side. Returns whether anything changed. */
  apply(side: BookSide, levels: readonly PriceLevel[]): boolean {
    const s = side === 'bid' ? this.bids : this.asks;
    let changed = false;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i] as PriceLevel;
      if (s.set(l[0], l[1])) changed = true;
    }
    return changed;
  }

  /** Replaces the whole book from a snapshot (any level order; zero sizes skipped). */
  replace(bids: readonly PriceLevel[], asks: readonly PriceLevel[]): void {
    this.bids.replace(bids);
    this.asks.replace(asks);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  bestBid(): PriceLevel | undefined {
    return this.bids.best();
  }

  bestAsk(): PriceLevel | undefined {
    return this.asks.best();
  }

  get bidCount(): number {
    return this.bids.entries.length;
  }

  get askCount(): number {
    return this.asks.entries.length;
  }

  /** True when both sides are empty. */
  get isEmpty(): boolean {
    return this.bids.entries.length === 0 && this.asks.entries.length === 0;
  }

  /** True when the best bid is at or above the best ask (the book cannot be right). */
  isCrossed(): boolean {
    const b = this.bids.bestEntry();
    const a = this.asks.bestEntry();
    if (b === undefined || a === undefined) return false;
    if (b.key !== a.key) return b.key > a.key;
    return compareCanonical(b.norm, a.norm) >= 0;
  }

  /**
   * The best `n` levels of each side. The result and its level tuples are shared and must not be mutated; while
   * nothing within the top `n` changes, the same object is returned again (cheap to call on every event).
   */
  top(n: number): BookTop {
    const bids = this.bids;
    const asks = this.asks;
    const cached = this.topCache;
    const b = bids.takeTop(n);
    const a = asks.takeTop(n);
    if (cached !== null && cached.bids === b && cached.asks === a) return cached;
    const fresh: BookTop = { bids: b, asks: a };
    this.topCache = fresh;
    return fresh;
  }
}
