import type { BookSnapshot } from '@arb/contracts';

/** A stored book and whatever was derived from it once on arrival (e.g. parsed levels). */
export interface StoredBook<P> {
  readonly book: BookSnapshot;
  readonly parsed: P;
}

export type PutResult<P> = { accepted: true; entry: StoredBook<P> } | { accepted: false; reason: 'older' | 'duplicate' };

/**
 * The latest book per (venue, symbol). A book is refused when it is not newer than the stored one: same or lower
 * `seq` and not received later (a lower `seq` received later means the ingestor restarted, and is accepted).
 */
export class BookStore<P> {
  private readonly bySymbol = new Map<string, Map<string, StoredBook<P>>>();
  private count = 0;

  constructor(private readonly derive: (book: BookSnapshot) => P) {}

  put(book: BookSnapshot): PutResult<P> {
    let venues = this.bySymbol.get(book.symbol);
    if (venues === undefined) {
      venues = new Map();
      this.bySymbol.set(book.symbol, venues);
    }
    const prev = venues.get(book.venue);
    if (prev !== undefined && book.seq <= prev.book.seq && book.recvTs <= prev.book.recvTs) {
      return { accepted: false, reason: book.seq === prev.book.seq ? 'duplicate' : 'older' };
    }
    const entry: StoredBook<P> = { book, parsed: this.derive(book) };
    if (prev === undefined) this.count++;
    venues.set(book.venue, entry);
    return { accepted: true, entry };
  }

  get(venue: string, symbol: string): StoredBook<P> | undefined {
    return this.bySymbol.get(symbol)?.get(venue);
  }

  /** Every venue's latest book of a symbol (live view: do not mutate the store while iterating). */
  ofSymbol(symbol: string): ReadonlyMap<string, StoredBook<P>> {
    return this.bySymbol.get(symbol) ?? EMPTY;
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** Number of (venue, symbol) books held. */
  get size(): number {
    return this.count;
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();
