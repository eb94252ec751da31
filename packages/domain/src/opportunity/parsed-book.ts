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
  private readonly cache: Array<ExactLevel | undefined>;

  constructor(private readonly levels: readonly Level[]) {
    this.cache = new Array<ExactLevel | undefined>(levels.length);
  }

  get length(): number {
    return this.levels.length;
  }

  at(i: number): ExactLevel {
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
 * The per-update parsed form of one BookSnapshot, shared by every pair evaluated on that update: floats for the
 * pre-screen and confidence (never for sizing or pricing), exact levels parsed lazily for the depth walk.
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
  /** Total visible size (base) of the top-N levels per side, floats. */
  readonly bidDepth: number;
  readonly askDepth: number;
  /**
   * False when a level is not a positive finite price/size, a side is out of order, or the book is crossed:
   * such a book is never evaluated (the ingestor's invariant check should have stopped it already).
   */
  readonly valid: boolean;
  readonly bids: ExactSide;
  readonly asks: ExactSide;

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
    this.bidDepth = sideDepth(snapshot.bids, -1);
    this.askDepth = sideDepth(snapshot.asks, 1);
    this.valid = !Number.isNaN(this.bidDepth + this.askDepth) && !(this.bestBid >= this.bestAsk);
    this.bids = new LazyExactSide(snapshot.bids);
    this.asks = new LazyExactSide(snapshot.asks);
  }
}

/** Parses a snapshot once per update (call it in the detector's `prepare`). */
export function parseBook(snapshot: BookSnapshot): ParsedBook {
  return new ParsedBook(snapshot);
}
