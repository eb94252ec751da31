import type { FeedState, FeedStatus } from '@arb/contracts';

export interface FeedMonitorOptions {
  /** A venue whose last FeedStatus is older than this is reported as stale (not live). */
  timeoutMs: number;
  /** Venues and symbols per venue remembered at most. */
  maxVenues: number;
  maxSymbolsPerVenue: number;
}

export interface PairView {
  symbol: string;
  state: FeedState;
  live: boolean;
  bookAgeMs: number | null;
}

export interface VenueView {
  venue: string;
  /** `live` when every replica reports live, else the state of the latest fresh replica that does not. */
  state: FeedState;
  /** Every replica reports live and is fresh. */
  live: boolean;
  /** No FeedStatus for longer than the timeout (from one of its replicas, when sharded). */
  stale: boolean;
  /** Local receive time of its latest FeedStatus (any replica). */
  lastStatusTs: number;
  /** Status sources (feed-ingestor replicas, one per shard) currently serving its symbols. */
  replicas: number;
  /** Local time since which the venue has been live without interruption (null while not live). */
  liveSinceTs: number | null;
  liveForMs: number | null;
  symbols: PairView[];
}

/** A symbol watched on at least two venues: an arbitrage pair. */
export interface ArbPairView {
  symbol: string;
  /** Venues that report the symbol (sorted). */
  venues: string[];
  /** Those where its book is live. */
  liveVenues: string[];
  /** Live on at least two venues: tradable. */
  live: boolean;
}

export interface FeedsView {
  venuesMonitored: number;
  venuesLive: number;
  /** Symbols watched on ≥ 2 venues (an arbitrage pair needs two venues). */
  pairsMonitored: number;
  /** Symbols live on ≥ 2 venues. */
  pairsLive: number;
  /** (venue, symbol) feeds reported, and those live. */
  venueSymbolsMonitored: number;
  venueSymbolsLive: number;
  /** Every venue reported is live and fresh, and so is every symbol it reports (at least one venue). */
  allLive: boolean;
  pairs: ArbPairView[];
  venues: VenueView[];
}

interface SymbolEntry {
  state: FeedState;
  bookAgeMs: number | null;
  /** Local receive time of the latest status that listed the symbol. */
  receivedTs: number;
  /** The source (replica) of that status. */
  source: string;
}

/** One status source of a venue: a feed-ingestor replica, identified by the symbols it lists (its shard). */
interface SourceEntry {
  state: FeedState;
  receivedTs: number;
}

interface VenueEntry {
  symbols: Map<string, SymbolEntry>;
  sources: Map<string, SourceEntry>;
  receivedTs: number;
  /** Source of the latest status. */
  latest: string;
  liveSinceTs: number | null;
}

/**
 * A venue's statuses may come from several feed-ingestor replicas, each covering a shard of its symbols
 * (feed.partition) and listing only those: a status speaks for the symbols it lists. Its source is identified by its
 * symbol set (a static shard), as in the detector's feed health.
 */
const sourceKey = (s: FeedStatus): string => Object.keys(s.symbols).sort().join(',');

/**
 * Venues and pairs monitored, from `md.status.<venue>` FeedStatus messages (by local receipt time): each symbol by the
 * latest status that lists it, with its own timeout, so the shards of one venue are all shown; a venue is live while
 * every replica that still serves one of its symbols reports `live` and is fresh.
 */
export class FeedMonitor {
  private readonly venues = new Map<string, VenueEntry>();

  constructor(private readonly o: FeedMonitorOptions) {}

