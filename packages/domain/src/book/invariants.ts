import { compareCanonical, isUDecimal, isZeroDecimal, normalizeDecimal } from './decimal';
import type { BookTop } from './order-book';

export type BookRule = 'decimal' | 'price-positive' | 'size-positive' | 'bids-descending' | 'asks-ascending' | 'crossed';

export interface BookViolation {
  readonly rule: BookRule;
  readonly side: 'bid' | 'ask' | 'book';
  /** Level index (best = 0), or -1 for whole-book rules. */
  readonly index: number;
  readonly message: string;
}

/** A book broke one of the invariants of `checkBookInvariants`. */
export class BookInvariantError extends Error {
  override readonly name = 'BookInvariantError';
  constructor(
    readonly violations: readonly BookViolation[],
    options?: { cause?: unknown },
  ) {
    super(
      `book invariant violated: ${violations
        .slice(0, 3)
        .map((v) => v.message)
        .join('; ')}${violations.length > 3 ? ` (+${violations.length - 3} more)` : ''}`,
      options,
    );
  }
}

type AnyLevel = readonly [unknown, unknown] | readonly unknown[];
/** Structurally anything with best-first `bids`/`asks` arrays of `[price, size]` (BookTop, BookSnapshot, ...). */
export interface BookLike {
  readonly bids: readonly AnyLevel[];
  readonly asks: readonly AnyLevel[];
}

const MAX_VIOLATIONS = 20;

function checkSide(levels: readonly AnyLevel[], side: 'bid' | 'ask', out: BookViolation[]): string | undefined {
  let prev: string | undefined;
  let best: string | undefined;
  for (let i = 0; i < levels.length && out.length < MAX_VIOLATIONS; i++) {
    const level = levels[i];
    const price = level?.[0];
    const size = level?.[1];
    if (level?.length !== 2 || typeof price !== 'string' || typeof size !== 'string' || !isUDecimal(price) || !isUDecimal(size)) {
      out.push({ rule: 'decimal', side, index: i, message: `${side}[${i}] is not [decimal, decimal]: ${preview(level)}` });
      prev = undefined;
      continue;
    }
    const norm = normalizeDecimal(price);
    if (norm === '0') out.push({ rule: 'price-positive', side, index: i, message: `${side}[${i}] price ${price} is not > 0` });
    if (isZeroDecimal(size)) out.push({ rule: 'size-positive', side, index: i, message: `${side}[${i}] size ${size} is not > 0` });
    if (prev !== undefined) {
      const c = compareCanonical(prev, norm);
      if (side === 'bid' && c <= 0) {
        out.push({ rule: 'bids-descending', side, index: i, message: `bid[${i}] ${price} is not below bid[${i - 1}]` });
      } else if (side === 'ask' && c >= 0) {
        out.push({ rule: 'asks-ascending', side, index: i, message: `ask[${i}] ${price} is not above ask[${i - 1}]` });
      }
    }
    if (i === 0) best = norm;
    prev = norm;
  }
  return best;
}

/**
 * THE shared book check (tests and run time, on every published book): each level is `[decimal, decimal]` with
 * price > 0 and size > 0, bids strictly descending, asks strictly ascending, best bid < best ask. Exact decimal
 * comparisons (no floats). Returns the violations (at most 20), empty when the book is sound.
 */
export function checkBookInvariants(book: BookLike | BookTop): BookViolation[] {
  const out: BookViolation[] = [];
  const bestBid = checkSide(book.bids, 'bid', out);
  const bestAsk = checkSide(book.asks, 'ask', out);
  if (bestBid !== undefined && bestAsk !== undefined && compareCanonical(bestBid, bestAsk) >= 0) {
    out.push({ rule: 'crossed', side: 'book', index: -1, message: `crossed: best bid ${bestBid} >= best ask ${bestAsk}` });
  }
  return out;
}

/** Throws BookInvariantError when `checkBookInvariants` finds anything. */
export function assertBookInvariants(book: BookLike | BookTop): void {
  const violations = checkBookInvariants(book);
  if (violations.length > 0) throw new BookInvariantError(violations);
}

function preview(value: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
