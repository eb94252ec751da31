import { validators, type BookSnapshot, type ExecutionReport, type FeedStatus, type Opportunity, type OpportunityFactors } from '@arb/contracts';
import { createMetricsRegistry, defaultRuntimeConfig } from '@arb/service-kit';
import { Detector, type SymbolOwner } from './detector';
import type { RouteEvaluator, RouteInput } from './evaluator';
import { FeedHealth } from './feed-health';
import { ConfigInventory } from './inventory';
import { MarketTable } from './markets';
import { createDetectorMetrics } from './metrics';
import type { DetectorParams } from './params';
import { ParamsHolder } from './params-holder';
import { buildParamsSet } from './params-set';
import { SymbolPartition } from '@arb/domain';

const SYMBOL = 'BTC-USDT';

/** The factors an evaluation reports (limits = touched levels + an allowance of 0.01). */
const factors = (buyTouched: string, sellTouched: string): OpportunityFactors => ({
  freshness: 1,
  depth: 0.99,
  persistence: 0.9,
  health: 1,
  volBps: 2,
  premiumBps: 2,
  thresholdBps: 3,
  marketability: { buyTouched, sellTouched, buyBps: 1, sellBps: 1, netAtLimitsQuote: '1.48' },
  sizeBeforeHaircut: '1',
});

/**
 * Stand-in math: an edge when the buy venue's best ask is below the sell venue's best bid; size 1; limits 0.01 beyond
 * the touched levels. A sell bid of 100.9 is a low-confidence rejection blamed on freshness.
 */
class FakeEvaluator implements RouteEvaluator<{ bid: string; ask: string }> {
  readonly inputs: Array<RouteInput<{ bid: string; ask: string }>> = [];
  observed = 0;
  size = '1';
  allowance = 0.01;
  prepare(b: BookSnapshot) {
    return { bid: b.bids[0]?.[0] ?? '0', ask: b.asks[0]?.[0] ?? '0' };
  }
  observe() {
    this.observed++;
  }
  evaluate(input: RouteInput<{ bid: string; ask: string }>) {
    this.inputs.push(input);
    const ask = input.buy.parsed.ask;
    const bid = input.sell.parsed.bid;
    if (!(Number(ask) < Number(bid))) return { ok: false as const, reason: 'no-edge' };
    if (bid === '100.9') return { ok: false as const, reason: 'low-confidence', weakest: 'freshness' };
    return {
      ok: true as const,
      candidate: {
        size: this.size,
        buy: { limitPrice: (Number(ask) + this.allowance).toFixed(2), vwap: ask },
        sell: { limitPrice: (Number(bid) - this.allowance).toFixed(2), vwap: bid },
        grossEdgeBps: '10',
        netEdgeBps: '5',
        profitQuote: '1.5',
        profitUsd: '1.5',
        confidence: 0.9,
        factors: factors(ask, bid),
      },
    };
  }
}

const live = (venue: string): FeedStatus => ({
  v: 1,
  venue,
  state: 'live',
  ts: 0,
  symbols: { [SYMBOL]: { state: 'live', bookAgeMs: 1, venueSeq: 1 } },
  counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
});

const rules = { takerFee: '0.001', minSize: '0.001', maxSize: '10', lotStep: '0.001', tick: '0.01', minNotional: '1' };

function setup(opts: { partition?: SymbolOwner } = {}) {
  let clock = 10_000;
  const seqs = new Map<string, number>();
  const book = (venue: string, bid: string, ask: string, age = 0, symbol = SYMBOL): BookSnapshot => {
    const seq = (seqs.get(venue) ?? 0) + 1;
    seqs.set(venue, seq);
    return { v: 1, venue, symbol, seq, venueSeq: seq, venueTs: null, recvTs: clock - age, pubTs: clock, bids: [[bid, '1']], asks: [[ask, '1']] };
  };
  const registry = createMetricsRegistry({ service: 'detector-test', defaultMetrics: false });
  const metrics = createDetectorMetrics(registry);
  const published: Opportunity[] = [];
  const mirrored: BookSnapshot[] = [];
  const warnings: string[] = [];
  const evaluator = new FakeEvaluator();
  const params: DetectorParams = {
    version: 1,
    variant: 'default',
    minProfitPct: '0.01',
    minProfitUsd: '0.1',
    riskLimitPerTrade: '1000',
    minConfidence: 0.6,
    stalenessMs: 1000,
    executionWindowMs: 500,
    usdPegs: { USDT: '1' },
    volatility: {},
    risk: {},
    confidence: {},
    edges: {},
    marketability: {},
    suppression: { sizeTolerance: 0.1, minIntervalMs: 0, releaseOnReport: true },
  };
  const holder = new ParamsHolder(params);
  const feedHealth = new FeedHealth({ required: true, timeoutMs: 3000 });
  const detector = new Detector({
    evaluator,
    params: holder,
    markets: new MarketTable({ usdPegs: {}, venues: { va: rules, vb: rules, vc: rules } }),
    inventory: new ConfigInventory({}),
    feedHealth,
    partition: opts.partition ?? new SymbolPartition({ index: 0, count: 1 }),
    publish: (o) => published.push(validators.Opportunity.assert(o)),
    mirror: (b) => mirrored.push(b),
    metrics,
    now: () => clock,
    warn: (kind) => warnings.push(kind),
  });
  for (const v of ['va', 'vb', 'vc']) detector.onStatus(live(v));
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const data = await registry.getSingleMetric(name)?.get();
    return data?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;
  };
  return {
    detector,
    evaluator,
    published,
    mirrored,
    warnings,
    holder,
    feedHealth,
    book,
    metric,
    registry,
    tick: (ms: number) => (clock += ms),
    now: () => clock,
  };
}

