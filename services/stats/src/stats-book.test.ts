import Big from 'big.js';
import type { FeedStatus } from '@arb/contracts';
import { StatsBook, type ExecutorProbe, type StatsBookOptions } from './stats-book';
import { OTHER_KEY } from './bounded';
import { leg, opportunity, report, REPORT_A, REPORT_B, REPORT_C, REPORT_E } from '../test/fixtures';

const options = (o: Partial<StatsBookOptions> = {}): StatsBookOptions => ({
  usdPegs: { USD: '1', USDT: '1', USDC: '1' },
  maxKeysPerScope: 50,
  maxTrackedReportIds: 1000,
  timeseries: { intervalMs: 5000, points: 720 },
  feeds: { timeoutMs: 5000, maxVenues: 10, maxSymbolsPerVenue: 10 },
  executorStaleMs: 3000,
  startedTs: 0,
  ...o,
});

const HOUR = 3_600_000;

describe('StatsBook: hand-computed totals per scope', () => {
  const book = new StatsBook(options());
  const now = 1000 + 2 * HOUR;
  expect(book.addReport(REPORT_A, now)).toBe('added');
  expect(book.addReport(REPORT_B, now)).toBe('added');
  expect(book.addReport(REPORT_C, now)).toBe('added');
  expect(book.addReport({ ...REPORT_A }, now)).toBe('duplicate');
  expect(book.addReport(REPORT_E, now)).toBe('added');
  book.addOpportunity(opportunity({ id: 'opp_00000001' }), now);
  book.addOpportunity(opportunity({ id: 'opp_00000002' }), now);
  book.addOpportunity(
    opportunity({
      id: 'opp_00000003',
      symbol: 'ETH-USDT',
      variant: 'b',
      buy: { venue: 'coinbase', limitPrice: '1', vwap: '1', size: '1' },
      sell: { venue: 'binance', limitPrice: '1', vwap: '1', size: '1' },
    }),
    now,
  );
  const s = book.snapshot(now);

  it('counts reports by outcome and de-duplicates by report id', () => {
    expect(s.journal).toEqual({ accepted: 4, duplicates: 1, invalid: 0 });
    const o = s.overall;
    expect([o.reports, o.executed, o.successful, o.partial, o.recovered, o.failed, o.notExecuted]).toEqual([4, 3, 2, 0, 1, 0, 1]);
    expect(o.byStatus).toMatchObject({ filled: 2, hedged: 1, skipped: 1, failed: 0 });
    expect(o.successRate).toBeCloseTo(2 / 3, 12);
    expect(o.opportunities).toBe(3);
  });

  it('overall money is exact', () => {
    const o = s.overall;
    // 0.5×65000.01 + 0.5×65100 + 2×3500 + 2×3498.5 + (0.05 + 0.0502)×65000
    expect(o.volumeUsd).toBe('85560.005');
    expect(o.netProfitUsd).toBe('-40.585');
    // 0.0005 BTC × 65000.01 + 19.53 + 42 + 0.00005 BTC × 65000 + 0.001 ETH × 0.0502 × 65000; BNB unpriced
    expect(o.feesUsd).toBe('100.543005');
    expect(o.grossProfitUsd).toBe('59.958005');
    expect(o.feesByAsset).toEqual({ BNB: '0.01', BTC: '0.00055', ETH: '0.001', USDT: '61.53' });
    expect(o.feesUnpriced).toEqual({ BNB: '0.01' });
    expect(o.avgProfitPerTradeUsd).toBe('-13.52833333');
    // the two filled trades: (-2.085 + 6.5) / 2
    expect(o.avgProfitPerSuccessfulTradeUsd).toBe('2.2075');
    // -40.585 / 85560.005 × 10^4, half-up to 8 places
    expect(o.profitRateBps).toBe('-4.74345461');
    // first executed trade received at 1000, now = 1000 + 2 h
    expect(o.profitPerHourUsd).toBe('-20.2925');
    expect(o.residualUsd).toBe('-32.55');
    expect(o.residualBase).toBeUndefined();
    expect(o.avgExecutionMs).toBeCloseTo((250.5 + 400 + 100) / 3, 9);
    expect(o.maxExecutionMs).toBe(400);
    expect(o.avgSendLatencyMs).toBeCloseTo((0.25 + 0.75 + 0.5) / 3, 9);
    expect(o.unpricedTrades).toBe(0);
    expect([o.firstTradeTs, o.lastTradeTs]).toEqual([1000, 4100]);
  });

  it('per venue: trades it took part in, volume and fees of its own legs only', () => {
    const b = s.venues.binance!;
    const c = s.venues.coinbase!;
    expect([b.reports, b.executed, b.successful, b.recovered, b.opportunities]).toEqual([3, 3, 2, 1, 3]);
    expect(b.volumeUsd).toBe('42747.005');
    expect(c.volumeUsd).toBe('42813');
    expect(new Big(b.volumeUsd).plus(c.volumeUsd).toFixed()).toBe(s.overall.volumeUsd);
    expect(b.feesUsd).toBe('35.750005');
    expect(c.feesUsd).toBe('64.793');
    expect(b.feesUnpriced).toEqual({ BNB: '0.01' });
    expect(b.netProfitUsd).toBe('-40.585');
    expect(b.profitRateBps).toBe('-9.4942324'); // the trades' PnL over this venue's own volume
    expect(b.avgProfitPerSuccessfulTradeUsd).toBe('2.2075');
    expect(b.residualUsd).toBeUndefined();
    expect(Object.keys(s.venues)).toEqual(['binance', 'coinbase']);
  });

  it('per route, symbol and variant', () => {
    expect(Object.keys(s.routes)).toEqual(['BTC-USDT:binance>coinbase', 'ETH-BTC:binance>coinbase', 'ETH-USDT:coinbase>binance']);
    const r = s.routes['BTC-USDT:binance>coinbase']!;
    expect([r.reports, r.executed, r.successful, r.opportunities]).toEqual([1, 1, 1, 2]);
    expect(r.volumeQuote).toBe('65050.005');
    expect(r.grossProfitUsd).toBe('49.945005');
    expect(r.residualBase).toBe('-0.0005');
    expect(r.profitRateBps).toBe('-0.32052265');
    expect(r.avgProfitPerSuccessfulTradeUsd).toBe('-2.085');
    const btc = s.symbols['BTC-USDT']!;
    expect([btc.reports, btc.executed, btc.notExecuted, btc.opportunities]).toEqual([2, 1, 1, 2]);
    expect(btc.residualBase).toBe('-0.0005');
    expect(btc.residualUsd).toBe('-32.55');
    expect(btc.netProfitQuote).toBe('-2.085');
    expect(btc.successRate).toBe(1);
    const ethBtc = s.symbols['ETH-BTC']!;
    expect(ethBtc.volumeQuote).toBe('0.1002');
    expect(ethBtc.volumeUsd).toBe('6513');
    expect(ethBtc.feesUsd).toBe('6.513');
    const eth = s.routes['ETH-USDT:coinbase>binance']!;
    expect(eth.grossProfitUsd).toBe('-3');
    expect(eth.opportunities).toBe(1);
    expect(s.variants.default!.reports).toBe(3);
    expect(s.variants.b!.reports).toBe(1);
    expect(s.variants.b!.netProfitUsd).toBe('-45');
    expect(s.variants.b!.feesUsd).toBe('42');
    expect(s.variants.b!.profitRateBps).toBe('-32.14974637');
    expect(s.variants.b!.avgProfitPerSuccessfulTradeUsd).toBeNull(); // hedged only
    expect(s.variants.b!.avgProfitPerTradeUsd).toBe('-45');
  });

  it('the time series ends at the overall net PnL', () => {
    const ts = book.timeseries(now);
    expect(ts.points).toHaveLength(720);
    expect(ts.points.at(-1)!.netProfitUsd).toBe(s.overall.netProfitUsd);
  });
});

