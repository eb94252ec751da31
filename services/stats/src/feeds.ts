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
  state: FeedState;
  /** Reported state is live and the status is fresh. */
  live: boolean;
  /** No FeedStatus for longer than the timeout. */
  stale: boolean;
  lastStatusTs: number;
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

interface VenueEntry {
  status: FeedStatus;
  receivedTs: number;
  liveSinceTs: number | null;
}

/** Venues and pairs monitored, from `md.status.<venue>` FeedStatus messages (latest per venue, by local receipt time). */
export class FeedMonitor {
  private readonly venues = new Map<string, VenueEntry>();

  constructor(private readonly o: FeedMonitorOptions) {}

  onStatus(s: FeedStatus, now: number): void {
    const prev = this.venues.get(s.venue);
    if (prev === undefined && this.venues.size >= this.o.maxVenues) return;
    const wasLive = prev !== undefined && prev.status.state === 'live' && now - prev.receivedTs <= this.o.timeoutMs;
    const liveSinceTs = s.state !== 'live' ? null : wasLive ? (prev.liveSinceTs ?? now) : now;
    this.venues.set(s.venue, { status: s, receivedTs: now, liveSinceTs });
  }

  view(now: number): FeedsView {
    const venues: VenueView[] = [];
    let venueSymbolsMonitored = 0;
    let venueSymbolsLive = 0;
    let allLive = this.venues.size > 0;
    const bySymbol = new Map<string, ArbPairView>();
    for (const venue of [...this.venues.keys()].sort()) {
      const e = this.venues.get(venue) as VenueEntry;
      const stale = now - e.receivedTs > this.o.timeoutMs;
      const live = !stale && e.status.state === 'live';
      const symbols: PairView[] = [];
      for (const symbol of Object.keys(e.status.symbols).sort().slice(0, this.o.maxSymbolsPerVenue)) {
        const p = e.status.symbols[symbol];
        if (p === undefined) continue;
        const pairLive = !stale && p.state === 'live';
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
        state: e.status.state,
        live,
        stale,
        lastStatusTs: e.receivedTs,
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
