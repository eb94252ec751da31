import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, type Registry } from '@arb/service-kit';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { EXECUTION_STATUSES } from '@arb/contracts';

export interface ExecutorMetrics {
  received: Counter;
  expired: Counter;
  skipped: Counter<'reason'>;
  duplicates: Counter;
  badInput: Counter<'kind'>;
  leasesInUse: Gauge;
  localTrades: Gauge;
  trades: Counter<'status'>;
  legLatency: Histogram<'venue' | 'role'>;
  hotPath: Histogram;
  busyWait: Histogram;
  realizedPnlUsd: Gauge;
  dailyPnlUsd: Gauge;
  dailyVolumeUsd: Gauge;
  fees: Counter<'venue' | 'asset'>;
  residualExposureUsd: Gauge;
  killSwitch: Gauge;
  journalRetries: Counter;
  reconciled: Counter<'status'>;
  redisErrors: Counter<'op'>;
  leaseLost: Counter;
  tradesStopped: Counter<'reason'>;
  corrections: Counter;
  followUps: Counter;
  orderUpdatesUnmatched: Counter<'venue'>;
  lateFills: Counter<'venue'>;
  inventoryReconcile: Counter<'outcome'>;
  inventoryCorrections: Counter<'venue' | 'asset'>;
  venueAvailable: Gauge<'venue'>;
  credentialChecks: Counter<'venue' | 'result'>;
  riskFeedCurrent: Gauge;
  riskFeedRestarts: Counter;
}

/** Executor metrics (prefix `executor_`). Money gauges are floats: reporting only, never used to price anything. */
export function createExecutorMetrics(registry: Registry): ExecutorMetrics {
  const m = buildMetrics(registry);
  // Every status from 0: rate()/increase() cannot see a series' first value, so a counter born at 1 (the first trade
  // right after start) would never show on the dashboards.
  for (const status of EXECUTION_STATUSES) m.trades.inc({ status }, 0);
  return m;
}