describe('StatsBook: edge cases', () => {
  it('sums tiny decimals exactly', () => {
    const book = new StatsBook(options());
    for (let i = 0; i < 1000; i++) {
      book.addReport(
        report({
          id: `tiny_${i}`,
          legs: [leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '0.00000001', avgPrice: '0.1', fee: '0.00000001', feeAsset: 'USDT' })],
          realizedPnlQuote: '0.00000001',
          realizedPnlUsd: '0.00000001',
        }),
        5000,
      );
    }
    const o = book.snapshot(5000).overall;
    expect(o.netProfitUsd).toBe('0.00001');
    expect(o.volumeUsd).toBe('0.000001');
    expect(o.feesUsd).toBe('0.00001');
  });

  it('a quote asset without peg or implied rate leaves volume unpriced but the quote totals exact', () => {
    const book = new StatsBook(options({ usdPegs: {} }));
    book.addReport(
      report({ id: 'x', legs: [leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '1', avgPrice: '10', fee: '0.1', feeAsset: 'USDT' })] }),
      5000,
    );
    const s = book.snapshot(5000);
    expect(s.overall.volumeUsd).toBe('0');
    expect(s.overall.unpricedTrades).toBe(1);
    expect(s.overall.feesUnpriced).toEqual({ USDT: '0.1' });
    expect(s.symbols['BTC-USDT']!.volumeQuote).toBe('10');
  });

  it('bounds the keys of each scope', () => {
    const book = new StatsBook(options({ maxKeysPerScope: 2 }));
    for (const variant of ['a', 'b', 'c', 'd']) book.addReport(report({ id: `v_${variant}`, variant }), 5000);
    const s = book.snapshot(5000);
    expect(Object.keys(s.variants)).toEqual([OTHER_KEY, 'a', 'b']);
    expect(s.variants[OTHER_KEY]!.reports).toBe(2);
  });

  it('forgets the oldest report ids beyond the limit', () => {
    const book = new StatsBook(options({ maxTrackedReportIds: 2 }));
    for (const id of ['a', 'b', 'c']) book.addReport(report({ id }), 5000);
    expect(book.addReport(report({ id: 'c' }), 5000)).toBe('duplicate');
    expect(book.addReport(report({ id: 'a' }), 5000)).toBe('added');
  });

  it('without volume the profit rate and the averages are null, not zero or infinite', () => {
    const book = new StatsBook(options());
    book.addReport(REPORT_C, 5000); // skipped: nothing executed
    const o = book.snapshot(5000).overall;
    expect([o.profitRateBps, o.avgProfitPerTradeUsd, o.avgProfitPerSuccessfulTradeUsd]).toEqual([null, null, null]);
  });

  it('profit per hour uses at least one minute', () => {
    const book = new StatsBook(options());
    book.addReport(report({ id: 'p', realizedPnlUsd: '1', realizedPnlQuote: '1', timings: { receivedTs: 1000, ordersSentTs: 1001, acksTs: null, finalTs: 1002 } }), 2000);
    expect(book.snapshot(2000).overall.profitPerHourUsd).toBe('60');
  });
});