  onStatus(s: FeedStatus, now: number): void {
    let e = this.venues.get(s.venue);
    if (e === undefined) {
      if (this.venues.size >= this.o.maxVenues) return;
      e = { symbols: new Map(), sources: new Map(), receivedTs: now, latest: '', liveSinceTs: null };
      this.venues.set(s.venue, e);
    }
    const wasLive = e.sources.size > 0 && this.venueLive(e, now);
    const source = sourceKey(s);
    for (const [symbol, p] of Object.entries(s.symbols)) {
      if (!e.symbols.has(symbol) && e.symbols.size >= this.o.maxSymbolsPerVenue) continue;
      e.symbols.set(symbol, { state: p.state, bookAgeMs: p.bookAgeMs, receivedTs: now, source });
    }
    e.sources.set(source, { state: s.state, receivedTs: now });
    e.receivedTs = now;
    e.latest = source;
    // A replica none of whose symbols it reports last (its shard taken over, or re-cut) no longer speaks for the venue.
    const serving = new Set([...e.symbols.values()].map((x) => x.source));
    for (const k of e.sources.keys()) if (k !== source && !serving.has(k)) e.sources.delete(k);
    const live = this.venueLive(e, now);
    e.liveSinceTs = !live ? null : wasLive ? (e.liveSinceTs ?? now) : now;
  }

  /** Every source fresh and live. */
  private venueLive(e: VenueEntry, now: number): boolean {
    for (const src of e.sources.values()) if (now - src.receivedTs > this.o.timeoutMs || src.state !== 'live') return false;
    return true;
  }

  /** The venue's state: `live` when every fresh source says so, else the state of the latest fresh source that does not. */
  private venueState(e: VenueEntry, now: number): FeedState {
    let notLive: SourceEntry | undefined;
    for (const src of e.sources.values()) {
      if (src.state !== 'live' && now - src.receivedTs <= this.o.timeoutMs && (notLive === undefined || src.receivedTs > notLive.receivedTs)) notLive = src;
    }
    return (notLive ?? (e.sources.get(e.latest) as SourceEntry)).state;
  }

  view(now: number): FeedsView {
    const venues: VenueView[] = [];
    let venueSymbolsMonitored = 0;
    let venueSymbolsLive = 0;
    let allLive = this.venues.size > 0;
    const bySymbol = new Map<string, ArbPairView>();
    for (const venue of [...this.venues.keys()].sort()) {
      const e = this.venues.get(venue) as VenueEntry;
      const stale = [...e.sources.values()].some((src) => now - src.receivedTs > this.o.timeoutMs);
      const live = !stale && this.venueLive(e, now);
      const symbols: PairView[] = [];
      for (const symbol of [...e.symbols.keys()].sort()) {
        const p = e.symbols.get(symbol) as SymbolEntry;
        const pairLive = now - p.receivedTs <= this.o.timeoutMs && p.state === 'live';
        symbols.push({ symbol, state: p.state, live: pairLive, bookAgeMs: p.bookAgeMs });
        venueSymbolsMonitored++;
        if (pairLive) venueSymbolsLive++;
        else allLive = false;
        let pair = bySymbol.get(symbol);
        if (pair === undefined) {
          pair = { symbol, venues: [], liveVenues: [], live: false };
          bySymbol.set(symbol, pair);
        }
        pair.venues.push(venue);
        if (pairLive) pair.liveVenues.push(venue);
      }
      if (!live) allLive = false;
      const liveSinceTs = live ? e.liveSinceTs : null;
      venues.push({
        venue,
        state: this.venueState(e, now),
        live,
        stale,
        lastStatusTs: e.receivedTs,
        replicas: e.sources.size,
        liveSinceTs,
        liveForMs: liveSinceTs === null ? null : Math.max(0, now - liveSinceTs),
        symbols,
      });
    }
    const pairs = [...bySymbol.values()].filter((p) => p.venues.length >= 2).sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
    for (const p of pairs) p.live = p.liveVenues.length >= 2;
    return {
      venuesMonitored: venues.length,
      venuesLive: venues.filter((v) => v.live).length,
      pairsMonitored: pairs.length,
      pairsLive: pairs.filter((p) => p.live).length,
      venueSymbolsMonitored,
      venueSymbolsLive,
      allLive,
      pairs,
      venues,
    };
  }
}
