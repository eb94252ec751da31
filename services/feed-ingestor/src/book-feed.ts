import type { BookSnapshot, FeedCounters, FeedState, FeedStatus } from '@arb/contracts';
import { checkBookInvariants } from '@arb/domain';
import { overallState, type BookEvent, type MarketDataEvent, type VenueMarketData } from '@arb/venues';
import { Coalescer } from './coalescer';
import type { FeedMetrics } from './metrics';

export interface BookFeedOptions {
  readonly client: VenueMarketData;
  readonly depth: number;
  readonly staleAfterMs: number;
  readonly statusIntervalMs: number;
  readonly metrics: FeedMetrics;
  readonly publishBook: (snapshot: BookSnapshot) => void;
  readonly publishStatus: (status: FeedStatus) => void;
  /** Rate-limited logging of rejections and incidents: `(kind, fields, message)`. */
  readonly warn: (kind: string, fields: Record<string, unknown>, msg: string) => void;
  readonly now: () => number;
}

interface SymbolSlot {
  seq: number;
  stale: boolean;
}

const INCIDENTS: ReadonlyArray<keyof FeedCounters> = ['gaps', 'resyncs', 'reconnects', 'checksumFailures'];

/**
 * Turns one venue client's book events into published BookSnapshots and FeedStatus: coalesced to the latest book
 * per symbol, checked against the book invariants, never published while not live or stale.
 */
export class BookFeed {
  private readonly slots = new Map<string, SymbolSlot>();
  private readonly coalescer: Coalescer<string, BookEvent>;
  private readonly venue: string;
  private lastCounters: FeedCounters;
  private lastStatusTs = 0;
  private timer: NodeJS.Timeout | null = null;
  private detach: (() => void) | null = null;

  constructor(private readonly o: BookFeedOptions) {
    this.venue = o.client.venue;
    for (const s of o.client.symbols) this.slots.set(s, { seq: 0, stale: false });
    this.coalescer = new Coalescer((symbol, ev) => this.publish(symbol, ev));
    this.lastCounters = { ...o.client.counters() };
  }

  start(): void {
    this.detach = this.o.client.onEvent((ev) => this.onEvent(ev));
    const tickMs = Math.max(10, Math.min(this.o.statusIntervalMs, Math.floor(this.o.staleAfterMs / 4)));
    this.timer = setInterval(() => this.tick(), tickMs);
    this.o.client.start();
    this.sendStatus();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.detach?.();
    this.detach = null;
    await this.o.client.stop();
    this.sendStatus();
  }

  /** Effective per-symbol state: the client's, overridden by `stale` when the book stopped moving. */
  stateOf(symbol: string): FeedState {
    const state = this.o.client.status()[symbol]?.state ?? 'down';
    return state === 'live' && this.slots.get(symbol)?.stale === true ? 'stale' : state;
  }

  private onEvent(ev: MarketDataEvent): void {
    const m = this.o.metrics;
    switch (ev.kind) {
      case 'book': {
        m.updates.inc({ venue: this.venue, symbol: ev.symbol });
        if (ev.venueTs !== null) m.venueLatency.observe({ venue: this.venue }, ev.recvTs - ev.venueTs);
        const slot = this.slots.get(ev.symbol);
        if (slot?.stale === true) {
          slot.stale = false;
          this.sendStatus();
        }
        if (this.coalescer.has(ev.symbol)) m.coalesced.inc({ venue: this.venue });
        this.coalescer.offer(ev.symbol, ev);
        return;
      }
      case 'status':
        if (ev.symbol !== null && ev.state !== 'live') this.coalescer.discard(ev.symbol);
        if (ev.symbol === null && ev.state !== 'live') for (const s of this.slots.keys()) this.coalescer.discard(s);
        this.sendStatus();
        return;
      case 'rejected':
        m.rejected.inc({ venue: this.venue });
        this.o.warn(`rejected:${ev.reason.slice(0, 40)}`, { venue: this.venue, symbol: ev.symbol, sample: ev.sample }, `rejected venue frame: ${ev.reason}`);
        return;
      case 'error':
        this.o.warn(`error:${ev.error.name}`, { venue: this.venue, symbol: ev.symbol, err: ev.error }, ev.error.message);
        return;
    }
  }

  private publish(symbol: string, ev: BookEvent): void {
    const slot = this.slots.get(symbol);
    if (slot === undefined || this.stateOf(symbol) !== 'live') return;
    const top = ev.book.top(this.o.depth);
    const violations = checkBookInvariants(top);
    if (violations.length > 0) {
      const rule = violations[0]?.rule ?? 'unknown';
      this.o.metrics.invalidBooks.inc({ venue: this.venue, symbol, rule });
      this.o.warn(`invalid-book:${symbol}:${rule}`, { venue: this.venue, symbol, violations: violations.slice(0, 3) }, 'book failed invariants, not published');
      return;
    }
    slot.seq += 1;
    const pubTs = this.o.now();
    this.o.publishBook({
      v: 1,
      venue: this.venue,
      symbol,
      seq: slot.seq,
      venueSeq: ev.venueSeq,
      venueTs: ev.venueTs,
      recvTs: ev.recvTs,
      pubTs,
      bids: top.bids as BookSnapshot['bids'],
      asks: top.asks as BookSnapshot['asks'],
    });
    this.o.metrics.published.inc({ venue: this.venue, symbol });
    this.o.metrics.publishLatency.observe({ venue: this.venue }, pubTs - ev.recvTs);
  }

  private tick(): void {
    const now = this.o.now();
    const status = this.o.client.status();
    let changed = false;
    for (const [symbol, slot] of this.slots) {
      const s = status[symbol];
      const age = s?.lastBookRecvTs == null ? null : now - s.lastBookRecvTs;
      this.o.metrics.bookAge.set({ venue: this.venue, symbol }, age ?? -1);
      const stale = s?.state === 'live' && age !== null && age > this.o.staleAfterMs;
      if (stale !== slot.stale) {
        slot.stale = stale;
        changed = true;
        if (stale) {
          this.coalescer.discard(symbol);
          this.o.warn(`stale:${symbol}`, { venue: this.venue, symbol, ageMs: age }, 'book stale: no update within staleAfterMs');
        }
      }
      this.o.metrics.live.set({ venue: this.venue, symbol }, this.stateOf(symbol) === 'live' ? 1 : 0);
      this.o.metrics.resyncFailures.set({ venue: this.venue, symbol }, s?.resyncFailures ?? 0);
    }
    if (changed || now - this.lastStatusTs >= this.o.statusIntervalMs) this.sendStatus();
  }

  private sendStatus(): void {
    const now = this.o.now();
    const raw = this.o.client.status();
    const symbols: FeedStatus['symbols'] = {};
    const states: FeedState[] = [];
    for (const symbol of this.slots.keys()) {
      const state = this.stateOf(symbol);
      const s = raw[symbol];
      symbols[symbol] = {
        state,
        bookAgeMs: s?.lastBookRecvTs == null ? null : Math.max(0, now - s.lastBookRecvTs),
        venueSeq: s?.venueSeq ?? null,
      };
      states.push(state);
    }
    const counters = { ...this.o.client.counters() };
    for (const kind of INCIDENTS) {
      const delta = counters[kind] - this.lastCounters[kind];
      if (delta > 0) this.o.metrics.venueEvents.inc({ venue: this.venue, kind }, delta);
    }
    this.lastCounters = counters;
    this.lastStatusTs = now;
    this.o.publishStatus({ v: 1, venue: this.venue, state: overallState(states), ts: now, symbols, counters });
  }
}