describe('StatsBook: trading availability (uptime %)', () => {
  const status = (venue: string, state: FeedStatus['state'], symbols: Record<string, FeedStatus['state']>): FeedStatus => ({
    v: 1,
    venue,
    state,
    ts: 0,
    symbols: Object.fromEntries(Object.entries(symbols).map(([sym, st]) => [sym, { state: st, bookAgeMs: 5, venueSeq: 1 }])),
    counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
  });
  const ready: ExecutorProbe = { ready: true, waiting: 2, ackPending: 0, error: null };
  const gone: ExecutorProbe = { ready: false, waiting: 0, ackPending: 0, error: null };
  const live = (book: StatsBook, now: number): void => {
    book.onFeedStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), now);
    book.onFeedStatus(status('coinbase', 'live', { 'BTC-USDT': 'live' }), now);
  };

  it('counts only the time with every feed live, an executor taking opportunities and the kill switch off', () => {
    const book = new StatsBook(options({ startedTs: 0 }));
    book.startAvailability(0);
    book.onKillSwitch(false, 0);
    live(book, 1000);
    book.onExecutorProbe(ready, 2000); // possible from 2 s
    for (let t = 3000; t <= 10_000; t += 1000) {
      live(book, t);
      book.onExecutorProbe(ready, t);
    }
    book.onFeedStatus(status('coinbase', 'resyncing', { 'BTC-USDT': 'resyncing' }), 10_000); // blocked 10-12 s
    book.onExecutorProbe(ready, 11_000);
    live(book, 12_000);
    book.onExecutorProbe(ready, 12_000);
    book.onKillSwitch(true, 13_000); // blocked from 13 s
    book.onExecutorProbe(ready, 14_000);
    const a = book.snapshot(14_000).availability;
    expect(a.observedMs).toBe(14_000);
    expect(a.tradingMs).toBe(8000 + 1000); // 2-10 s and 12-13 s
    expect(a.uptimePct).toBeCloseTo((9 / 14) * 100, 9);
    expect(a.tradingPossible).toBe(false);
    expect(a.blockedBy).toEqual(['killSwitch']);
    expect(a.blockedMs).toEqual({ feeds: 1000 + 2000, executor: 2000, killSwitch: 1000 });
    expect(a.killSwitch).toBe(true);
    expect(a.executor).toMatchObject({ ready: true, waiting: 2, probedTs: 14_000 });
  });

  it('an executor that stops pulling, or a probe that is too old, blocks trading; so does a feed that goes silent', () => {
    const book = new StatsBook(options({ startedTs: 0 }));
    book.onKillSwitch(false, 0);
    live(book, 0);
    book.startAvailability(0);
    book.onExecutorProbe(ready, 0);
    book.onExecutorProbe(gone, 1000);
    expect(book.snapshot(2000).availability).toMatchObject({ tradingMs: 1000, blockedBy: ['executor'] });
    book.onExecutorProbe(ready, 2000);
    live(book, 2000);
    // No probe and no status after 2 s, only the service's periodic re-checks: the probe counts for 3 s more
    // (blocked from 6 s), the feeds are stale once their status is over 5 s old (blocked from 8 s).
    for (let t = 3000; t <= 9000; t += 1000) book.evaluate(t);
    const later = book.snapshot(9000).availability;
    expect(later.tradingMs).toBe(1000 + 4000);
    expect(later.blockedBy).toEqual(['feeds', 'executor']);
    expect(later.blockedMs).toEqual({ feeds: 1000, executor: 1000 + 3000, killSwitch: 0 });
  });

  it('one venue alone, or a symbol on a single venue, is not a tradable pair', () => {
    const book = new StatsBook(options({ startedTs: 0 }));
    book.startAvailability(0);
    book.onKillSwitch(false, 0);
    book.onExecutorProbe(ready, 0);
    book.onFeedStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 0);
    book.onFeedStatus(status('coinbase', 'live', { 'SOL-USDT': 'live' }), 0);
    const s = book.snapshot(1000);
    expect([s.feeds.pairsMonitored, s.feeds.venueSymbolsMonitored, s.feeds.allLive]).toEqual([0, 3, true]);
    expect(s.availability).toMatchObject({ tradingPossible: false, blockedBy: ['feeds'], tradingMs: 0 });
  });

  it('observes from its start; conditions never reported (no status, no probe, kill switch unread) count as failing', () => {
    const book = new StatsBook(options({ startedTs: 0 }));
    book.onKillSwitch(false, 100);
    expect(book.snapshot(400).availability).toMatchObject({ sinceTs: null, observedMs: 0, uptimePct: null, blockedBy: ['feeds', 'executor'] });
    book.startAvailability(500);
    const a = book.snapshot(2500).availability;
    expect(a).toMatchObject({ sinceTs: 500, observedMs: 2000, tradingMs: 0, uptimePct: 0, tradingPossible: false, killSwitch: false, executor: null });
    expect(a.blockedMs).toEqual({ feeds: 2000, executor: 2000, killSwitch: 0 });
  });
});

