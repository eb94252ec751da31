import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from '@arb/service-kit';

export interface FeedMetrics {
  updates: Counter<'venue' | 'symbol'>;
  published: Counter<'venue' | 'symbol'>;
  coalesced: Counter<'venue'>;
  invalidBooks: Counter<'venue' | 'symbol' | 'rule'>;
  rejected: Counter<'venue'>;
  venueEvents: Counter<'venue' | 'kind'>;
  venueLatency: Histogram<'venue'>;
  publishLatency: Histogram<'venue'>;
  bookAge: Gauge<'venue' | 'symbol'>;
  live: Gauge<'venue' | 'symbol'>;
  resyncFailures: Gauge<'venue' | 'symbol'>;
}

const MS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

export function createFeedMetrics(registry: Registry): FeedMetrics {
  return {
    updates: getOrCreateCounter(registry, {
      name: 'feed_updates_total',
      help: 'Book changes applied from the venue feed',
      labelNames: ['venue', 'symbol'],
    }),
    published: getOrCreateCounter(registry, {
      name: 'feed_books_published_total',
      help: 'BookSnapshots published',
      labelNames: ['venue', 'symbol'],
    }),
    coalesced: getOrCreateCounter(registry, {
      name: 'feed_books_coalesced_total',
      help: 'Book states replaced by a newer one before publishing',
      labelNames: ['venue'],
    }),
    invalidBooks: getOrCreateCounter(registry, {
      name: 'feed_invalid_books_total',
      help: 'Books that failed the invariant check and were not published',
      labelNames: ['venue', 'symbol', 'rule'],
    }),
    rejected: getOrCreateCounter(registry, {
      name: 'feed_rejected_messages_total',
      help: 'Venue frames rejected (malformed, corrupt, unexpected)',
      labelNames: ['venue'],
    }),
    venueEvents: getOrCreateCounter(registry, {
      name: 'feed_venue_events_total',
      help: 'Feed incidents by kind: gaps, resyncs, reconnects, checksum failures',
      labelNames: ['venue', 'kind'],
    }),
    venueLatency: getOrCreateHistogram(registry, {
      name: 'feed_venue_latency_ms',
      help: 'Local receive time minus venue event time (crosses clocks: indicative only)',
      labelNames: ['venue'],
      buckets: MS_BUCKETS,
    }),
    publishLatency: getOrCreateHistogram(registry, {
      name: 'feed_publish_latency_ms',
      help: 'Frame received to BookSnapshot published, in this process',
      labelNames: ['venue'],
      buckets: MS_BUCKETS,
    }),
    bookAge: getOrCreateGauge(registry, {
      name: 'feed_book_age_ms',
      help: 'Milliseconds since the book last changed or was confirmed',
      labelNames: ['venue', 'symbol'],
    }),
    live: getOrCreateGauge(registry, {
      name: 'feed_book_live',
      help: '1 when the book is live (synced, fresh, valid), else 0',
      labelNames: ['venue', 'symbol'],
    }),
    resyncFailures: getOrCreateGauge(registry, {
      name: 'feed_resync_failures',
      help: 'Failed sync attempts in a row of a book not in sync (each retry waits the resync backoff)',
      labelNames: ['venue', 'symbol'],
    }),
  };
}
