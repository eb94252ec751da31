import type { FeedState, FeedStatus } from '@arb/contracts';

export interface FeedHealthOptions {
  /** Venues that never sent a FeedStatus are not live. */
  required: boolean;
  /** A FeedStatus received longer ago than this no longer counts as live. */
  timeoutMs: number;
  /** Window over which gap/resync counters are differenced for `recentIncidents`. */
  incidentWindowMs?: number;
}

/** Incident counting of one status source (one feed-ingestor replica of a venue). */
interface SourceIncidents {
  windowStart: number;
  /** Incidents (gaps + resyncs + checksum failures + reconnects) of the previous window. */
  incidents: number;
  windowIncidents: number;
  prevTotal: number;
}

interface SymbolHealth {
  state: FeedState;
  /** Local receive time of the status that last listed the symbol. */
  recvTs: number;
}

interface VenueHealth {
  /** Latest status of the venue (any replica) and its local receive time. */
  status: FeedStatus;
  recvTs: number;
  symbols: Map<string, SymbolHealth>;
  sources: Map<string, SourceIncidents>;
}

const incidentTotal = (s: FeedStatus): number =>
  s.counters.gaps + s.counters.resyncs + s.counters.checksumFailures + s.counters.reconnects;

/**
 * A venue's statuses may come from several feed-ingestor replicas, each covering a shard of the symbols (feed.partition):
 * a status speaks only for the symbols it lists, and its counters are its own process's. The source of a status is
 * identified by its symbol set (a static shard), so two shards' counters are never differenced against each other.
 */
const sourceKey = (s: FeedStatus): string => Object.keys(s.symbols).sort().join(',');

/** Latest FeedStatus per venue and symbol: which (venue, symbol) feeds are live, and how healthy they were lately. */
export class FeedHealth {
  private readonly venues = new Map<string, VenueHealth>();
  private readonly windowMs: number;

  constructor(private readonly opts: FeedHealthOptions) {
    this.windowMs = opts.incidentWindowMs ?? 10_000;
  }

  update(status: FeedStatus, now: number): void {
    let v = this.venues.get(status.venue);
    if (v === undefined) {
      v = { status, recvTs: now, symbols: new Map(), sources: new Map() };
      this.venues.set(status.venue, v);
    }
    v.status = status;
    v.recvTs = now;
    for (const [symbol, s] of Object.entries(status.symbols)) v.symbols.set(symbol, { state: s.state, recvTs: now });
    this.countIncidents(v, status, now);
  }

  private countIncidents(v: VenueHealth, status: FeedStatus, now: number): void {
    const key = sourceKey(status);
    const total = incidentTotal(status);
    const prev = v.sources.get(key);
    if (prev === undefined) {
      v.sources.set(key, { windowStart: now, incidents: 0, windowIncidents: 0, prevTotal: total });
      return;
    }
    // Counters restart with the ingestor: a drop means a new process, not negative incidents.
    const delta = total >= prev.prevTotal ? total - prev.prevTotal : total;
    if (now - prev.windowStart > this.windowMs) {
      prev.incidents = prev.windowIncidents;
      prev.windowIncidents = 0;
      prev.windowStart = now;
    }
    prev.windowIncidents += delta;
    prev.prevTotal = total;
  }

  /**
   * True when the latest status listing this symbol (from whichever replica covers it) is fresh and says `live`. A
   * symbol no status ever listed follows the venue's overall state, only while the venue's latest status lists no
   * symbols at all (a whole-venue status).
   */
  isLive(venue: string, symbol: string, now: number): boolean {
    const v = this.venues.get(venue);
    if (v === undefined) return !this.opts.required;
    const sym = v.symbols.get(symbol);
    if (sym !== undefined) return now - sym.recvTs <= this.opts.timeoutMs && sym.state === 'live';
    if (now - v.recvTs > this.opts.timeoutMs) return false;
    return Object.keys(v.status.symbols).length === 0 && v.status.state === 'live';
  }

  /** Feed incidents (gaps, resyncs, checksum failures, reconnects) over roughly the last one to two windows, all replicas. */
  recentIncidents(venue: string): number {
    const v = this.venues.get(venue);
    if (v === undefined) return 0;
    let n = 0;
    for (const s of v.sources.values()) n += s.incidents + s.windowIncidents;
    return n;
  }

  /** Venue → state (of its latest status), for logs and /stats. */
  snapshot(now: number): Record<string, { state: string; ageMs: number }> {
    const out: Record<string, { state: string; ageMs: number }> = {};
    for (const [venue, h] of this.venues) out[venue] = { state: h.status.state, ageMs: Math.round(now - h.recvTs) };
    return out;
  }
}