describe('Detector core', () => {
  it('evaluates the updated venue against every other venue in both directions and publishes the edge', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.evaluator.inputs).toHaveLength(0);
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.evaluator.inputs.map((i) => `${i.buy.book.venue}>${i.sell.book.venue}`)).toEqual(['vb>va', 'va>vb']);
    expect(t.published).toHaveLength(1);
    const opp = t.published[0] as Opportunity;
    expect(opp).toMatchObject({
      symbol: SYMBOL,
      buy: { venue: 'va', limitPrice: '100.01', vwap: '100', size: '1' },
      sell: { venue: 'vb', limitPrice: '100.99', vwap: '101', size: '1' },
      factors: factors('100', '101'),
      detectedTs: t.now(),
      expiresTs: t.now() + 500,
      variant: 'default',
      books: { buy: { seq: 1 }, sell: { seq: 1 } },
    });
    t.detector.onBook(t.book('vc', '98', '99.5'));
    expect(t.evaluator.inputs).toHaveLength(6);
    // vc buys at 99.5 and sells to vb at 101: a second route.
    expect(t.published.map((o) => `${o.buy.venue}>${o.sell.venue}`)).toEqual(['va>vb', 'vc>vb']);
    expect(t.mirrored).toHaveLength(3);
    expect(await t.metric('detector_opportunities_total', { symbol: SYMBOL, buy: 'va', sell: 'vb' })).toBe(1);
    expect(await t.metric('detector_evaluations_total', { symbol: SYMBOL })).toBe(6);
    expect(await t.metric('detector_books_received_total', { venue: 'vc', symbol: SYMBOL })).toBe(1);
    expect(t.evaluator.observed).toBe(3);
  });

  it('does not re-publish an unchanged opportunity, but does once it expired or changed', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    t.tick(100);
    t.detector.onBook(t.book('vb', '101', '101.5'));
    // the allowance follows the edge on every tick: same touched levels and size are the same terms
    t.evaluator.allowance = 0.02;
    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.published).toHaveLength(1);
    expect(await t.metric('detector_opportunities_suppressed_total', { symbol: SYMBOL })).toBe(2);
    t.detector.onBook(t.book('vb', '101.2', '101.5'));
    expect(t.published).toHaveLength(2);
    t.tick(500);
    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.published).toHaveLength(3);
    const ids = new Set(t.published.map((o) => o.id));
    expect(ids.size).toBe(3);
  });

  it('publishes the same terms again on the next book once the report of the route\'s last opportunity shows fills', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    const opp = t.published[0] as Opportunity;
    const report = (filledQty: string, extra: Partial<ExecutionReport> = {}): ExecutionReport =>
      validators.ExecutionReport.assert({
        v: 1,
        id: `exec_${opp.id}`,
        oppId: opp.id,
        symbol: SYMBOL,
        status: filledQty === '0' ? 'expired' : 'filled',
        legs: [
          {
            role: 'buy', venue: 'va', side: 'buy', clientOrderId: 'c-b', venueOrderId: '1', limitPrice: '100.01', requestedQty: '1',
            filledQty, avgPrice: filledQty === '0' ? null : '100', fee: '0', feeAsset: 'USDT', status: filledQty === '0' ? 'unfilled' : 'filled',
            sentTs: 1, ackTs: 2, finalTs: 2,
          },
        ],
        realizedPnlQuote: '0', realizedPnlUsd: '0', residualBase: '0', residualUsd: '0', fencingToken: 1, executorId: 'e', variant: 'default',
        timings: { receivedTs: 1, ordersSentTs: 1, acksTs: 2, finalTs: 3 },
        ...extra,
      });
    t.tick(20);
    t.detector.onReport(report('0')); // nothing filled: the books did not change because of us
    t.detector.onReport({ ...report('1'), corrects: `exec_${opp.id}` }); // a correction is not the trade's report
    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.published).toHaveLength(1);
    t.detector.onReport(report('1'));
    expect(await t.metric('detector_suppression_released_total', { symbol: SYMBOL })).toBe(1);
    t.tick(1);
    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.published).toHaveLength(1); // vb's book is from before the report: it may still show what we took
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(2);
    expect(t.published[1]?.id).not.toBe(opp.id);
    t.detector.onReport(report('1')); // the route's last publish is now another opportunity
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(2);
  });

  it('counts every rejection by reason, and low-confidence also by the weakest factor', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '100.9', '101.5'));
    expect(t.published).toHaveLength(0);
    expect(await t.metric('detector_rejections_total', { symbol: SYMBOL, reason: 'low-confidence' })).toBe(1);
    expect(await t.metric('detector_rejections_total', { symbol: SYMBOL, reason: 'no-edge' })).toBe(1);
    expect(await t.metric('detector_low_confidence_total', { symbol: SYMBOL, factor: 'freshness' })).toBe(1);
  });

  it('leaves out stale books (by local receive time) and venues whose feed is not live', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100', 1001));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(0);
    expect(t.evaluator.inputs).toHaveLength(0);
    expect(await t.metric('detector_rejections_total', { symbol: SYMBOL, reason: 'stale' })).toBe(2);

    t.detector.onBook(t.book('va', '99', '100'));
    expect(t.published).toHaveLength(1);

    t.detector.onStatus({ ...live('vc'), symbols: { [SYMBOL]: { state: 'resyncing', bookAgeMs: 1, venueSeq: 1 } } });
    t.detector.onBook(t.book('vc', '98', '99'));
    expect(t.published).toHaveLength(1);
    expect(await t.metric('detector_rejections_total', { symbol: SYMBOL, reason: 'not-live' })).toBe(4);

    // The status goes silent: after its timeout the venue is no longer trusted.
    t.tick(3001);
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(1);
  });

  it('drops books it cannot use: unknown market, not owned, older, subject mismatch', async () => {
    const t = setup({ partition: new SymbolPartition({ index: 0, count: 1, symbols: [SYMBOL] }) });
    t.detector.onBook(t.book('zz', '99', '100'));
    t.detector.onBook(t.book('va', '99', '100', 0, 'ETH-USDT'));
    const b = t.book('va', '99', '100');
    t.detector.onBook(b);
    t.detector.onBook(b);
    t.detector.onBook(t.book('vb', '99', '100'), { venue: 'vc', symbol: SYMBOL });
    t.detector.onBook(t.book('vb', '99', '100'), null);
    expect(await t.metric('detector_books_dropped_total', { reason: 'unknown-market' })).toBe(1);
    expect(await t.metric('detector_books_dropped_total', { reason: 'not-owned' })).toBe(1);
    expect(await t.metric('detector_books_dropped_total', { reason: 'duplicate' })).toBe(1);
    expect(await t.metric('detector_books_dropped_total', { reason: 'subject-mismatch' })).toBe(2);
    expect(t.warnings).toContain('unknown-market:zz:BTC-USDT');
    expect(t.detector.books.size).toBe(1);
  });

  it('publishes nothing for a symbol once ownership of it is lost, and forgets its books', async () => {
    const owned = new Set([SYMBOL]);
    const t = setup({ partition: { owns: (s) => owned.has(s) } });
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(1);
    owned.delete(SYMBOL);
    t.detector.release([SYMBOL]);
    expect(t.detector.books.size).toBe(0);
    expect(await t.metric('detector_books')).toBe(0);
    t.tick(600); // the first opportunity expired: an owner would publish the route again
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(1);
    expect(await t.metric('detector_books_dropped_total', { reason: 'not-owned' })).toBe(2);
    owned.add(SYMBOL); // gained again: evaluates from the next books on
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published).toHaveLength(2);
  });

  it('refuses a book dated in the future (counted, warned once), and real books that follow still trade', async () => {
    const t = setup();
    const forged = { ...t.book('va', '50', '51'), seq: 2 ** 50, recvTs: t.now() + 3_600_000, pubTs: t.now() + 3_600_000 };
    t.detector.onBook(forged);
    t.detector.onBook(t.book('va', '100', '100.5'));
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(await t.metric('detector_books_dropped_total', { reason: 'future' })).toBe(1);
    expect(t.warnings).toContain('future:va:BTC-USDT');
    expect(t.detector.books.get('va', SYMBOL)?.book.seq).toBe(2);
    expect(t.published).toHaveLength(1);
    expect(t.published[0]?.buy.limitPrice).not.toBe('51');
  });

  it('reads the params once per update, so a live swap applies to the next update', () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    t.holder.set({ ...t.holder.current(), executionWindowMs: 50, variant: 'b' });
    t.detector.onBook(t.book('vb', '101', '101.5'));
    expect(t.published[0]).toMatchObject({ expiresTs: t.now() + 50, variant: 'b' });
    expect(t.evaluator.inputs[0]?.params.variant).toBe('b');
  });

  it('evaluates each route with the params of its A/B variant and stamps the variant on the opportunity', async () => {
    const t = setup();
    const symbols = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'ADA-USDT', 'XRP-USDT', 'DOT-USDT', 'LTC-USDT', 'TRX-USDT'];
    for (const v of ['va', 'vb', 'vc']) {
      t.detector.onStatus({ ...live(v), symbols: Object.fromEntries(symbols.map((s) => [s, { state: 'live' as const, bookAgeMs: 1, venueSeq: 1 }])) });
    }
    // Variant b: shorter window and a 300 ms staleness limit; the default share keeps 1000 ms.
    const rc = { ...defaultRuntimeConfig(), variants: [{ name: 'b', share: 0.5, params: { executionWindowMs: 50, stalenessMs: 300 } }] };
    const set = buildParamsSet(t.holder.current(), rc, { revision: 3, version: 2, bucketMs: 0 });
    t.holder.set(set);
    for (const s of symbols) {
      t.detector.onBook(t.book('va', '99', '100', 500, s)); // 500 ms old: stale for b only
      t.detector.onBook(t.book('vb', '101', '101.5', 0, s));
      t.detector.onBook(t.book('vc', '101', '101.5', 0, s));
    }
    const expected = symbols.flatMap((s) => ['vb', 'vc'].map((sell) => ({ s, sell, variant: set.variantOf(s, 'va', sell, t.now()) })));
    expect(new Set(expected.map((e) => e.variant))).toEqual(new Set(['default', 'b']));
    const published = expected.filter((e) => e.variant === 'default');
    expect(t.published.map((o) => `${o.symbol}:${o.buy.venue}>${o.sell.venue}`).sort()).toEqual(published.map((e) => `${e.s}:va>${e.sell}`).sort());
    for (const o of t.published) expect(o).toMatchObject({ variant: 'default', expiresTs: o.detectedTs + 500 });
    expect(await t.metric('detector_variant_opportunities_total', { variant: 'default' })).toBe(published.length);
    expect(await t.metric('detector_variant_opportunities_total', { variant: 'b' })).toBe(0);
    // Every direction of a pair with the 500 ms old va book: b's routes are left out as stale, default's evaluated.
    const bRoutes = symbols.flatMap((s) => ['vb', 'vc'].flatMap((o) => [set.variantOf(s, 'va', o, t.now()), set.variantOf(s, o, 'va', t.now())])).filter((v) => v === 'b').length;
    const stale = (await t.registry.getSingleMetric('detector_rejections_total')?.get())?.values.filter((v) => v.labels.reason === 'stale');
    expect(stale?.reduce((n, v) => n + v.value, 0)).toBe(bRoutes);

    // Fresh va books: b's routes now publish with b's params.
    t.tick(1);
    for (const s of symbols) t.detector.onBook(t.book('va', '99', '100', 0, s));
    const bOpps = t.published.filter((o) => o.variant === 'b');
    expect(bOpps.map((o) => `${o.symbol}:${o.buy.venue}>${o.sell.venue}`).sort()).toEqual(
      expected.filter((e) => e.variant === 'b').map((e) => `${e.s}:va>${e.sell}`).sort(),
    );
    for (const o of bOpps) expect(o.expiresTs).toBe(o.detectedTs + 50);
    expect(await t.metric('detector_variant_opportunities_total', { variant: 'b' })).toBe(bOpps.length);
    expect(await t.metric('detector_variant_evaluations_total', { variant: 'b' })).toBeGreaterThan(0);
    expect(t.evaluator.inputs.every((i) => i.params === set.forRoute(i.symbol, i.buy.book.venue, i.sell.book.venue, t.now()))).toBe(true);
  });

  it('records the evaluation latency and the book-to-opportunity latency', async () => {
    const t = setup();
    t.detector.onBook(t.book('va', '99', '100'));
    t.detector.onBook(t.book('vb', '101', '101.5', 3));
    const lat = await t.registry.getSingleMetric('detector_book_to_opportunity_ms')?.get();
    expect(lat?.values.find((v) => (v as { metricName?: string }).metricName === 'detector_book_to_opportunity_ms_sum')?.value).toBe(3);
    const ev = await t.registry.getSingleMetric('detector_evaluation_duration_us')?.get();
    expect(ev?.values.find((v) => (v as { metricName?: string }).metricName === 'detector_evaluation_duration_us_count')?.value).toBe(2);
  });
});
