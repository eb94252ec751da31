import { getOrCreateCounter, getOrCreateGauge, type Registry } from '@arb/service-kit';
import type { Counter } from 'prom-client';
import type { MarketCounters } from './model/market';
import type { VenueStats } from './net/stats';
import type { TradeTracker } from './trading/trade-tracker';
import type { SimWorld } from './world/world';
import { CLOSE_REASONS, WINDOW_CAUSES } from './world/window-record';

type NumericStat = { [K in keyof VenueStats]: VenueStats[K] extends number ? K : never }[keyof VenueStats];

const VENUE_COUNTERS: Array<[string, NumericStat, string]> = [
  ['sim_messages_sent_total', 'messagesSent', 'WebSocket messages sent'],
  ['sim_messages_dropped_total', 'messagesDropped', 'market-data messages dropped by fault injection'],
  ['sim_messages_corrupted_total', 'messagesCorrupted', 'market-data messages corrupted by fault injection'],
  ['sim_messages_delayed_total', 'messagesDelayed', 'market-data messages delayed by fault injection'],
  ['sim_messages_frozen_total', 'messagesFrozen', 'messages not sent during a freeze'],
  ['sim_disconnects_injected_total', 'disconnectsInjected', 'forced disconnect rounds'],
  ['sim_connections_total', 'connectionsTotal', 'WebSocket connections accepted'],
  ['sim_rest_requests_total', 'restRequests', 'REST requests'],
  ['sim_rest_errors_5xx_total', 'rest5xx', 'REST 5xx answers'],
  ['sim_rest_errors_429_total', 'rest429', 'REST 429 answers'],
  ['sim_depth_snapshots_total', 'depthSnapshots', 'REST depth snapshots requested'],
  ['sim_depth_snapshots_crossed_total', 'crossedDepthServed', 'REST depth snapshots served crossed by fault injection'],
  ['sim_pong_timeouts_total', 'pongTimeouts', 'connections closed for a missing pong'],
];

/**
 * Prometheus view of the sim. Hot paths only bump plain counters; the registry reads them at
 * scrape time (collect). `badInput` counts client input the sim rejected.
 */
export function registerSimMetrics(
  registry: Registry,
  market: MarketCounters,
  venues: Record<string, VenueStats>,
): { badInput: Counter<'venue' | 'kind'> } {
  for (const [name, key, help] of VENUE_COUNTERS) {
    const c = getOrCreateCounter(registry, { name, help, labelNames: ['venue'] as const });
    setCollect(c, () => {
      c.reset();
      for (const [venue, s] of Object.entries(venues)) c.inc({ venue }, s[key]);
    });
  }
  const open = getOrCreateGauge(registry, { name: 'sim_connections_open', help: 'open WebSocket connections', labelNames: ['venue'] as const });
  setCollect(open, () => {
    for (const [venue, s] of Object.entries(venues)) open.set({ venue }, s.connectionsOpen);
  });
  for (const [name, key] of [
    ['sim_level_updates_total', 'levelUpdates'],
    ['sim_book_changes_total', 'changes'],
    ['sim_model_steps_total', 'steps'],
  ] as const) {
    const c = getOrCreateCounter(registry, { name, help: `market model ${key}` });
    setCollect(c, () => {
      c.reset();
      c.inc(market[key]);
    });
  }
  const badInput = getOrCreateCounter(registry, {
    name: 'sim_bad_input_total',
    help: 'client input rejected (bad JSON, unknown stream, bad control request, ...)',
    labelNames: ['venue', 'kind'] as const,
  });
  return { badInput };
}

function setCollect(metric: object, fn: () => void): void {
  (metric as { collect?: () => void }).collect = fn;
}

/** Prometheus view of trading: orders/fills/rejects per venue, trades in flight and the max since reset. */
export function registerTradingMetrics(registry: Registry, tracker: TradeTracker): void {
  for (const [name, key, help] of [
    ['sim_trading_orders_total', 'orders', 'orders received (since the last trading-stats reset)'],
    ['sim_trading_fills_total', 'fills', 'fills (since the last trading-stats reset)'],
    ['sim_trading_rejected_total', 'rejected', 'orders rejected (since the last trading-stats reset)'],
  ] as const) {
    const c = getOrCreateCounter(registry, { name, help, labelNames: ['venue'] as const });
    setCollect(c, () => {
      c.reset();
      for (const [venue, v] of Object.entries(tracker.stats().byVenue)) c.inc({ venue }, v[key]);
    });
  }
  const inFlight = getOrCreateGauge(registry, { name: 'sim_trading_trades_in_flight', help: 'trades with an order not final (or within tradeHoldMs)' });
  setCollect(inFlight, () => inFlight.set(tracker.stats().inFlightTrades));
  const max = getOrCreateGauge(registry, { name: 'sim_trading_max_concurrent_trades', help: 'most trades in flight at once since the last reset' });
  setCollect(max, () => max.set(tracker.stats().maxConcurrentTrades));
}

/** Prometheus view of the ground truth and the competition: windows opened / closed / open, rival sweeps and fills. */
export function registerWorldMetrics(registry: Registry, world: SimWorld): void {
  const { windows, rivals } = world;
  const opened = getOrCreateCounter(registry, { name: 'sim_windows_opened_total', help: 'arbitrage windows opened, by cause', labelNames: ['cause'] as const });
  setCollect(opened, () => {
    opened.reset();
    for (const c of WINDOW_CAUSES) opened.inc({ cause: c }, windows.counters.byCause[c]);
  });
  const closed = getOrCreateCounter(registry, { name: 'sim_windows_closed_total', help: 'arbitrage windows closed, by reason', labelNames: ['reason'] as const });
  setCollect(closed, () => {
    closed.reset();
    for (const r of CLOSE_REASONS) closed.inc({ reason: r }, windows.counters.byClose[r]);
  });
  const open = getOrCreateGauge(registry, { name: 'sim_windows_open', help: 'arbitrage windows open now' });
  setCollect(open, () => open.set(windows.openCount));
  for (const [name, key, help] of [
    ['sim_rival_sweeps_total', 'sweeps', 'rival sweeps that traded'],
    ['sim_rival_scheduled_total', 'scheduled', 'rival reactions drawn (crossings answered)'],
    ['sim_rival_missed_total', 'missed', 'rivals that found the window gone when their time came'],
  ] as const) {
    const c = getOrCreateCounter(registry, { name, help });
    setCollect(c, () => {
      c.reset();
      c.inc(rivals.counters[key]);
    });
  }
  const fills = getOrCreateCounter(registry, { name: 'sim_rival_fills_total', help: 'rival orders that filled, per venue', labelNames: ['venue'] as const });
  setCollect(fills, () => {
    fills.reset();
    for (const [venue, n] of Object.entries(rivals.counters.fills)) fills.inc({ venue }, n);
  });
}
