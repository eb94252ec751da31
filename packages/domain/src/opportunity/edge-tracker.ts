import { InvalidDetectionParamsError } from './errors';

/** How long a route's edge has been seen, and how it came and went lately. */
export interface EdgeStats {
  readonly present: boolean;
  /** Milliseconds the edge has been continuously present (0 when absent or just appeared). */
  readonly persistedMs: number;
  /** Appearances (absent → present) within the window, counting the current run. */
  readonly appearances: number;
  /**
   * Appearances within the window that came less than `flickerGapMs` after the edge had vanished (the current run's
   * included): an edge coming and going. A re-appearance after a longer absence is a new edge (e.g. a new jump on
   * the same route), not a flicker.
   */
  readonly flickers: number;
}

export interface EdgeTrackerOptions {
  /** Window over which appearances and flickers are counted; default 5000 ms. */
  readonly windowMs?: number;
  /** Observations further apart than this break a run (we cannot vouch for the gap); default 1000 ms. */
  readonly maxGapMs?: number;
  /** A re-appearance less than this long after the edge vanished is a flicker; default 500 ms. */
  readonly flickerGapMs?: number;
}

/** Options with every default filled in (validate once with `resolveEdgeOptions`). */
export type ResolvedEdgeOptions = Required<EdgeTrackerOptions>;

export function resolveEdgeOptions(o: EdgeTrackerOptions = {}): ResolvedEdgeOptions {
  const r = { windowMs: o.windowMs ?? 5000, maxGapMs: o.maxGapMs ?? 1000, flickerGapMs: o.flickerGapMs ?? 500 };
  if (!(r.windowMs > 0) || !(r.maxGapMs > 0) || !(r.flickerGapMs >= 0)) throw new InvalidDetectionParamsError(`edge options out of range: ${JSON.stringify(o)}`);
  return r;
}

/** Read-only view used by the pure evaluation. */
export interface EdgeHistory {
  /** What `observe(route, ts, present, opts)` would return, without recording anything. */
  preview(route: string, ts: number, present: boolean, opts?: ResolvedEdgeOptions): EdgeStats;
}

interface Appearance {
  readonly ts: number;
  /** How long the edge had been absent before (Infinity: never seen, or a gap in the observations). */
  readonly absentMs: number;
}

interface RouteState {
  present: boolean;
  runStart: number;
  lastTs: number;
  /** Time of the last observation with the edge present. */
  lastPresentTs: number;
  /** Appearances, oldest first (bounded). */
  appears: Appearance[];
}

const MAX_APPEARS = 64;
const DEFAULTS = resolveEdgeOptions();

/** Route key: one directed pair of one symbol. */
export function routeKey(symbol: string, buyVenue: string, sellVenue: string): string {
  return `${symbol}:${buyVenue}:${sellVenue}`;
}

/**
 * Tracks, per route, whether an edge is present on each observation (the detector feeds it the float pre-screen
 * result on every evaluation of the route). Timestamps are local epoch ms; they should not go backwards (an older
 * timestamp is treated as "now" = the last one). Options are passed per call (a route's params may change at run
 * time); the state is kept per route.
 */
export class EdgeTracker implements EdgeHistory {
  private readonly routes = new Map<string, RouteState>();

  /** Records one observation (the hot path: nothing computed beyond the state update). */
  record(route: string, ts: number, present: boolean, opts: ResolvedEdgeOptions = DEFAULTS): void {
    let s = this.routes.get(route);
    if (s === undefined) {
      s = { present: false, runStart: ts, lastTs: ts, lastPresentTs: -Infinity, appears: [] };
      this.routes.set(route, s);
    }
    const t = Math.max(ts, s.lastTs);
    const gap = t - s.lastTs;
    const continuing = s.present && present && gap <= opts.maxGapMs;
    if (present && !continuing) {
      s.runStart = t;
      // A gap in the observations hides what happened: not a flicker.
      const absentMs = gap > opts.maxGapMs ? Infinity : t - s.lastPresentTs;
      s.appears.push({ ts: t, absentMs });
      if (s.appears.length > MAX_APPEARS) s.appears.shift();
    }
    s.present = present;
    s.lastTs = t;
    if (present) s.lastPresentTs = t;
    while (s.appears.length > 0 && (s.appears[0] as Appearance).ts < t - opts.windowMs) s.appears.shift();
  }

  /** Records one observation and returns the stats after it. */
  observe(route: string, ts: number, present: boolean, opts: ResolvedEdgeOptions = DEFAULTS): EdgeStats {
    this.record(route, ts, present, opts);
    return this.preview(route, ts, present, opts);
  }

  preview(route: string, ts: number, present: boolean, opts: ResolvedEdgeOptions = DEFAULTS): EdgeStats {
    const s = this.routes.get(route);
    if (s === undefined) return { present, persistedMs: 0, appearances: present ? 1 : 0, flickers: 0 };
    const t = Math.max(ts, s.lastTs);
    const gap = t - s.lastTs;
    const continuing = s.present && present && gap <= opts.maxGapMs;
    const fresh = present && !continuing ? (gap > opts.maxGapMs ? Infinity : t - s.lastPresentTs) : null;
    return this.stats(s, t, present, continuing, fresh, opts);
  }

  forget(route: string): void {
    this.routes.delete(route);
  }

  get size(): number {
    return this.routes.size;
  }

  /** Stats at `t`; `fresh` is the absence before an appearance not recorded in `s` (preview), else null. */
  private stats(s: RouteState, t: number, present: boolean, continuing: boolean, fresh: number | null, o: ResolvedEdgeOptions): EdgeStats {
    let appearances = 0;
    let flickers = 0;
    for (const a of s.appears) {
      if (a.ts < t - o.windowMs) continue;
      appearances++;
      if (a.absentMs < o.flickerGapMs) flickers++;
    }
    if (fresh !== null) {
      appearances++;
      if (fresh < o.flickerGapMs) flickers++;
    } else if (continuing && s.runStart < t - o.windowMs) {
      appearances++; // a run that started before the window still counts as one appearance
    }
    return {
      present,
      persistedMs: continuing ? t - s.runStart : 0,
      appearances: Math.min(appearances, MAX_APPEARS),
      flickers: Math.min(flickers, MAX_APPEARS),
    };
  }
}
