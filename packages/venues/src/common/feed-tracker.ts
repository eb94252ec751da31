import type { FeedCounters, FeedState } from '@arb/contracts';
import type { OrderBook } from '@arb/domain';
import { sampleOf } from './parse-error';
import { ResyncBackoff } from './resync-backoff';
import {
  emptyCounters,
  overallState,
  type MarketDataEvent,
  type MarketDataListener,
  type SymbolMarketDataStatus,
} from './venue-market-data';

interface SymbolSlot {
  state: FeedState;
  lastBookRecvTs: number | null;
  venueSeq: number | null;
}

/**
 * The bookkeeping every market-data client shares: listeners, per-symbol state with transition events, counters, and
 * the resync backoff of each symbol's book (keyed by symbol). Listener exceptions are caught and reported as `error`
 * events so one bad consumer can't break the feed.
 */
export class FeedTracker {
  readonly counters: FeedCounters = emptyCounters();
  private readonly slots = new Map<string, SymbolSlot>();
  private readonly listeners = new Set<MarketDataListener>();

  constructor(
    readonly venue: string,
    readonly symbols: readonly string[],
    /** When each symbol's book may be (re)synced: every client asks it before a snapshot or resubscribe. */
    readonly resync: ResyncBackoff = new ResyncBackoff(),
  ) {
    for (const s of symbols) this.slots.set(s, { state: 'down', lastBookRecvTs: null, venueSeq: null });
  }

  onEvent(listener: MarketDataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: MarketDataEvent): void {
    let failures: unknown[] | undefined;
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        (failures ??= []).push(e);
      }
    }
    if (failures === undefined || event.kind === 'error') return; // never loop on a failing error handler
    for (const e of failures) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.emit({ kind: 'error', venue: this.venue, symbol: null, error });
    }
  }

  stateOf(symbol: string): FeedState {
    return this.slots.get(symbol)?.state ?? 'down';
  }

  /** Moves one symbol to `state`; emits a status event when it changed. */
  setState(symbol: string, state: FeedState, reason: string): void {
    const slot = this.slots.get(symbol);
    if (slot === undefined || slot.state === state) return;
    const previous = slot.state;
    slot.state = state;
    this.emit({ kind: 'status', venue: this.venue, symbol, state, previous, reason });
  }

  setAll(state: FeedState, reason: string): void {
    for (const s of this.symbols) this.setState(s, state, reason);
  }

  /** Records and emits a changed, synced book; moves the symbol to `live`. */
  book(symbol: string, book: OrderBook, venueSeq: number, venueTs: number | null, recvTs: number): void {
    const slot = this.slots.get(symbol);
    if (slot === undefined) return;
    slot.lastBookRecvTs = recvTs;
    slot.venueSeq = venueSeq;
    this.resync.synced(symbol);
    if (slot.state !== 'live') this.setState(symbol, 'live', 'book synced');
    this.emit({ kind: 'book', venue: this.venue, symbol, book, venueSeq, venueTs, recvTs });
  }

  /** The book was confirmed (an update that changed nothing): it is fresh without a book event. */
  confirm(symbol: string, venueSeq: number, recvTs: number): void {
    const slot = this.slots.get(symbol);
    if (slot === undefined) return;
    slot.lastBookRecvTs = recvTs;
    slot.venueSeq = venueSeq;
  }

  rejected(symbol: string | null, reason: string, text: string): void {
    this.counters.rejected++;
    this.emit({ kind: 'rejected', venue: this.venue, symbol, reason, sample: sampleOf(text) });
  }

  error(symbol: string | null, error: Error): void {
    this.emit({ kind: 'error', venue: this.venue, symbol, error });
  }

  status(): Record<string, SymbolMarketDataStatus> {
    const out: Record<string, SymbolMarketDataStatus> = {};
    for (const [s, slot] of this.slots) {
      out[s] = { state: slot.state, lastBookRecvTs: slot.lastBookRecvTs, venueSeq: slot.venueSeq, resyncFailures: this.resync.failures(s) };
    }
    return out;
  }

  overall(): FeedState {
    const states: FeedState[] = [];
    for (const slot of this.slots.values()) states.push(slot.state);
    return overallState(states);
  }
}
