/** How long a route's edge has been seen, and how often it came and went lately. */
export interface EdgeStats {
  readonly present: boolean;
  /** Milliseconds the edge has been continuously present (0 when absent or just appeared). */
  readonly persistedMs: number;
  /** Appearances (absent → present) within the flicker window, counting the current run. */
  readonly appearances: number;
}

/** Read-only view used by the pure evaluation. */
export interface EdgeHistory {
  /** What `observe(route, ts, present)` would return, without recording it. */
  preview(route: string, ts: number, present: boolean): EdgeStats;
}

export interface EdgeTrackerOptions {
  /** Window over which appearances are counted for flicker detection; default 5000 ms. */
  readonly windowMs?: number;
  /** Observations further apart than this break a run (we cannot vouch for the gap); default 1000 ms. */
  readonly maxGapMs?: number;
}

interface RouteState {
  present: boolean;
  runStart: number;
  lastTs: number;
  /** Appearance times, oldest first, pruned to the window. */
  appears: number[];
}

const MAX_APPEARS = 64;

/** Route key: one directed pair of one symbol. */
export function routeKey(symbol: string, buyVenue: string, sellVenue: string): string {
  return `${symbol}:${buyVenue}:${sellVenue}`;
}

/**
 * Tracks, per route, whether an edge is present on each observation (the detector feeds it the float pre-screen
 * result on every evaluation of the route). Timestamps are local epoch ms; they should not go backwards (an older
 * timestamp is treated as "now" = the last one).
 */
export class EdgeTracker implements EdgeHistory {
  private readonly routes = new Map<string, RouteState>();
  private readonly windowMs: number;
  private readonly maxGapMs: number;

  constructor(opts: EdgeTrackerOptions = {}) {
    this.windowMs = opts.windowMs ?? 5000;
    this.maxGapMs = opts.maxGapMs ?? 1000;
  }

  observe(route: string, ts: number, present: boolean): EdgeStats {
    let s = this.routes.get(route);
    if (s === undefined) {
      s = { present: false, runStart: ts, lastTs: ts, appears: [] };
      this.routes.set(route, s);
    }
    const t = Math.max(ts, s.lastTs);
    const continuing = s.present && present && t - s.lastTs <= this.maxGapMs;
    if (present && !continuing) {
      s.runStart = t;
      s.appears.push(t);
      if (s.appears.length > MAX_APPEARS) s.appears.shift();
    }
    s.present = present;
    s.lastTs = t;
    while (s.appears.length > 0 && (s.appears[0] as number) < t - this.windowMs) s.appears.shift();
    // A run that started before the window still counts as one appearance.
    const old = present && s.runStart < t - this.windowMs ? 1 : 0;
    return { present, persistedMs: present ? t - s.runStart : 0, appearances: s.appears.length + old };
  }

  preview(route: string, ts: number, present: boolean): EdgeStats {
    const s = this.routes.get(route);
    if (s === undefined) return { present, persistedMs: 0, appearances: present ? 1 : 0 };
    const t = Math.max(ts, s.lastTs);
    const continuing = s.present && present && t - s.lastTs <= this.maxGapMs;
    let n = 0;
    for (const a of s.appears) if (a >= t - this.windowMs) n++;
    if (present && !continuing) n++;
    else if (continuing && s.runStart < t - this.windowMs) n++;
    return { present, persistedMs: continuing ? t - s.runStart : 0, appearances: Math.min(n, MAX_APPEARS) };
  }

  forget(route: string): void {
    this.routes.delete(route);
  }

  get size(): number {
    return this.routes.size;
  }
}
