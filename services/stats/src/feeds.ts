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

export interface FeedsView {
  venuesMonitored: number;
  venuesLive: number;
  pairsMonitored: number;
  pairsLive: number;
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
    let pairsMonitored = 0;
    let pairsLive = 0;
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
        pairsMonitored++;
        if (pairLive) pairsLive++;
      }
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
    return {
      venuesMonitored: venues.length,
      venuesLive: venues.filter((v) => v.live).length,
      pairsMonitored,
      pairsLive,
      venues,
    };
  }
}
