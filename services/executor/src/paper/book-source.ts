import type { BookSnapshot } from '@arb/contracts';

/** Latest book per (venue, symbol), fed from `md.book.<venue>.<symbol>`; paper fills read it. */
export class BookSource {
  private readonly books = new Map<string, BookSnapshot>();

  update(book: BookSnapshot): void {
    const k = `${book.venue}|${book.symbol}`;
    const prev = this.books.get(k);
    if (prev === undefined || book.seq >= prev.seq || book.recvTs > prev.recvTs) this.books.set(k, book);
  }

  get(venue: string, symbol: string): BookSnapshot | undefined {
    return this.books.get(`${venue}|${symbol}`);
  }
}
