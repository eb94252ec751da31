// Detection: opportunities by route, how fast a book update becomes an opportunity (distribution), what the
// detector evaluates and why pairs are left out, and whether publishing keeps up. Sources: detector (detector_*),
// executor intake (executor_opportunities_received_total).
// No net-edge histogram is exported by the detector yet: the distribution panels use detector_book_to_opportunity_ms.
import { bargauge, dashboard, heatmap, q, quantiles, row, stat, timeseries, variable } from './builders.mjs';

const S = '{symbol=~"$symbol"}';
const RI = '$__rate_interval';

export default dashboard({
  uid: 'arb-detection',
  title: 'Arb / Detection',
  description: 'Opportunities by route, book→opportunity latency distribution, evaluations and rejections, publishing',
  tags: ['detection'],
  variables: [variable('symbol', 'Symbol', 'detector_evaluations_total', 'symbol')],
  panels: [
    row('Opportunities'),
    stat('Opportunities in range', [q(`sum(increase(detector_opportunities_total${S}[$__range]))`, 'published')], { w: 4, h: 8, decimals: 0 }),
    timeseries(
      'Opportunities by route (/min)',
      [q(`sum by (symbol, buy, sell) (rate(detector_opportunities_total${S}[${RI}])) * 60`, '{{symbol}} buy {{buy}} → sell {{sell}}')],
      { w: 12, bars: true, stack: true, description: 'detector_opportunities_total{symbol,buy,sell}' },
    ),
    bargauge(
      'Opportunities by route (in range)',
      [q(`sum by (symbol, buy, sell) (increase(detector_opportunities_total${S}[$__range]))`, '{{symbol}} {{buy}} → {{sell}}', { instant: true })],
      { w: 8 },
    ),
    timeseries(
      'Published vs taken by executors (/s)',
      [
        q(`sum(rate(detector_opportunities_total${S}[${RI}]))`, 'published'),
        q(`sum by (result) (rate(detector_publish_acks_total[${RI}]))`, 'JetStream ack {{result}}'),
        q(`sum(rate(executor_opportunities_received_total[${RI}]))`, 'taken by executors'),
      ],
      { unit: 'ops' },
    ),
    timeseries(
      'Suppressed re-publications (/s)',
      [q(`sum by (symbol) (rate(detector_opportunities_suppressed_total${S}[${RI}]))`, '{{symbol}}')],
      { unit: 'ops', description: 'Candidates not re-published because an unchanged opportunity on the route is still valid' },
    ),
    timeseries('Opportunities by A/B variant (/min)', [q(`sum by (variant) (rate(detector_variant_opportunities_total[${RI}])) * 60`, '{{variant}}')], {
      bars: true,
      stack: true,
    }),
    row('Latency distribution'),
    heatmap('Book update → opportunity (ms)', `sum by (le) (increase(detector_book_to_opportunity_ms_bucket[${RI}]))`, {
      unit: 'ms',
      description: 'detector_book_to_opportunity_ms: opportunity detectedTs minus the receive time of the book update that produced it',
    }),
    timeseries('Book update → opportunity quantiles (ms)', quantiles('detector_book_to_opportunity_ms', [], [0.5, 0.9, 0.99]), { w: 12, unit: 'ms' }),
    row('Evaluation'),
    timeseries('Directed pair evaluations (/s)', [q(`sum by (symbol) (rate(detector_evaluations_total${S}[${RI}]))`, '{{symbol}}')], { unit: 'ops' }),
    timeseries('Pairs left out or rejected, by reason (/s)', [q(`sum by (reason) (rate(detector_rejections_total${S}[${RI}]))`, '{{reason}}')], {
      unit: 'ops',
      stack: true,
      description: 'stale, not-live, no-edge, below-threshold, low-confidence, ...',
    }),
    timeseries('Evaluation time per book update (µs)', quantiles('detector_evaluation_duration_us', [], [0.5, 0.99, 0.999]), {
      unit: 'µs',
      description: 'detector_evaluation_duration_us: every venue pair of one book update',
    }),
    timeseries(
      'Books held, acks and mirror backlog',
      [q('sum(detector_books)', 'books held'), q('sum(detector_publish_acks_pending)', 'PubAcks pending'), q('sum(detector_mirror_pending)', 'mirror keys pending')],
      {},
    ),
    timeseries(
      'Redis book mirror (/s)',
      [q(`sum(rate(detector_mirror_writes_total[${RI}]))`, 'written'), q(`sum(rate(detector_mirror_errors_total[${RI}]))`, 'failed')],
      { unit: 'ops' },
    ),
    timeseries(
      'Input dropped (/s)',
      [q(`sum by (reason) (rate(detector_books_dropped_total[${RI}]))`, 'book {{reason}}'), q(`sum(rate(detector_params_rejected_total[${RI}]))`, 'runtime params rejected')],
      { unit: 'ops' },
    ),
  ],
});
