// Execution: trades by status, PnL, fees, exposure, semaphore use and leg latency. Sources: executor (executor_*:
// this process's view, live) and stats (stats_*: rebuilt from the ARB_EXECS journal, so it survives restarts).
// Gauges that every executor reports for the whole cluster (leases in use, daily PnL/volume, residual exposure) are
// taken with max(), per-process ones are summed.
import { bargauge, dashboard, q, quantiles, row, stat, timeseries } from './builders.mjs';

const RI = '$__rate_interval';
const USD = 'currencyUSD';

export default dashboard({
  uid: 'arb-execution',
  title: 'Arb / Execution',
  description: 'Trades by status, PnL, fees, exposure, semaphore use, leg latency',
  tags: ['execution'],
  panels: [
    row('Outcomes'),
    stat('Trades journaled', [q('max(stats_reports{scope="overall"})', 'reports'), q('max(stats_trades_executed{scope="overall"})', 'executed')], {
      w: 5,
      decimals: 0,
      description: 'Whole ARB_EXECS journal (stats): every report, and those whose orders were sent',
    }),
    stat('Success ratio', [q('max(stats_success_ratio{scope="overall"})', 'filled / executed')], { w: 4, unit: 'percentunit', decimals: 1 }),
    stat('Net PnL (journal)', [q('max(stats_net_profit_usd{scope="overall"})', 'net')], { w: 5, unit: USD, decimals: 2 }),
    stat('Residual exposure (today)', [q('max(executor_residual_exposure_usd)', 'USD')], {
      w: 5,
      unit: USD,
      decimals: 2,
      description: 'Net residual base exposure of all executors today (executor_residual_exposure_usd)',
    }),
    stat('Kill switch', [q('max(executor_kill_switch)', 'kill switch')], {
      w: 5,
      mappings: [{ type: 'value', options: { 0: { text: 'off', color: 'green' }, 1: { text: 'ON', color: 'red' } } }],
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] },
    }),
    timeseries('Trades by status (per interval)', [q(`sum by (status) (increase(executor_trades_total[${RI}]))`, '{{status}}')], {
      w: 10,
      bars: true,
      stack: true,
      description: 'executor_trades_total: journaled outcomes (filled, partial, hedged, unwound, exposed, rejected, expired, skipped, failed)',
    }),
    bargauge('Journal by status (all time)', [q('max by (status) (stats_reports_by_status)', '{{status}}', { instant: true })], { w: 7 }),
    bargauge('Outcomes (all time)', [q('max by (outcome) (stats_trades{scope="overall"})', '{{outcome}}', { instant: true })], { w: 7 }),
    timeseries(
      'Opportunities taken, skipped, expired (/s)',
      [
        q(`sum(rate(executor_opportunities_received_total[${RI}]))`, 'received'),
        q(`sum by (reason) (rate(executor_opportunities_skipped_total[${RI}]))`, 'skipped {{reason}}'),
        q(`sum(rate(executor_opportunities_expired_total[${RI}]))`, 'expired'),
        q(`sum(rate(executor_opportunities_duplicate_total[${RI}]))`, 'duplicate'),
      ],
      { w: 24, unit: 'ops' },
    ),
    row('PnL and fees'),
    timeseries(
      'PnL (USD, journal)',
      [
        q('max(stats_net_profit_usd{scope="overall"})', 'net'),
        q('max(stats_gross_profit_usd{scope="overall"})', 'gross (before fees)'),
        q('max(stats_fees_usd{scope="overall"})', 'fees'),
      ],
      { unit: USD },
    ),
    timeseries('Net PnL by route (USD, journal)', [q('max by (route) (stats_net_profit_usd{scope="route"})', '{{route}}')], { unit: USD }),
    timeseries(
      'Today (UTC), executors\' risk view',
      [q('max(executor_daily_pnl_usd)', 'PnL'), q('max(executor_daily_volume_usd)', 'volume')],
      { unit: USD, description: 'executor_daily_pnl_usd / executor_daily_volume_usd: what the risk limits compare against' },
    ),
    timeseries('Realized PnL per executor since start (USD)', [q('sum by (instance) (executor_realized_pnl_usd)', '{{instance}}')], { unit: USD }),
    timeseries('Fees by venue (USD, journal)', [q('max by (venue) (stats_fees_usd{scope="venue"})', '{{venue}}')], { unit: USD }),
    timeseries('Fees paid (asset units, per interval)', [q(`sum by (venue, asset) (increase(executor_fees_total[${RI}]))`, '{{venue}} {{asset}}')], {
      bars: true,
      decimals: 8,
    }),
    row('Exposure'),
    timeseries(
      'Residual exposure (USD)',
      [q('max(executor_residual_exposure_usd)', 'executors, today'), q('max(stats_residual_usd{scope="overall"})', 'journal, all time')],
      { w: 12, unit: USD },
    ),
    timeseries('Residual base by symbol (journal)', [q('max by (symbol) (stats_residual_base{scope="symbol"})', '{{symbol}}')], { w: 12, decimals: 8 }),
    row('Concurrency'),
    timeseries(
      'Semaphore leases and trades in flight',
      [q('max(executor_semaphore_leases_in_use)', 'leases in use (cluster)'), q('sum(executor_trades_in_flight)', 'trades in flight (all executors)')],
      { stepped: true, description: 'executor_semaphore_leases_in_use: live leases of the cluster-wide semaphore (limit: executor.concurrency.maxConcurrentTrades)' },
    ),
    timeseries('Trades in flight per executor', [q('sum by (instance) (executor_trades_in_flight)', '{{instance}}')], { stepped: true }),
    timeseries(
      'Waits for a slot or route lock',
      [q(`sum(rate(executor_busy_wait_ms_count[${RI}]))`, 'waits /s'), ...quantiles('executor_busy_wait_ms', [], [0.5, 0.99])],
      { description: 'executor_busy_wait_ms: time an opportunity waited for a semaphore slot or its route lock (quantiles in ms)' },
    ),
    row('Latency'),
    timeseries('Order sent → venue answer (ms)', quantiles('executor_leg_ack_latency_ms', ['venue', 'role'], [0.5, 0.99]), { w: 12, unit: 'ms' }),
    timeseries('Hot path: opportunity → both orders out (ms)', quantiles('executor_hot_path_ms', [], [0.5, 0.99, 0.999]), { w: 12, unit: 'ms' }),
    timeseries(
      'Execution time (journal, ms)',
      [q('max(stats_avg_execution_ms{scope="overall"})', 'average'), q('max(stats_max_execution_ms{scope="overall"})', 'max')],
      { w: 12, unit: 'ms', description: 'receivedTs → finalTs of executed trades' },
    ),
    timeseries(
      'Journal',
      [q('max by (which) (stats_journal_seq)', 'ARB_EXECS seq {{which}}'), q(`sum(rate(executor_journal_retries_total[${RI}]))`, 'publish retries /s')],
      { w: 12 },
    ),
  ],
});