function buildMetrics(registry: Registry): ExecutorMetrics {
  return {
    received: getOrCreateCounter(registry, { name: 'executor_opportunities_received_total', help: 'Valid opportunities taken from ARB_OPPS' }),
    expired: getOrCreateCounter(registry, { name: 'executor_opportunities_expired_total', help: 'Opportunities dropped as expired: expiresTs passed, or detected longer ago than admission.maxOpportunityAgeMs' }),
    skipped: getOrCreateCounter(registry, {
      name: 'executor_opportunities_skipped_total',
      help: 'Opportunities not traded, by reason (kill-switch, concurrency, route-busy, inventory, risk-*, coordination, ...)',
      labelNames: ['reason'],
    }),
    duplicates: getOrCreateCounter(registry, { name: 'executor_opportunities_duplicate_total', help: 'Opportunities already handled (idempotency marker set)' }),
    badInput: getOrCreateCounter(registry, { name: 'executor_bad_input_total', help: 'Dropped input that failed validation, by kind', labelNames: ['kind'] }),
    leasesInUse: getOrCreateGauge(registry, { name: 'executor_semaphore_leases_in_use', help: 'Live leases of the cluster-wide trade semaphore' }),
    localTrades: getOrCreateGauge(registry, { name: 'executor_trades_in_flight', help: 'Trades of this process between lease and journal' }),
    trades: getOrCreateCounter(registry, { name: 'executor_trades_total', help: 'Journaled trade outcomes, by status', labelNames: ['status'] }),
    legLatency: getOrCreateHistogram(registry, {
      name: 'executor_leg_ack_latency_ms',
      help: 'Order sent → venue answer (ms)',
      labelNames: ['venue', 'role'],
      buckets: [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    }),
    hotPath: getOrCreateHistogram(registry, {
      name: 'executor_hot_path_ms',
      help: 'Opportunity received → both orders handed to the venue clients (ms; excludes the exchange round trip and any wait for a busy slot/route)',
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 50],
    }),
    busyWait: getOrCreateHistogram(registry, {
      name: 'executor_busy_wait_ms',
      help: 'Time an opportunity waited for a semaphore slot or its route lock before trading (ms)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    }),
    realizedPnlUsd: getOrCreateGauge(registry, { name: 'executor_realized_pnl_usd', help: 'Realized PnL of this process\'s trades since start (USD)' }),
    dailyPnlUsd: getOrCreateGauge(registry, { name: 'executor_daily_pnl_usd', help: 'Realized PnL of all executors today (UTC), from the journal (USD)' }),
    dailyVolumeUsd: getOrCreateGauge(registry, { name: 'executor_daily_volume_usd', help: 'Filled notional of all executors today (UTC), from the journal (USD)' }),
    fees: getOrCreateCounter(registry, { name: 'executor_fees_total', help: 'Fees paid by this process, by venue and asset (asset units)', labelNames: ['venue', 'asset'] }),
    residualExposureUsd: getOrCreateGauge(registry, { name: 'executor_residual_exposure_usd', help: 'Net residual base exposure of all executors today (USD)' }),
    killSwitch: getOrCreateGauge(registry, { name: 'executor_kill_switch', help: '1 while the kill switch is set' }),
    journalRetries: getOrCreateCounter(registry, { name: 'executor_journal_retries_total', help: 'Failed journal publishes that were retried' }),
    reconciled: getOrCreateCounter(registry, { name: 'executor_reconciled_total', help: 'In-flight records reconciled from the venues, by status', labelNames: ['status'] }),
    redisErrors: getOrCreateCounter(registry, { name: 'executor_redis_errors_total', help: 'Redis operations that failed, by operation', labelNames: ['op'] }),
    leaseLost: getOrCreateCounter(registry, { name: 'executor_lease_lost_total', help: 'Semaphore leases found lost (expired or gone) while their trade ran' }),
    tradesStopped: getOrCreateCounter(registry, {
      name: 'executor_trades_stopped_total',
      help: 'Trades whose hedge/unwind stopped because the in-flight record was not ours any more (fenced) or not writable',
      labelNames: ['reason'],
    }),
    corrections: getOrCreateCounter(registry, { name: 'executor_corrections_total', help: 'Correcting reports journaled (the journal held a trade with less than the venues did)' }),
    followUps: getOrCreateCounter(registry, { name: 'executor_follow_ups_total', help: 'Trades journaled with an order whose outcome was unknown, kept for a follow-up' }),
    orderUpdatesUnmatched: getOrCreateCounter(registry, {
      name: 'executor_order_updates_unmatched_total',
      help: 'Private-stream order updates of no trade this process knows (other executors\' orders, or older than the late-fill window)',
      labelNames: ['venue'],
    }),
    lateFills: getOrCreateCounter(registry, { name: 'executor_late_fills_total', help: 'Private-stream updates showing more fill than was journaled (followed up)', labelNames: ['venue'] }),
    inventoryReconcile: getOrCreateCounter(registry, {
      name: 'executor_inventory_reconcile_total',
      help: 'Inventory ledger reconciliations against the venue balances, by outcome (checked, corrected, busy, failed)',
      labelNames: ['outcome'],
    }),
    inventoryCorrections: getOrCreateCounter(registry, { name: 'executor_inventory_corrections_total', help: 'Ledger entries that differed from the venue balance and were set to it', labelNames: ['venue', 'asset'] }),
    venueAvailable: getOrCreateGauge(registry, { name: 'executor_venue_available', help: '1 while trades may be sent to the venue (not banned, rate limited, refusing orders or credentials, order stream up)', labelNames: ['venue'] }),
    credentialChecks: getOrCreateCounter(registry, { name: 'executor_credential_checks_total', help: 'Authenticated reads proving a venue accepts our credentials, by result (ok, refused, unverified)', labelNames: ['venue', 'result'] }),
    riskFeedCurrent: getOrCreateGauge(registry, { name: 'executor_risk_feed_current', help: '1 while the risk figures are confirmed at the journal\'s end (else trading skips: risk-stale)' }),
    riskFeedRestarts: getOrCreateCounter(registry, { name: 'executor_risk_feed_restarts_total', help: 'Journal follower consumers re-created (reconnect, stall, stream re-created)' }),
  };
}
