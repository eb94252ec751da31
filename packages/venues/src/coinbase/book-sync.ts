import { OrderBook } from '@arb/domain';
import type { CoinbaseL2Event } from './parse';

/** Connection sequence check: `first` frame, `ok` (+1), `gap` (jump: every book discarded), `duplicate` (≤ last: drop). */
export type CoinbaseSeqResult = 'first' | 'ok' | 'gap' | 'duplicate';

/**
 * Per product event outcome: `applied` / `unchanged` (live book changed or not), `ignored` (unknown product, or an
 * update while waiting for a snapshot), `crossed` (the book was left crossed and discarded: resubscribe it).
 */
export type CoinbaseSyncResult = 'applied' | 'unchanged' | 'ignored' | 'crossed';

interface ProductBook {
  readonly book: OrderBook;
  live: boolean;
  seq: number;
  ts: number | null;
}

/**
 * Coinbase `level2` book sync for every product on ONE connection, pure (no I/O). `sequence_num` counts every frame
 * on the connection (all channels), so a jump means some frame was lost and no book can be trusted: the caller
 * resubscribes `level2`, and each product waits for its fresh snapshot (updates meanwhile are ignored).
 * A snapshot replaces the book.
 */
export class CoinbaseBookSync {
  private lastSeq = -1;
  /** The last sequence before the latest jump (-1 once the sequence went on from the jump). */
  private beforeJump = -1;
  private readonly products = new Map<string, ProductBook>();

  constructor(productIds: readonly string[]) {
    for (const p of productIds) this.products.set(p, { book: new OrderBook(), live: false, seq: -1, ts: null });
  }

  /** A new connection: sequence numbers start over, every book waits for a snapshot. */
  onConnectionOpen(): void {
    this.lastSeq = -1;
    this.beforeJump = -1;
    this.invalidateAll();
  }

  /** Feed every frame's `sequence_num` (all channels) BEFORE handling its content. */
  onSeq(seq: number): CoinbaseSeqResult {
    if (this.lastSeq < 0) {
      this.lastSeq = seq;
      return 'first';
    }
    if (seq === this.lastSeq + 1) {
      this.lastSeq = seq;
      this.beforeJump = -1;
      return 'ok';
    }
    if (seq <= this.lastSeq) {
      // Right after a jump, the old sequence carrying on means the jump's number was bogus (a corrupt frame with a
      // wild sequence_num) or frames came out of order: follow the real sequence again, or every later frame would
      // look like a duplicate until the connection is dropped. Either way no book can be trusted: another gap.
      if (this.beforeJump >= 0 && seq > this.beforeJump) {
        this.lastSeq = seq;
        this.beforeJump = -1;
        this.invalidateAll();
        return 'gap';
      }
      return 'duplicate';
    }
    this.beforeJump = this.lastSeq;
    this.lastSeq = seq;
    this.invalidateAll();
    return 'gap';
  }

  get lastSequence(): number {
    return this.lastSeq;
  }

  /** One product's snapshot or update from an `l2_data` frame with sequence `seq` and time `ts`. */
  onL2Event(ev: CoinbaseL2Event, seq: number, ts: number | null): CoinbaseSyncResult {
    const p = this.products.get(ev.productId);
    if (p === undefined) return 'ignored';
    let changed: boolean;
    if (ev.type === 'snapshot') {
      p.book.replace(ev.bids, ev.asks);
      p.live = true;
      changed = true;
    } else {
      if (!p.live) return 'ignored';
      const b = p.book.apply('bid', ev.bids);
      const a = p.book.apply('ask', ev.asks);
      changed = b || a;
    }
    if (p.book.isCrossed()) {
      this.invalidate(ev.productId);
      return 'crossed';
    }
    p.seq = seq;
    p.ts = ts;
    return changed ? 'applied' : 'unchanged';
  }

  /** Discards one product's book; it waits for a snapshot. */
  invalidate(productId: string): void {
    const p = this.products.get(productId);
    if (p === undefined) return;
    p.live = false;
    p.book.clear();
  }

  invalidateAll(): void {
    for (const id of this.products.keys()) this.invalidate(id);
  }

  isLive(productId: string): boolean {
    return this.products.get(productId)?.live ?? false;
  }

  book(productId: string): OrderBook | undefined {
    return this.products.get(productId)?.book;
  }

  /** `sequence_num` of the frame that last changed or confirmed the product's book (-1 before any). */
  seqOf(productId: string): number {
    return this.products.get(productId)?.seq ?? -1;
  }

  tsOf(productId: string): number | null {
    return this.products.get(productId)?.ts ?? null;
  }
}
