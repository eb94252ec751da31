import type { FeedStatus } from '@arb/contracts';

export interface FeedHealthOptions {
  /** Venues that never sent a FeedStatus are not live. */
  required: boolean;
  /** A FeedStatus received longer ago than this no longer counts as live. */
  timeoutMs: number;
  /** Window over which gap/resync counters are differenced for `recentIncidents`. */
  incidentWindowMs?: number;
}

interface VenueHealth {
  status: FeedStatus;
  /** Local receive time of `status`. */
  recvTs: number;
  /** Incidents (gaps + resyncs + checksum failures + reconnects) seen in the current window. */
  incidents: number;
  windowStart: number;
  windowIncidents: number;
  prevTotal: number;
}

const incidentTotal = (s: FeedStatus): number =>
  s.counters.gaps + s.counters.resyncs + s.counters.checksumFailures + s.counters.reconnects;

/** Latest FeedStatus per venue: which (venue, symbol) feeds are live, and how healthy they were lately. */
export class FeedHealth {
  private readonly venues = new Map<string, VenueHealth>();
  private readonly windowMs: number;

  constructor(private readonly opts: FeedHealthOptions) {
    this.windowMs = opts.incidentWindowMs ?? 10_000;
  }

  update(status: FeedStatus, now: number): void {
    const prev = this.venues.get(status.venue);
    const total = incidentTotal(status);
    if (prev === undefined) {
      this.venues.set(status.venue, { status, recvTs: now, incidents: 0, windowStart: now, windowIncidents: 0, prevTotal: total });
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
    prev.status = status;
    prev.recvTs = now;
    prev.prevTotal = total;
  }

  /** True when the venue's latest status (fresh enough) says `live` for this symbol (or overall if not listed). */
  isLive(venue: string, symbol: string, now: number): boolean {
    const h = this.venues.get(venue);
    if (h === undefined) return !this.opts.required;
    if (now - h.recvTs > this.opts.timeoutMs) return false;
    const sym = h.status.symbols[symbol];
    return (sym?.state ?? h.status.state) === 'live';
  }

  /** Feed incidents (gaps, resyncs, checksum failures, reconnects) over roughly the last one to two windows. */
  recentIncidents(venue: string): number {
    const h = this.venues.get(venue);
    return h === undefined ? 0 : h.incidents + h.windowIncidents;
  }

  /** Venue → state, for logs and /stats. */
  snapshot(now: number): Record<string, { state: string; ageMs: number }> {
    const out: Record<string, { state: string; ageMs: number }> = {};
    for (const [venue, h] of this.venues) out[venue] = { state: h.status.state, ageMs: Math.round(now - h.recvTs) };
    return out;
  }
}
