import type { FeedCounters, FeedState } from '@arb/contracts';
import type { OrderBook } from '@arb/domain';

/** The synced book of one symbol changed. `book` is the live book: read it (e.g. `top(n)`) synchronously. */
export interface BookEvent {
  readonly kind: 'book';
  readonly venue: string;
  /** Normalized symbol, `BTC-USDT`. */
  readonly symbol: string;
  readonly book: OrderBook;
  /** The venue's sequence / update id of the last change applied (Binance `u`, Coinbase `sequence_num`). */
  readonly venueSeq: number;
  /** Venue event time (epoch ms) when the venue gives one. */
  readonly venueTs: number | null;
  /** Local receive time of the frame that produced this state (`performance.timeOrigin + performance.now()`). */
  readonly recvTs: number;
}

/** A symbol's feed state changed (`symbol: null` = the whole connection). */
export interface StatusEvent {
  readonly kind: 'status';
  readonly venue: string;
  readonly symbol: string | null;
  readonly state: FeedState;
  readonly previous: FeedState;
  readonly reason: string;
}

/** A frame or response was rejected (already counted). For rate-limited logging by the consumer. */
export interface RejectedEvent {
  readonly kind: 'rejected';
  readonly venue: string;
  readonly symbol: string | null;
  readonly reason: string;
  /** The start of the offending text, for logs. */
  readonly sample: string;
}

/** Something went wrong that is not a bad frame: HTTP failure, venue error message, reconnect cause. */
export interface ErrorEvent {
  readonly kind: 'error';
  readonly venue: string;
  readonly symbol: string | null;
  readonly error: Error;
}

export type MarketDataEvent = BookEvent | StatusEvent | RejectedEvent | ErrorEvent;
export type MarketDataListener = (event: MarketDataEvent) => void;

export interface SymbolMarketDataStatus {
  readonly state: FeedState;
  /** Local receive time of the last book change or confirmation, null before the first sync. */
  readonly lastBookRecvTs: number | null;
  readonly venueSeq: number | null;
  /** Failed sync attempts in a row while the book is not in sync (snapshot crossed or stale, request failed). */
  readonly resyncFailures: number;
}

/**
 * What every venue's market-data client offers. One client = one venue, one set of symbols, one connection
 * (plus REST snapshots where the venue needs them). Listeners run synchronously on the hot path: keep them short.
 */
export interface VenueMarketData {
  readonly venue: string;
  /** Normalized symbols (`BTC-USDT`). */
  readonly symbols: readonly string[];
  /** Opens the connection and keeps it open (reconnecting) until `stop()`. Idempotent. */
  start(): void;
  /** Closes everything (sockets, timers, in-flight requests). Resolves when closed. */
  stop(): Promise<void>;
  /** Adds a listener; returns a function that removes it. */
  onEvent(listener: MarketDataListener): () => void;
  /** Current state per symbol. */
  status(): Readonly<Record<string, SymbolMarketDataStatus>>;
  /** Overall state: `live` only when every symbol is live. */
  state(): FeedState;
  /** Monotonic counters since construction. */
  counters(): Readonly<FeedCounters>;
  /** The symbol's book (synced or not); undefined for an unknown symbol. */
  book(symbol: string): OrderBook | undefined;
}

/** Overall feed state from per-symbol states: the worst one wins. */
export function overallState(states: Iterable<FeedState>): FeedState {
  const rank: Record<FeedState, number> = { live: 0, stale: 1, syncing: 2, resyncing: 3, connecting: 4, down: 5 };
  let worst: FeedState = 'live';
  let any = false;
  for (const s of states) {
    any = true;
    if (rank[s] > rank[worst]) worst = s;
  }
  return any ? worst : 'down';
}

export function emptyCounters(): FeedCounters {
  return { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 };
}