describe('StatsBook: a correcting report (ExecutionReport.corrects)', () => {
  it('adds its money to the trade it corrects, never a second trade', () => {
    const book = new StatsBook(options());
    const now = 1000 + HOUR;
    book.addReport(REPORT_A, now);
    const correction = report({
      id: 'exec_a~0123456789',
      corrects: 'exec_a',
      oppId: REPORT_A.oppId,
      status: 'exposed',
      // the sell was filled 0.1 more than first reported
      legs: [leg({ role: 'sell', venue: 'coinbase', side: 'sell', filledQty: '0.1', avgPrice: '65100', fee: '3.906', feeAsset: 'USDT' })],
      realizedPnlQuote: '0.4',
      realizedPnlUsd: '0.4',
      residualBase: '-0.1',
      residualUsd: '-6510',
      timings: { receivedTs: 1000, ordersSentTs: null, acksTs: null, finalTs: 9000 },
    });
    expect(book.addReport(correction, now)).toBe('added');
    const o = book.snapshot(now).overall;
    expect([o.reports, o.executed, o.successful, o.byStatus.filled, o.byStatus.exposed]).toEqual([1, 1, 1, 1, 0]);
    expect(o.volumeUsd).toBe(new Big('0.5').times('65000.01').plus(new Big('0.6').times('65100')).toFixed());
    expect(o.netProfitUsd).toBe('-1.685');
    expect(o.residualUsd).toBe('-6542.55');
    expect(o.feesByAsset).toEqual({ BTC: '0.0005', USDT: '23.436' });
    expect([o.avgExecutionMs, o.lastTradeTs]).toEqual([250.5, 1250.5]);
  });
});
