import type { Logger } from '@arb/service-kit';
import type { InflightRecord } from '../inflight/record';
import type { InflightStore } from '../inflight/store';
import type { ExecutorMetrics } from '../metrics';
import type { Warn } from '../pipeline/context';
import { LateFillWatch } from './late-fills';
import { OrderTracker } from './order-tracker';

export interface LateFillWiringOptions {
  inflight: InflightStore;
  metrics: ExecutorMetrics;
  log: Logger;
  warn: Warn;
  windowMs: number;
  maxTrades: number;
  /** A trade whose record is still there is re-opened again this long later (up to 3 tries). */
  retryMs: number;
  now(): number;
}

/**
 * The order tracker with its late-fill watch: private-stream updates nobody follows are checked against what this
 * process journaled; more fill than journaled is logged and hands the trade back to the sweeper (its record re-created,
 * marked followUp, when none is there); updates of no trade of this process are counted and logged at debug.
 */
export function lateFillTracking(o: LateFillWiringOptions): { tracker: OrderTracker; lateFills: LateFillWatch } {
  const reopen = async (record: InflightRecord, tries: number): Promise<void> => {
    record.followUp = true;
    const created = await o.inflight.putIfAbsent(record).catch((err: unknown) => {
      o.warn('reopen', { err, oppId: record.opp.id }, 'could not re-open a trade for a late fill');
      return true;
    });
    if (!created && tries > 1) setTimeout(() => void reopen(record, tries - 1), o.retryMs).unref();
  };
  const lateFills = new LateFillWatch({
    windowMs: o.windowMs,
    maxTrades: o.maxTrades,
    now: o.now,
    onLate: (record, state, journaledQty) => {
      o.metrics.lateFills.labels(state.venue).inc();
      o.log.warn(
        { oppId: record.opp.id, venue: state.venue, clientOrderId: state.clientOrderId, status: state.status, filledQty: state.filledQty, journaledQty },
        'late fill report: the venue filled more than was journaled; following the trade up',
      );
      void reopen(record, 3);
    },
  });
  const tracker = new OrderTracker((venue, state) => {
    if (lateFills.update(state)) return;
    o.metrics.orderUpdatesUnmatched.labels(venue).inc();
    o.log.debug({ venue, clientOrderId: state.clientOrderId, status: state.status, filledQty: state.filledQty }, 'order update of no trade of this executor');
  });
  return { tracker, lateFills };
}
