import Big from 'big.js';
import type { BookSnapshot, Level } from '@arb/contracts';

/** One exact price level. */
export interface ExactLevel {
  readonly price: Big;
  readonly size: Big;
}

/** One side of a book, best level first, parsed to big.js on demand (each level at most once). */
export interface ExactSide {
  readonly length: number;
  at(i: number): ExactLevel;
}

/** Parses levels lazily: the depth walk usually touches only the first few. */
export class LazyExactSide implements ExactSide {
  private cache: Array<ExactLevel | undefined> | undefined;

  constructor(private readonly levels: readonly Level[]) {}

  get length(): number {
    return this.levels.length;
  }

  at(i: number): ExactLevel {
    this.cache ??= new Array<ExactLevel | undefined>(this.levels.length);
    let l = this.cache[i];
    if (l === undefined) {
      const raw = this.levels[i];
      if (raw === undefined) throw new RangeError(`level ${i} out of range (${this.levels.length})`);
      l = { price: new Big(raw[0]), size: new Big(raw[1]) };
      this.cache[i] = l;
    }
    return l;
  }
}

/** Exact side from `[price, size]` strings (tests, tools). */
export function exactSide(levels: readonly Level[]): ExactSide {
  return new LazyExactSide(levels);
}

/**
 * Total size of a side as a float, or NaN when a level is not a positive finite price/size or the side is out of
 * order (asks must not descend, bids must not ascend): the exact walk relies on that order for optimality.
 */
function sideDepth(levels: readonly Level[], dir: 1 | -1): number {
  let s = 0;
  let prev = dir === 1 ? 0 : Infinity;
  for (const l of levels) {
    const p = Number(l[0]);
    const q = Number(l[1]);
    if (!(p > 0 && q > 0 && p < Infinity && q < Infinity) || (dir === 1 ? p < prev : p > prev)) return NaN;
    prev = p;
    s += q;
  }
  return s;
}

/**
 * The per-update parsed form of one BookSnapshot, shared by every pair evaluated on that update. Construction only
 * reads the best levels (floats, for the pre-screen); the full-depth float pass (visible depth for confidence, level
 * order/positivity check for the exact walk) and the exact big.js levels are computed on first use and cached.
 * Floats never size or price anything.
 */
export class ParsedBook {
  readonly venue: string;
  readonly symbol: string;
  readonly recvTs: number;
  readonly seq: number;
  readonly venueSeq: number;
  /** Best bid / ask as floats (NaN when the side is empty). */
  readonly bestBid: number;
  readonly bestAsk: number;
  /** Mid as a float (NaN unless both sides exist). */
  readonly mid: number;
  /** False when a best price is not a positive finite number or the book is crossed: never screened in. */
  readonly topValid: boolean;
  readonly bids: ExactSide;
  readonly asks: ExactSide;
  private bidDepthF: number | undefined;
  private askDepthF: number | undefined;

  constructor(readonly snapshot: BookSnapshot) {
    this.venue = snapshot.venue;
    this.symbol = snapshot.symbol;
    this.recvTs = snapshot.recvTs;
    this.seq = snapshot.seq;
    this.venueSeq = snapshot.venueSeq;
    const b = snapshot.bids[0];
    const a = snapshot.asks[0];
    this.bestBid = b === undefined ? NaN : Number(b[0]);
    this.bestAsk = a === undefined ? NaN : Number(a[0]);
    this.mid = (this.bestBid + this.bestAsk) / 2;
    const ok = (x: number): boolean => x > 0 && x < Infinity;
    this.topValid = (b === undefined || ok(this.bestBid)) && (a === undefined || ok(this.bestAsk)) && !(this.bestBid >= this.bestAsk);
    this.bids = new LazyExactSide(snapshot.bids);
    this.asks = new LazyExactSide(snapshot.asks);
  }

  /** Total visible bid size (base, float); NaN when a level is malformed or out of order. */
  get bidDepth(): number {
    return (this.bidDepthF ??= sideDepth(this.snapshot.bids, -1));
  }

  /** Total visible ask size (base, float); NaN when a level is malformed or out of order. */
  get askDepth(): number {
    return (this.askDepthF ??= sideDepth(this.snapshot.asks, 1));
  }

  /**
   * Every level a positive finite price and size, asks ascending, bids descending, not crossed. Costs one pass over
   * the levels the first time (the exact walk checks it before relying on the order).
   */
  get valid(): boolean {
    return this.topValid && !Number.isNaN(this.bidDepth + this.askDepth);
  }
}

/** Parses a snapshot once per update (call it in the detector's `prepare`). */
export function parseBook(snapshot: BookSnapshot): ParsedBook {
  return new ParsedBook(snapshot);
}
