import { Counter, Gauge, type Registry } from 'prom-client';
import { EXECUTION_STATUSES } from '@arb/contracts';
import { CONDITIONS } from './availability';
import type { ScopeStats } from './scope-totals';
import type { StatsSnapshot } from './stats-book';

const SCOPE_LABELS = ['scope', 'venue', 'route', 'symbol', 'variant'] as const;
type ScopeLabel = (typeof SCOPE_LABELS)[number];
type Labels = Partial<Record<ScopeLabel, string>>;

export interface StatsMetricsSource {
  /** The current statistics (may be cached for a moment). */
  snapshot(): StatsSnapshot;
  journal(): { lastSeq: number; targetSeq: number; caughtUp: boolean };
}

export interface StatsMetrics {
  journalMessages: Counter<'result'>;
}

/** Every scope of a snapshot with its Prometheus labels (unused labels left out). */
function* scopes(s: StatsSnapshot): Generator<[Labels, ScopeStats]> {
  yield [{ scope: 'overall' }, s.overall];
  for (const [venue, v] of Object.entries(s.venues)) yield [{ scope: 'venue', venue }, v];
  for (const [route, v] of Object.entries(s.routes)) yield [{ scope: 'route', route }, v];
  for (const [symbol, v] of Object.entries(s.symbols)) yield [{ scope: 'symbol', symbol }, v];
  for (const [variant, v] of Object.entries(s.variants)) yield [{ scope: 'variant', variant }, v];
}

const CONDITION_LABEL = { feeds: 'feeds', executor: 'executor', killSwitch: 'kill_switch' } as const;

const num = (x: string | number | null | undefined): number | null => (x === null || x === undefined ? null : Number(x));

/**
 * Prometheus view of the statistics. Values rebuilt from the journal are gauges (a restart rebuilds the same totals;
 * as counters they would read as a reset followed by a jump). Label sets are bounded by `stats.maxKeysPerScope`.
 */
