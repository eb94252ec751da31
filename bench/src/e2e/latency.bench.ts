import { latencyRows, row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import { E2eStack } from '../stack/e2e-stack';
import { servicesUnavailable } from '../stack/services';
import type { BenchContext, BenchModule, BenchRow } from '../types';
import { measureWindow, type E2eWindow } from './window';

const GROUP = 'e2e';
const ALL_SERVICES = ['exchange-sim', 'feed-ingestor', 'detector', 'executor'] as const;

/** The e2e rates of this run: the default ones, plus the heavy ones with --heavy. */
export function e2eRates(ctx: BenchContext): number[] {
  const s = benchSettings(ctx.quick);
  return ctx.heavy ? [...s.e2eRates, ...s.e2eHeavyRates] : [...s.e2eRates];
}

/**
 * Venue frame → Opportunity → both orders on the wire through the whole real system (exchange-sim → 2
 * feed-ingestors → detector → executor → exchange-sim), a fresh stack per book-update rate (the sim's
 * `rate.levelUpdatesPerSec`, with jumps for arbitrage windows). Latencies come from the services' own stamps:
 * BookSnapshot.recvTs (carried in the Opportunity's books) → Opportunity.detectedTs → ExecutionReport.timings.
 */
export const e2eLatencyBench: BenchModule = {
  name: 'e2e.latency',
  group: GROUP,
  description: 'whole system: venue frame → opportunity → both orders sent, at fixed sim book-update rates (1k, 10k; 50k with --heavy)',
  unavailable: (ctx) => servicesUnavailable(ctx.root, ALL_SERVICES),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const out: BenchRow[] = [];
    for (const rate of e2eRates(ctx)) {
      ctx.log.info(`e2e @${rateLabel(rate)} level updates: stack up, ${s.e2eWarmupSeconds}s warm-up, ${s.e2eSeconds}s measured`);
      const stack = await E2eStack.start(ctx, { label: `e2e-${rateLabel(rate).replace('/s', '')}`, levelUpdatesPerSec: rate, jumpsPerMinute: s.e2eJumpsPerMinute, executor: true, executorSkipWhenBusy: true });
      try {
        await new Promise((r) => setTimeout(r, s.e2eWarmupSeconds * 1000));
        out.push(...e2eRows(rate, await measureWindow(stack, s.e2eSeconds)));
      } finally {
        await stack.stop();
      }
    }
    return out;
  },
};

/** Rows of one e2e window at a sim rate. */
export function e2eRows(rate: number, w: E2eWindow): BenchRow[] {
  const at = `@${rateLabel(rate)}`;
  const status = w.incidents.length > 0 ? 'failed' : 'ok';
  const outcome = Object.entries(w.statuses)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const flow = `${w.opportunities} opportunities, ${w.trades} trades (${outcome || 'none'}) in ${w.seconds.toFixed(0)} s${w.incidents.length > 0 ? `; PROBLEMS: ${w.incidents.join('; ')}` : ''}`;
  // A row without samples keeps the window's story (e.g. every opportunity skipped, and why).
  const mark = (rows: BenchRow[]): BenchRow[] => rows.map((x) => (x.value === null ? { ...x, note: `no samples; ${flow}` } : { ...x, status }));
  return [
    row({
      group: GROUP,
      name: `sim book changes/s ${at}`,
      value: w.rates.changes,
      unit: 'updates/s',
      status,
      note: `${at} = sim rate.levelUpdatesPerSec; it made ${Math.round(w.rates.levelUpdates)} level updates/s (quote moves and jumps re-quote several levels at once) over 2 venues x 2 symbols; ingestors applied ${Math.round(w.rates.applied)} diffs/s and published ${Math.round(w.rates.books)} books/s`,
    }),
    ...mark(latencyRows(GROUP, `frame→both orders sent ${at}`, w.frameToOrders, { note: `recvTs → ordersSentTs; ${flow}` })),
    ...mark(latencyRows(GROUP, `frame→opportunity ${at}`, w.frameToOpp, { note: `recvTs of the triggering book → detectedTs, n=${w.frameToOpp.count}` })),
    ...mark(latencyRows(GROUP, `opportunity→executor received ${at}`, w.oppToExecutor, { percentiles: ['p50', 'p99'], note: 'detectedTs → receivedTs (JetStream work queue)' })),
    ...mark(latencyRows(GROUP, `executor received→orders sent ${at}`, w.executorHot, { percentiles: ['p50', 'p99'], note: 'onBusy=skip: no trade waits for a busy route/slot' })),
    ...mark(
      latencyRows(GROUP, `frame→BookSnapshot at a subscriber ${at}`, w.book.recv, {
        percentiles: ['p50', 'p99', 'p999'],
        note: `every book on md.book.> (n=${w.book.recv.count}): now − recvTs in a separate process`,
      }),
    ),
  ];
}
