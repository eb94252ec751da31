import type { BookSnapshot } from '@arb/contracts';

/** A stored book and whatever was derived from it once on arrival (e.g. parsed levels). */
export interface StoredBook<P> {
  readonly book: BookSnapshot;
  readonly parsed: P;
  /** Local clock (epoch ms) when the detector stored it. */
  readonly arrivedTs: number;
}

/** Why a book was not stored. */
export type DropReason = 'older' | 'duplicate' | 'future' | 'too-old' | 'seq-jump';

export type PutResult<P> = { accepted: true; entry: StoredBook<P> } | { accepted: false; reason: DropReason };

/** What the store believes of a book's own fields (detector.intake). */
export interface IntakeBounds {
  /** A book received (`recvTs`) or published (`pubTs`) more than this many ms in our future is refused. */
  readonly maxFutureMs: number;
  /** A book received more than this many ms ago is refused. */
  readonly maxAgeMs: number;
  /**
   * A `seq` more than this above the stored book's is refused, unless the next book continues it (a feed that really
   * jumped, e.g. after losing messages, is believed on its second book).
   */
  readonly maxSeqJump: number;
}

export const DEFAULT_INTAKE: IntakeBounds = { maxFutureMs: 500, maxAgeMs: 10_000, maxSeqJump: 1_000_000 };

interface Slot<P> {
  stored: StoredBook<P> | undefined;
  /** The last book refused for a seq jump: a next book continuing from it confirms the jump. */
  jump: { seq: number; recvTs: number } | undefined;
}

/**
 * The latest book per (venue, symbol). A book is refused when its times are implausible (received in our future
 * beyond `maxFutureMs`, or more than `maxAgeMs` ago) or its `seq` jumps implausibly, so that no single message can
 * pin a slot: every stored book's `recvTs` is at most `maxFutureMs` ahead of the clock, hence a real book received
 * after it is accepted within that time whatever its `seq`. Otherwise a book is refused when it is not newer than
 * the stored one: same or lower `seq` and not received later (a lower `seq` received later means the ingestor
 * restarted, and is accepted).
 */
export class BookStore<P> {
  private readonly bySymbol = new Map<string, Map<string, StoredBook<P>>>();
  private readonly slots = new Map<string, Map<string, Slot<P>>>();
  private count = 0;

  constructor(
    private readonly derive: (book: BookSnapshot) => P,
    private readonly bounds: IntakeBounds = DEFAULT_INTAKE,
  ) {}

  /** Stores `book` if it is believable and newer than the stored one; `now` is the local clock (epoch ms). */
  put(book: BookSnapshot, now: number): PutResult<P> {
    if (book.recvTs > now + this.bounds.maxFutureMs || book.pubTs > now + this.bounds.maxFutureMs) return { accepted: false, reason: 'future' };
    if (book.recvTs < now - this.bounds.maxAgeMs) return { accepted: false, reason: 'too-old' };
    const slot = this.slotOf(book);
    const prev = slot.stored;
    if (prev !== undefined) {
      if (book.seq <= prev.book.seq && book.recvTs <= prev.book.recvTs) {
        return { accepted: false, reason: book.seq === prev.book.seq ? 'duplicate' : 'older' };
      }
      if (book.seq > prev.book.seq + this.bounds.maxSeqJump && !this.continuesJump(slot, book)) {
        slot.jump = { seq: book.seq, recvTs: book.recvTs };
        return { accepted: false, reason: 'seq-jump' };
      }
    }
    slot.jump = undefined;
    const entry: StoredBook<P> = { book, parsed: this.derive(book), arrivedTs: now };
    if (prev === undefined) {
      this.count++;
      let venues = this.bySymbol.get(book.symbol);
      if (venues === undefined) {
        venues = new Map();
        this.bySymbol.set(book.symbol, venues);
      }
      venues.set(book.venue, entry);
    } else {
      (this.bySymbol.get(book.symbol) as Map<string, StoredBook<P>>).set(book.venue, entry);
    }
    slot.stored = entry;
    return { accepted: true, entry };
  }

  get(venue: string, symbol: string): StoredBook<P> | undefined {
    return this.bySymbol.get(symbol)?.get(venue);
  }

  /** Every venue's latest book of a symbol (live view: do not mutate the store while iterating). */
  ofSymbol(symbol: string): ReadonlyMap<string, StoredBook<P>> {
    return this.bySymbol.get(symbol) ?? EMPTY;
  }

  /** Drops every venue's book of `symbol` (no longer evaluated here); returns how many were held. */
  forget(symbol: string): number {
    const n = this.bySymbol.get(symbol)?.size ?? 0;
    this.bySymbol.delete(symbol);
    this.slots.delete(symbol);
    this.count -= n;
    return n;
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** Number of (venue, symbol) books held. */
  get size(): number {
    return this.count;
  }

  private slotOf(book: BookSnapshot): Slot<P> {
    let venues = this.slots.get(book.symbol);
    if (venues === undefined) {
      venues = new Map();
      this.slots.set(book.symbol, venues);
    }
    let slot = venues.get(book.venue);
    if (slot === undefined) {
      slot = { stored: undefined, jump: undefined };
      venues.set(book.venue, slot);
    }
    return slot;
  }

  /** The book follows the last one refused for a jump: the feed really jumped. */
  private continuesJump(slot: Slot<P>, book: BookSnapshot): boolean {
    const j = slot.jump;
    return j !== undefined && book.seq > j.seq && book.seq - j.seq <= this.bounds.maxSeqJump && book.recvTs >= j.recvTs;
  }
}

const EMPTY: ReadonlyMap<string, never> = new Map<string, never>();
