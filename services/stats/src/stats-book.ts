import Big from 'big.js';
import type { ExecutionReport, FeedStatus, Opportunity } from '@arb/contracts';
import { AvailabilityTracker, unobservedView, type AvailabilityView, type ConditionState } from './availability';
import { BoundedMap, BoundedSet } from './bounded';
import { FeedMonitor, type FeedMonitorOptions, type FeedsView } from './feeds';
import { reportFacts } from './report-facts';
import { ScopeTotals, type ScopeShape, type ScopeStats } from './scope-totals';
import { TimeSeries, type SeriesPoint, type TimeSeriesOptions } from './timeseries';

export type ScopeKind = 'overall' | 'venue' | 'route' | 'symbol' | 'variant';

export interface StatsBookOptions {
  /** USD value of one unit of an asset (quote assets and fee assets), decimal strings. */
  usdPegs: Readonly<Record<string, string>>;
  /** Distinct keys per scope kind (venue, route, symbol, variant); later keys are summed under `__other__`. */
  maxKeysPerScope: number;
  /** Report ids remembered for de-duplication (oldest forgotten first). */
  maxTrackedReportIds: number;
  timeseries: TimeSeriesOptions;
  feeds: FeedMonitorOptions;
  /** An executor probe older than this no longer counts (the executor is taken as not ready). */
  executorStaleMs: number;
  startedTs: number;
}

/** The last probe of the executors' shared ARB_OPPS consumer. */
export interface ExecutorProbe {
  /** At least one pull request waiting: an executor is connected and taking opportunities. */
  ready: boolean;
  /** Pull requests waiting (about one per executor process). */
  waiting: number;
  /** Opportunities delivered and not yet acknowledged (trades in progress). */
  ackPending: number;
  /** Why the probe failed (no consumer, timeout...), null when it answered. */
  error: string | null;
}

export interface AvailabilitySnapshot extends AvailabilityView {
  executor: (ExecutorProbe & { probedTs: number }) | null;
  /** The kill switch of arb_config; null until read. */
  killSwitch: boolean | null;
}

export interface JournalCounters {
  /** Reports counted. */
  accepted: number;
  /** Reports whose id was already counted (a second journal of one trade). */
  duplicates: number;
  /** Journal messages that were not valid ExecutionReports (skipped). */
  invalid: number;
}

export interface StatsSnapshot {
  v: 1;
  ts: number;
  startedTs: number;
  uptimeMs: number;
  journal: JournalCounters;
  overall: ScopeStats;
  venues: Record<string, ScopeStats>;
  routes: Record<string, ScopeStats>;
  symbols: Record<string, ScopeStats>;
  variants: Record<string, ScopeStats>;
  feeds: FeedsView;
  availability: AvailabilitySnapshot;
}

const SHAPES: Record<ScopeKind, ScopeShape> = {
  overall: { residual: true, singleSymbol: false },
  venue: { residual: false, singleSymbol: false },
  route: { residual: true, singleSymbol: true },
  symbol: { residual: true, singleSymbol: true },
  variant: { residual: true, singleSymbol: false },
};

/**
 * Trading statistics rebuilt from ExecutionReports (the journal) plus opportunities seen since start, overall and per
 * venue, route (`symbol:buyVenue>sellVenue`), symbol and config variant. Pure: time comes in as arguments.
 */
export class StatsBook {
  readonly overall = new ScopeTotals(SHAPES.overall);
  private readonly scopes: Record<Exclude<ScopeKind, 'overall'>, BoundedMap<ScopeTotals>>;
  private readonly seen: BoundedSet;
  private readonly pegs: Map<string, Big>;
  readonly series: TimeSeries;
  readonly feeds: FeedMonitor;
  readonly journal: JournalCounters = { accepted: 0, duplicates: 0, invalid: 0 };
  private availability: AvailabilityTracker | null = null;
  private executor: (ExecutorProbe & { probedTs: number }) | null = null;
  private killSwitch: boolean | null = null;
  /** Bumped on every change (cache key for views). */
  version = 0;

  constructor(private readonly o: StatsBookOptions) {
    const scope = (kind: ScopeKind): BoundedMap<ScopeTotals> => new BoundedMap(o.maxKeysPerScope, () => new ScopeTotals(SHAPES[kind]));
    this.scopes = { venue: scope('venue'), route: scope('route'), symbol: scope('symbol'), variant: scope('variant') };
    this.seen = new BoundedSet(o.maxTrackedReportIds);
    this.pegs = new Map(Object.entries(o.usdPegs).map(([k, v]) => [k, new Big(v)]));
    this.series = new TimeSeries(o.timeseries);
    this.feeds = new FeedMonitor(o.feeds);
  }

