import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from '@arb/service-kit';
import type { MirrorMetrics } from './redis-mirror';

export interface DetectorMetrics {
  booksReceived: Counter<'venue' | 'symbol'>;
  booksDropped: Counter<'reason'>;
  statusesReceived: Counter<'venue'>;
  /** Directed venue-pair evaluations. */
  evaluations: Counter<'symbol'>;
  /** Pairs left out or rejected, by reason (stale, not-live, no-edge, below-threshold, ...). */
  rejections: Counter<'symbol' | 'reason'>;
  /** `low-confidence` rejections again, by the confidence factor with the lowest value. */
  lowConfidence: Counter<'symbol' | 'factor'>;
  opportunities: Counter<'symbol' | 'buy' | 'sell'>;
  suppressed: Counter<'symbol'>;
  suppressionReleased: Counter<'symbol'>;
  /** All pairs of one book update, in microseconds. */
  evaluationLatency: Histogram;
  /** detectedTs - recvTs of the book that triggered the evaluation, in milliseconds. */
  bookToOpportunity: Histogram;
  publishAcks: Counter<'result'>;
  acksPending: Gauge;
  books: Gauge;
  mirror: MirrorMetrics;
  inventoryRefreshes: Counter<'result'>;
  /** Directed route evaluations by the A/B variant whose params were used. */
  variantEvaluations: Counter<'variant'>;
  /** Opportunities published by variant. */
  variantOpportunities: Counter<'variant'>;
  /** Runtime config revision the params in force were built from (0: file config only). */
  paramsRevision: Gauge;
  /** Runtime config documents whose params the evaluator could not use (the previous params stay). */
  paramsRejected: Counter;
  /** Share of routes per variant in force (`default` gets the rest). */
  variantShare: Gauge<'variant'>;
  /** Symbols this replica evaluates now. */
  ownedSymbols: Gauge;
  /** Changes of the owned set (dynamic partition), and the symbols gained or lost by them. */
  ownershipChanges: Counter;
  ownershipMoves: Counter<'direction'>;
  /** Live replicas of the group (dynamic partition). */
  partitionMembers: Gauge;
}

/**
 * Memoized label children of a counter: prom-client's `labels()` hashes its arguments on every call, which shows on a
 * path that runs for every book update. Label sets here are few (venues x symbols x reasons).
 */
export function labelCache<L extends string>(counter: Counter<L>): (a: string, b?: string) => Counter.Internal {
  const children = new Map<string, Counter.Internal>();
  return (a, b) => {
    const key = b === undefined ? a : `${a}\u0000${b}`;
    let c = children.get(key);
    if (c === undefined) {
      c = (b === undefined ? counter.labels(a) : counter.labels(a, b)) as Counter.Internal;
      children.set(key, c);
    }
    return c;
  };
}

const US_BUCKETS = [1, 2, 5, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500, 1000, 2500, 10_000];
const MS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