export function registerStatsMetrics(registry: Registry, src: StatsMetricsSource): StatsMetrics {
  const perScope = (name: string, help: string, pick: (s: ScopeStats) => number | null, extra: readonly string[] = []): void => {
    new Gauge({
      name,
      help,
      labelNames: [...SCOPE_LABELS, ...extra],
      registers: [registry],
      collect() {
        this.reset();
        for (const [labels, stats] of scopes(src.snapshot())) {
          const v = pick(stats);
          if (v !== null && Number.isFinite(v)) this.set(labels, v);
        }
      },
    });
  };
  new Counter({
    name: 'stats_opportunities_total',
    help: 'Opportunities seen on arb.opp.> since this process started, per scope',
    labelNames: [...SCOPE_LABELS],
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, stats] of scopes(src.snapshot())) if (stats.opportunities > 0) this.inc(labels, stats.opportunities);
    },
  });
  perScope('stats_reports', 'Journaled execution reports (whole journal), per scope', (s) => s.reports);
  perScope('stats_trades_executed', 'Reports whose orders were sent (all but expired/skipped)', (s) => s.executed);
  new Gauge({
    name: 'stats_trades',
    help: 'Reports by outcome: success=filled, partial, recovered=hedged|unwound, failed=exposed|rejected|failed, not_executed=expired|skipped',
    labelNames: [...SCOPE_LABELS, 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, s] of scopes(src.snapshot())) {
        const by = { success: s.successful, partial: s.partial, recovered: s.recovered, failed: s.failed, not_executed: s.notExecuted };
        for (const [outcome, v] of Object.entries(by)) this.set({ ...labels, outcome }, v);
      }
    },
  });
  new Gauge({
    name: 'stats_reports_by_status',
    help: 'Journaled reports by final status (overall)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      this.reset();
      const s = src.snapshot().overall;
      for (const status of EXECUTION_STATUSES) this.set({ status }, s.byStatus[status]);
    },
  });
  perScope('stats_success_ratio', 'Successful (filled) / executed trades', (s) => s.successRate);
  perScope('stats_volume_usd', 'Quote notional of filled legs, in USD', (s) => num(s.volumeUsd));
  perScope('stats_gross_profit_usd', 'Realized PnL before the base/quote fees it includes, USD', (s) => num(s.grossProfitUsd));
  perScope('stats_net_profit_usd', 'Realized PnL (sum of realizedPnlUsd), USD', (s) => num(s.netProfitUsd));
  perScope('stats_fees_usd', 'Fees valued in USD', (s) => num(s.feesUsd));
  perScope('stats_avg_profit_per_trade_usd', 'Net profit / executed trades, USD', (s) => num(s.avgProfitPerTradeUsd));
  perScope('stats_avg_profit_per_successful_trade_usd', 'Net profit of successful (filled) trades / successful trades, USD', (s) =>
    num(s.avgProfitPerSuccessfulTradeUsd),
  );
  perScope('stats_profit_rate_bps', 'Profit rate: net profit / volume, in basis points of volume', (s) => num(s.profitRateBps));
  perScope('stats_profit_per_hour_usd', 'Net profit per hour since the first executed trade, USD', (s) => num(s.profitPerHourUsd));
  perScope('stats_avg_execution_ms', 'Average receivedTs → finalTs of executed trades (ms)', (s) => s.avgExecutionMs);
  perScope('stats_max_execution_ms', 'Longest receivedTs → finalTs of an executed trade (ms)', (s) => s.maxExecutionMs);
  perScope('stats_residual_usd', 'Sum of residualUsd (open exposure left by trades)', (s) => num(s.residualUsd));
  perScope('stats_residual_base', 'Sum of residualBase (symbol and route scopes)', (s) => num(s.residualBase));

  new Gauge({
    name: 'stats_uptime_seconds',
    help: 'Seconds since this stats process started',
    registers: [registry],
    collect() {
      this.set(src.snapshot().uptimeMs / 1000);
    },
  });
  new Gauge({
    name: 'stats_trading_possible',
    help: '1 while trading is possible: all feeds live with a live pair, an executor taking opportunities, kill switch off',
    registers: [registry],
    collect() {
      this.set(src.snapshot().availability.tradingPossible ? 1 : 0);
    },
  });
  new Gauge({
    name: 'stats_trading_uptime_ratio',
    help: 'Share of the time this stats process observed during which trading was possible (0..1)',
    registers: [registry],
    collect() {
      this.reset();
      const pct = src.snapshot().availability.uptimePct;
      if (pct !== null) this.set(pct / 100);
    },
  });
  new Gauge({
    name: 'stats_trading_uptime_seconds',
    help: 'Seconds (since this stats process started) during which trading was possible',
    registers: [registry],
    collect() {
      this.set(src.snapshot().availability.tradingMs / 1000);
    },
  });
  new Gauge({
    name: 'stats_trading_blocked_seconds',
    help: 'Seconds (since this stats process started) during which a trading condition failed: feeds, executor, kill_switch',
    labelNames: ['condition'],
    registers: [registry],
    collect() {
      const a = src.snapshot().availability;
      for (const c of CONDITIONS) this.set({ condition: CONDITION_LABEL[c] }, a.blockedMs[c] / 1000);
    },
  });
  new Gauge({
    name: 'stats_feeds',
    help: 'Venues, arbitrage pairs (symbols on >= 2 venues) and venue/symbol feeds seen on md.status.*, and how many are live',
    labelNames: ['kind', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const f = src.snapshot().feeds;
      this.set({ kind: 'venues', state: 'monitored' }, f.venuesMonitored);
      this.set({ kind: 'venues', state: 'live' }, f.venuesLive);
      this.set({ kind: 'pairs', state: 'monitored' }, f.pairsMonitored);
      this.set({ kind: 'pairs', state: 'live' }, f.pairsLive);
      this.set({ kind: 'venue_symbols', state: 'monitored' }, f.venueSymbolsMonitored);
      this.set({ kind: 'venue_symbols', state: 'live' }, f.venueSymbolsLive);
    },
  });
  new Gauge({
    name: 'stats_feed_live',
    help: '1 if the venue (symbol="") or venue/symbol feed is live, else 0',
    labelNames: ['venue', 'symbol'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of src.snapshot().feeds.venues) {
        this.set({ venue: v.venue, symbol: '' }, v.live ? 1 : 0);
        for (const p of v.symbols) this.set({ venue: v.venue, symbol: p.symbol }, p.live ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'stats_journal_seq',
    help: 'ARB_EXECS position: last sequence processed, and the last sequence at start (replay target)',
    labelNames: ['which'],
    registers: [registry],
    collect() {
      const j = src.journal();
      this.set({ which: 'processed' }, j.lastSeq);
      this.set({ which: 'target' }, j.targetSeq);
    },
  });
  new Gauge({
    name: 'stats_journal_caught_up',
    help: '1 once the journal replay reached the stream end seen at start',
    registers: [registry],
    collect() {
      this.set(src.journal().caughtUp ? 1 : 0);
    },
  });
  return {
    journalMessages: new Counter({
      name: 'stats_journal_messages_total',
      help: 'Journal messages processed by this process: accepted, duplicate (report id seen before), invalid (skipped)',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