  /** Counts a report once per id; `duplicate` when the id was counted before. */
  addReport(r: ExecutionReport, now: number): 'added' | 'duplicate' {
    if (!this.seen.add(r.id)) {
      this.journal.duplicates++;
      return 'duplicate';
    }
    this.journal.accepted++;
    this.version++;
    const f = reportFacts(r, this.pegs);
    this.overall.addReport(r, f, f.all);
    this.scopes.symbol.get(r.symbol).addReport(r, f, f.all);
    this.scopes.variant.get(r.variant).addReport(r, f, f.all);
    if (f.route !== null) this.scopes.route.get(f.route).addReport(r, f, f.all);
    for (const [venue, money] of f.byVenue) this.scopes.venue.get(venue).addReport(r, f, money);
    const trade = r.corrects === undefined; // a correction adds money to a trade counted before
    const executed = trade && f.outcome !== 'not_executed';
    this.series.addReport(r.timings.finalTs, new Big(r.realizedPnlUsd), trade ? f.executionMs : null, executed, trade && f.outcome === 'success', now);
    return 'added';
  }

  /** A journal message that was not a valid report. */
  noteInvalid(): void {
    this.journal.invalid++;
    this.version++;
  }

  addOpportunity(o: Opportunity, now: number): void {
    this.version++;
    this.overall.opportunities++;
    this.scopes.symbol.get(o.symbol).opportunities++;
    this.scopes.variant.get(o.variant).opportunities++;
    this.scopes.route.get(`${o.symbol}:${o.buy.venue}>${o.sell.venue}`).opportunities++;
    this.scopes.venue.get(o.buy.venue).opportunities++;
    if (o.sell.venue !== o.buy.venue) this.scopes.venue.get(o.sell.venue).opportunities++;
    this.series.addOpportunity(Number.isFinite(o.detectedTs) ? Math.max(0, now - o.detectedTs) : null, now);
  }

  /** A FeedStatus from `md.status.<venue>`. */
  onFeedStatus(s: FeedStatus, now: number): void {
    this.version++;
    this.feeds.onStatus(s, now);
    this.evaluate(now);
  }

  /** A probe of the executors' consumer (see ExecutorProbe). */
  onExecutorProbe(p: ExecutorProbe, now: number): void {
    this.version++;
    this.executor = { ...p, probedTs: now };
    this.evaluate(now);
  }

  /** The kill switch as read from arb_config. */
  onKillSwitch(on: boolean, now: number): void {
    this.version++;
    this.killSwitch = on;
    this.evaluate(now);
  }

  /** Starts measuring availability (once every condition has been checked); idempotent. */
  startAvailability(now: number): void {
    if (this.availability !== null) return;
    this.availability = new AvailabilityTracker(now);
    this.evaluate(now);
  }

  /** Re-checks the trading conditions (feeds go stale and probes age with time alone). */
  evaluate(now: number): void {
    if (this.availability?.observe(now, this.conditions(now)) === true) this.version++;
  }

  private conditions(now: number): ConditionState {
    const f = this.feeds.view(now);
    const e = this.executor;
    return {
      feeds: f.allLive && f.pairsLive > 0,
      executor: e !== null && e.ready && now - e.probedTs <= this.o.executorStaleMs,
      killSwitch: this.killSwitch === false,
    };
  }

  snapshot(now: number): StatsSnapshot {
    this.evaluate(now);
    const kindJson = (kind: Exclude<ScopeKind, 'overall'>): Record<string, ScopeStats> => {
      const out: Record<string, ScopeStats> = {};
      for (const [key, totals] of [...this.scopes[kind].entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        out[key] = totals.toJSON(now);
      }
      return out;
    };
    return {
      v: 1,
      ts: now,
      startedTs: this.o.startedTs,
      uptimeMs: Math.max(0, now - this.o.startedTs),
      journal: { ...this.journal },
      overall: this.overall.toJSON(now),
      venues: kindJson('venue'),
      routes: kindJson('route'),
      symbols: kindJson('symbol'),
      variants: kindJson('variant'),
      feeds: this.feeds.view(now),
      availability: {
        ...(this.availability === null ? unobservedView(this.conditions(now)) : this.availability.view(now)),
        executor: this.executor === null ? null : { ...this.executor },
        killSwitch: this.killSwitch,
      },
    };
  }

  timeseries(now: number): { intervalMs: number; points: SeriesPoint[] } {
    return { intervalMs: this.series.intervalMs, points: this.series.points(now) };
  }
}