export function createDetectorMetrics(registry: Registry): DetectorMetrics {
  const mirrorWrites = getOrCreateCounter(registry, { name: 'detector_mirror_writes_total', help: 'Book keys written to Redis' });
  const mirrorErrors = getOrCreateCounter(registry, {
    name: 'detector_mirror_errors_total',
    help: 'Book keys whose Redis write failed (retried with the next flush unless superseded)',
  });
  const mirrorSkipped = getOrCreateCounter(registry, {
    name: 'detector_mirror_skipped_flushes_total',
    help: 'Mirror flushes skipped: Redis not ready, or the previous flush still running',
    labelNames: ['reason'],
  });
  const mirrorDropped = getOrCreateCounter(registry, {
    name: 'detector_mirror_dropped_total',
    help: 'Book values not mirrored: pending set full, or expired while Redis was down',
    labelNames: ['reason'],
  });
  const mirrorPending = getOrCreateGauge(registry, { name: 'detector_mirror_pending', help: 'Book keys waiting for a flush' });
  return {
    booksReceived: getOrCreateCounter(registry, {
      name: 'detector_books_received_total',
      help: 'BookSnapshots received',
      labelNames: ['venue', 'symbol'],
    }),
    booksDropped: getOrCreateCounter(registry, {
      name: 'detector_books_dropped_total',
      help: 'BookSnapshots not used: older than the stored one, duplicate, received in the future or too long ago, implausible seq jump, not owned, unknown market, subject mismatch',
      labelNames: ['reason'],
    }),
    statusesReceived: getOrCreateCounter(registry, {
      name: 'detector_feed_statuses_received_total',
      help: 'FeedStatus messages received',
      labelNames: ['venue'],
    }),
    evaluations: getOrCreateCounter(registry, {
      name: 'detector_evaluations_total',
      help: 'Directed venue-pair evaluations',
      labelNames: ['symbol'],
    }),
    rejections: getOrCreateCounter(registry, {
      name: 'detector_rejections_total',
      help: 'Directed pairs left out or rejected, by reason',
      labelNames: ['symbol', 'reason'],
    }),
    lowConfidence: getOrCreateCounter(registry, {
      name: 'detector_low_confidence_total',
      help: 'Pairs rejected for low confidence, by the weakest confidence factor (freshness, depth, persistence, health)',
      labelNames: ['symbol', 'factor'],
    }),
    opportunities: getOrCreateCounter(registry, {
      name: 'detector_opportunities_total',
      help: 'Opportunities published, by route',
      labelNames: ['symbol', 'buy', 'sell'],
    }),
    suppressed: getOrCreateCounter(registry, {
      name: 'detector_opportunities_suppressed_total',
      help: 'Candidates not re-published because an unchanged opportunity on the route is still valid',
      labelNames: ['symbol'],
    }),
    suppressionReleased: getOrCreateCounter(registry, {
      name: 'detector_suppression_released_total',
      help: 'Routes freed to publish again because the report of their last opportunity showed fills',
      labelNames: ['symbol'],
    }),
    evaluationLatency: getOrCreateHistogram(registry, {
      name: 'detector_evaluation_duration_us',
      help: 'Time to evaluate every venue pair of one book update (microseconds)',
      buckets: US_BUCKETS,
    }),
    bookToOpportunity: getOrCreateHistogram(registry, {
      name: 'detector_book_to_opportunity_ms',
      help: 'Opportunity detectedTs minus the receive time of the book update that produced it (milliseconds)',
      buckets: MS_BUCKETS,
    }),
    publishAcks: getOrCreateCounter(registry, {
      name: 'detector_publish_acks_total',
      help: 'JetStream PubAcks of published opportunities: ok, duplicate, failed',
      labelNames: ['result'],
    }),
    acksPending: getOrCreateGauge(registry, { name: 'detector_publish_acks_pending', help: 'Opportunity PubAcks not yet received' }),
    books: getOrCreateGauge(registry, { name: 'detector_books', help: '(venue, symbol) books held in memory' }),
    mirror: {
      written: (n) => mirrorWrites.inc(n),
      failed: (n) => mirrorErrors.inc(n),
      skipped: (reason) => mirrorSkipped.labels(reason).inc(),
      dropped: (reason, n) => mirrorDropped.labels(reason).inc(n),
      pending: (n) => mirrorPending.set(n),
    },
    inventoryRefreshes: getOrCreateCounter(registry, {
      name: 'detector_inventory_refreshes_total',
      help: 'Inventory reads from Redis: ok or failed',
      labelNames: ['result'],
    }),
    variantEvaluations: getOrCreateCounter(registry, {
      name: 'detector_variant_evaluations_total',
      help: 'Directed route evaluations, by the A/B variant whose params were used',
      labelNames: ['variant'],
    }),
    variantOpportunities: getOrCreateCounter(registry, {
      name: 'detector_variant_opportunities_total',
      help: 'Opportunities published, by A/B variant',
      labelNames: ['variant'],
    }),
    paramsRevision: getOrCreateGauge(registry, {
      name: 'detector_params_revision',
      help: 'Runtime config revision the detection params in force were built from (0: file config only)',
    }),
    paramsRejected: getOrCreateCounter(registry, {
      name: 'detector_params_rejected_total',
      help: 'Runtime config documents whose params the opportunity math cannot use (the previous params stay in force)',
    }),
    variantShare: getOrCreateGauge(registry, {
      name: 'detector_variant_share',
      help: 'Share of routes evaluated with each A/B variant (default: the rest)',
      labelNames: ['variant'],
    }),
    ownedSymbols: getOrCreateGauge(registry, { name: 'detector_owned_symbols', help: 'Symbols this replica evaluates now (its partition share)' }),
    ownershipChanges: getOrCreateCounter(registry, {
      name: 'detector_ownership_changes_total',
      help: 'Changes of the owned symbol set (dynamic partition: a replica joined, died or left)',
    }),
    ownershipMoves: getOrCreateCounter(registry, {
      name: 'detector_ownership_moves_total',
      help: 'Symbols gained or lost by ownership changes',
      labelNames: ['direction'],
    }),
    partitionMembers: getOrCreateGauge(registry, { name: 'detector_partition_members', help: 'Live detector replicas sharing the symbols (dynamic partition)' }),
  };
}
