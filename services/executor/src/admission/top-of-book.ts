import { parseBookSubject, validators } from '@arb/contracts';

/** Best bid and ask of one venue's book (decimal strings; null when that side is empty) and its age. */
export interface Touch {
  bid: string | null;
  ask: string | null;
  /** Local time (ms) since the snapshot arrived here. */
  ageMs: number;
}

interface Latest {
  data: Uint8Array;
  at: number;
  /** Decoded on first use; null = the message failed validation. */
  touch?: { bid: string | null; ask: string | null } | null;
}

/**
 * The latest `md.book.<venue>.<symbol>` snapshot per venue and symbol, as received (a copy of the bytes and the local
 * receive time): books arrive far more often than opportunities, so a snapshot is decoded and validated only when an
 * opportunity asks for it (once per snapshot). The reference prices an opportunity's limits are checked against.
 */
export class TopOfBook {
  private readonly latest = new Map<string, Latest>();

  constructor(
    private readonly now: () => number,
    /** A snapshot that fails validation (counted by the caller). */
    private readonly onInvalid: (err: unknown) => void = () => undefined,
  ) {}

  /** One message from `subjects.books()`. */
  onMessage(subject: string, data: Uint8Array): void {
    const key = keyOf(subject);
    if (key === null) return;
    this.latest.set(key, { data: data.slice(), at: this.now() });
  }

  /** The touch of `venue`'s `symbol` book, or null when none arrived or the latest is invalid. */
  touch(venue: string, symbol: string): Touch | null {
    const l = this.latest.get(`${venue}|${symbol}`);
    if (l === undefined) return null;
    if (l.touch === undefined) l.touch = this.decode(l.data, venue, symbol);
    const t = l.touch;
    if (t === null || t === undefined) return null;
    return { bid: t.bid, ask: t.ask, ageMs: this.now() - l.at };
  }

  private decode(data: Uint8Array, venue: string, symbol: string): Latest['touch'] {
    try {
      const b = validators.BookSnapshot.decode(data);
      if (b.venue !== venue || b.symbol !== symbol) throw new Error(`book of ${b.venue} ${b.symbol} published on md.book.${venue}.${symbol}`);
      return { bid: b.bids[0]?.[0] ?? null, ask: b.asks[0]?.[0] ?? null };
    } catch (err) {
      this.onInvalid(err);
      return null;
    }
  }
}

function keyOf(subject: string): string | null {
  const p = parseBookSubject(subject);
  return p === null ? null : `${p.venue}|${p.symbol}`;
}
