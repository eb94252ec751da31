// Feeds: are the books live and fresh, how fast do they update, what breaks (gaps, resyncs, reconnects, rejected
// frames) and how long does a frame take to become a published BookSnapshot. Sources: feed-ingestor (feed_*),
// detector (detector_books_received_total) and stats (stats_feeds: the FeedStatus view).
import { bargauge, dashboard, q, quantiles, row, stat, timeseries, variable } from './builders.mjs';

const VS = '{venue=~"$venue",symbol=~"$symbol"}';
const V = '{venue=~"$venue"}';
const RI = '$__rate_interval';

export default dashboard({
  uid: 'arb-feeds',
  title: 'Arb / Feeds',
  description: 'Market-data feeds: book liveness and age, update rates, gaps/resyncs/reconnects, ingest latency',
  tags: ['feeds'],
  variables: [variable('venue', 'Venue', 'feed_book_live', 'venue'), variable('symbol', 'Symbol', 'feed_book_live', 'symbol')],
  panels: [
    row('Health'),
    stat('Books live', [q(`sum(feed_book_live${VS})`, 'live'), q(`count(feed_book_live${VS})`, 'books')], {
      description: 'feed_book_live: 1 when a (venue, symbol) book is synced, fresh and valid',
    }),
    stat('Venues live (FeedStatus)', [q('max by (kind, state) (stats_feeds)', '{{kind}} {{state}}')], {
      w: 6,
      description:
        'stats service view of md.status.*, monitored / live: venues, pairs (symbols watched on 2+ venues) and venue_symbols (each venue/symbol feed)',
    }),
    timeseries('Book live (1) / not live (0)', [q(`max by (venue, symbol) (feed_book_live${VS})`, '{{venue}} {{symbol}}')], {
      w: 14,
      h: 4,
      min: 0,
      max: 1,
      stepped: true,
      calcs: ['min', 'lastNotNull'],
    }),
    timeseries('Book age (ms)', [q(`max by (venue, symbol) (feed_book_age_ms${VS})`, '{{venue}} {{symbol}}')], {
      w: 24,
      unit: 'ms',
      description: 'Milliseconds since each book last changed or was confirmed (feed_book_age_ms); the detector treats books older than detector.stalenessMs as stale',
    }),
    row('Update rates'),
    timeseries('Book changes applied /s', [q(`sum by (venue, symbol) (rate(feed_updates_total${VS}[${RI}]))`, '{{venue}} {{symbol}}')], { unit: 'ops' }),
    timeseries('BookSnapshots published /s', [q(`sum by (venue, symbol) (rate(feed_books_published_total${VS}[${RI}]))`, '{{venue}} {{symbol}}')], {
      unit: 'ops',
      description: 'feed_books_published_total; fewer than changes applied when several changes coalesce into one snapshot',
    }),
    timeseries(
      'Coalesced and received by the detector /s',
      [
        q(`sum by (venue) (rate(feed_books_coalesced_total${V}[${RI}]))`, 'coalesced {{venue}}'),
        q(`sum by (venue) (rate(detector_books_received_total${VS}[${RI}]))`, 'detector received {{venue}}'),
      ],
      { unit: 'ops' },
    ),
    row('Gaps and resyncs'),
    timeseries('Feed incidents', [q(`sum by (venue, kind) (increase(feed_venue_events_total${V}[${RI}]))`, '{{venue}} {{kind}}')], {
      w: 10,
      bars: true,
      stack: true,
      description: 'feed_venue_events_total by kind: gaps, resyncs, reconnects, checksumFailures (per interval)',
    }),
    bargauge('Incidents in range', [q(`sum by (venue, kind) (increase(feed_venue_events_total${V}[$__range]))`, '{{venue}} {{kind}}', { instant: true })], {
      w: 6,
    }),
    timeseries('Rejected venue frames /s', [q(`sum by (venue) (rate(feed_rejected_messages_total${V}[${RI}]))`, '{{venue}}')], {
      unit: 'ops',
      description: 'Malformed, corrupt or unexpected venue frames (feed_rejected_messages_total); each also forces a resync',
    }),
    row('Latency'),
    timeseries('Venue event → local receive (ms)', quantiles('feed_venue_latency_ms', ['venue'], [0.5, 0.99], V), {
      w: 12,
      unit: 'ms',
      description: 'feed_venue_latency_ms: receive time minus the venue event time; crosses clocks, indicative only',
    }),
    timeseries('Receive → BookSnapshot published (ms)', quantiles('feed_publish_latency_ms', ['venue'], [0.5, 0.99, 0.999], V), {
      w: 12,
      unit: 'ms',
      description: 'feed_publish_latency_ms: frame received to snapshot published, inside the ingestor',
    }),
  ],
});
