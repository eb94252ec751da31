import Big from 'big.js';
import { validators, type BookSnapshot, type FeedStatus, type Level, type Opportunity } from '@arb/contracts';
import { createMetricsRegistry } from '@arb/service-kit';
import type { ParsedBook } from '@arb/domain';
import { Detector } from './detector';
import { DomainEvaluator } from './domain-evaluator';
import { FeedHealth } from './feed-health';
import { ConfigInventory } from './inventory';
import { MarketTable } from './markets';
import { createDetectorMetrics } from './metrics';
import type { DetectorParams } from './params';
import { ParamsHolder } from './params-holder';
import { SymbolPartition } from '@arb/domain';

const rules = { takerFee: '0.001', minSize: '0.001', maxSize: '10', lotStep: '0.001', tick: '0.01', minNotional: '10' };
const ASKS: Level[] = [['100.00', '1'], ['100.10', '2'], ['100.50', '5']];
const BIDS: Level[] = [['101.00', '1.5'], ['100.80', '1'], ['100.30', '10']];

function setup(
  balances: Record<string, Record<string, string>>,
  overrides: Partial<DetectorParams> = {},
  symbolRules: Record<string, Partial<typeof rules>> = {},
) {
  let clock = 1_000_000;
  let seq = 0;
  const params: DetectorParams = {
    version: 1,
    variant: 'default',
    minProfitPct: '0.05',
    minProfitUsd: '1',
    riskLimitPerTrade: '1000000',
    minConfidence: 0.6,
    stalenessMs: 1000,
    executionWindowMs: 500,
    usdPegs: { USDT: '1', USD: '1' },
    volatility: {},
    risk: {},
    confidence: {},
    edges: {},
    marketability: {},
    suppression: { sizeTolerance: 0.1, minIntervalMs: 0, releaseOnReport: true },
    ...overrides,
  };
  const holder = new ParamsHolder(params);
  const registry = createMetricsRegistry({ service: 't', defaultMetrics: false });
  const published: Opportunity[] = [];
  const rejections: string[] = [];
  const ref: { detector?: Detector<ParsedBook> } = {};
  const evaluator = new DomainEvaluator({
    bookOf: (symbol) => ref.detector?.books.ofSymbol(symbol).values().next().value?.book,
  });
  const evaluate = evaluator.evaluate.bind(evaluator);
  evaluator.evaluate = (input) => {
    const r = evaluate(input);
    if (!r.ok) rejections.push(r.reason);
    return r;
  };
  const feedHealth = new FeedHealth({ required: false, timeoutMs: 3000 });
  const d = new Detector<ParsedBook>({
    evaluator,
    params: holder,
    markets: new MarketTable({ usdPegs: {}, venues: { alpha: { ...rules, symbols: symbolRules }, beta: { ...rules, symbols: symbolRules } } }),
    inventory: new ConfigInventory(balances),
    feedHealth,
    partition: new SymbolPartition({ index: 0, count: 1 }),
    publish: (o) => published.push(validators.Opportunity.assert(o)),
    metrics: createDetectorMetrics(registry),
    now: () => clock,
    warn: () => undefined,
  });
  ref.detector = d;
  const book = (venue: string, symbol: string, bids: Level[], asks: Level[]): BookSnapshot => {
    seq++;
    return { v: 1, venue, symbol, seq, venueSeq: seq, venueTs: null, recvTs: clock, pubTs: clock, bids, asks };
  };
  /** Both venues update every 25 ms for `ms`. */
  const run = (symbol: string, ms: number, alpha = { bids: [['99.90', '5']] as Level[], asks: ASKS }, beta = { bids: BIDS, asks: [['101.20', '5']] as Level[] }) => {
    for (let t = 0; t <= ms; t += 25) {
      d.onBook(book('alpha', symbol, alpha.bids, alpha.asks));
      d.onBook(book('beta', symbol, beta.bids, beta.asks));
      clock += 25;
    }
  };
  const status = (venue: string, state: FeedStatus['state']): FeedStatus => ({
    v: 1,
    venue,
    state,
    ts: clock,
    symbols: {},
    counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
  });
  return { detector: d, published, rejections, run, evaluator, holder, status, tick: (ms: number) => (clock += ms) };
}

const RICH = { alpha: { USDT: '1000000', BTC: '100' }, beta: { USDT: '1000000', BTC: '100' } };
const eq = (a: string | undefined, b: string): boolean => a !== undefined && new Big(a).eq(b);

describe('Detector with the domain math (DomainEvaluator)', () => {
  it('publishes a brand-new edge on fresh books of healthy feeds, sized and priced exactly (haircut, allowance)', () => {
    const t = setup(RICH);
    t.run('BTC-USDT', 0);
    expect(t.published).toHaveLength(1);
    const o = t.published[0] as Opportunity;
    expect([o.buy.venue, o.sell.venue]).toEqual(['alpha', 'beta']);
    // The walk's optimum, 2.5, takes all of beta's 100.80 bid level; the haircut keeps 80 % of it: 2.3.
    expect(o.size).toBe('2.3');
    expect(o.factors?.sizeBeforeHaircut).toBe('2.5');
    expect([o.buy.vwap, o.sell.vwap]).toEqual(['100.056521739130', '100.930434782609'].map((x) => new Big(x).toFixed()));
    expect(o.profitQuote).toBe('1.54773'); // 232.14 × 0.999 − 230.13 × 1.001
    // Touched 100.10 / 100.80 leave 2.3 × (100.8 × 0.999 − 100.1 × 1.001) = 1.14793: 0.14793 over minProfitUsd 1 can
    // pay the allowance; rounded outward it would cost more than that, so both legs round inward: 100.13 / 100.77.
    expect(o.factors?.marketability).toEqual({ buyTouched: '100.1', sellTouched: '100.8', buyBps: 2.997003, sellBps: 2.97619, netAtLimitsQuote: '1.00993' });
    expect([o.buy.limitPrice, o.sell.limitPrice]).toEqual(['100.13', '100.77']);
    expect(o.factors).toMatchObject({ volBps: 2, premiumBps: 2, thresholdBps: 7, health: 1 });
    expect(o.confidence).toBeGreaterThanOrEqual(0.6);
    expect(t.rejections).toContain('no-edge'); // the reverse direction
  });

  it('inventory binds: quote on the buy venue (incl. fee at the limit price), base on the sell venue', () => {
    // 150.15 USDT at alpha covers size x 100.10 x 1.001 up to 1.498... → 1.498 after lot rounding (haircut off).
    const quoteBound = setup({ alpha: { USDT: '150.15' }, beta: { BTC: '100' } }, { minProfitUsd: '0.1', marketability: { lastLevelShare: 1 } });
    quoteBound.run('BTC-USDT', 400);
    const q = quoteBound.published[0] as Opportunity;
    expect(eq(q.size, '1.498')).toBe(true);
    // The allowance on the buy limit stays within what the venue locks for the IOC buy.
    expect(new Big(q.size).times(q.buy.limitPrice).times('1.001').lte('150.15')).toBe(true);

    const baseBound = setup({ alpha: { USDT: '1000000' }, beta: { BTC: '1.2' } }, { minProfitUsd: '0.1' });
    baseBound.run('BTC-USDT', 400);
    expect(eq(baseBound.published[0]?.size, '1.2')).toBe(true);
    expect(baseBound.published[0]?.factors?.marketability.buyTouched).toBe('100.1');
    expect(new Big(baseBound.published[0]?.buy.limitPrice ?? '0').gt('100.1')).toBe(true);

    const none = setup({});
    none.run('BTC-USDT', 400);
    expect(none.published).toHaveLength(0);
    expect(none.rejections).toContain('no-inventory');
  });

  it('the risk limit caps the buy notional', () => {
    const t = setup(RICH, { riskLimitPerTrade: '120', minProfitUsd: '0.1' });
    t.run('BTC-USDT', 400);
    const o = t.published[0] as Opportunity;
    expect(o).toBeDefined();
    // The notional actually bought stays within the limit.
    expect(new Big(o.size).times(o.buy.vwap).lte('120')).toBe(true);
    expect(new Big(o.size).lt('1.2')).toBe(true);
  });

  it('params swapped live apply to the next evaluation (threshold raised above the edge → nothing)', () => {
    const t = setup(RICH);
    t.holder.set({ ...t.holder.current(), version: 2, minProfitPct: '1' });
    t.run('BTC-USDT', 400);
    expect(t.published).toHaveLength(0);
    expect(t.rejections).toContain('below-threshold');
    expect(() => t.evaluator.check({ ...t.holder.current(), minConfidence: 2 })).toThrow();
  });

  it('values a cross-quote profit through a live conversion book (ETH-BTC via BTC-USDT)', () => {
    const t = setup(
      { alpha: { BTC: '100', ETH: '1000' }, beta: { BTC: '100', ETH: '1000' } },
      { minProfitUsd: '1' },
      { 'ETH-BTC': { tick: '0.0001', minNotional: '0.0001' } },
    );
    t.detector.onBook({
      v: 1,
      venue: 'alpha',
      symbol: 'BTC-USDT',
      seq: 1,
      venueSeq: 1,
      venueTs: null,
      recvTs: 1_000_000,
      pubTs: 1_000_000,
      bids: [['60000', '1']],
      asks: [['60002', '1']],
    });
    const alpha = { bids: [['0.0490', '50']] as Level[], asks: [['0.0500', '10'], ['0.0530', '40']] as Level[] };
    const beta = { bids: [['0.0510', '10'], ['0.0480', '40']] as Level[], asks: [['0.0520', '50']] as Level[] };
    t.run('ETH-BTC', 400, alpha, beta);
    const o = t.published[0] as Opportunity;
    expect(o).toBeDefined();
    // The first levels (the second ones have no edge), 80 % of them (haircut): size 8.
    // Profit in BTC: 8 x (0.0510 x 0.999 - 0.0500 x 1.001).
    const profitBtc = new Big('0.0510').times('0.999').minus(new Big('0.0500').times('1.001')).times(8);
    expect(eq(o.size, '8')).toBe(true);
    expect(eq(o.profitQuote, profitBtc.toFixed())).toBe(true);
    // Valued at the BTC-USDT mid (60000 + 60002) / 2 = 60001, USDT pegged at 1.
    expect(eq(o.profitUsd, profitBtc.times('60001').toFixed())).toBe(true);
  });

  it('volatility: one estimator per distinct options, a new one continues from the data, unused ones are dropped', () => {
    const t = setup(RICH);
    const base = t.holder.current();
    // Mids that move: alpha alternates 0 / ±1 bps... every 100 ms for 20 s.
    const ask = (up: boolean): Level[] => [[up ? '100.01' : '100.00', '1']];
    for (let i = 0; i < 200; i++) {
      t.run('BTC-USDT', 0, { bids: [['99.90', '5']], asks: ask(i % 2 === 0) });
      t.tick(75);
    }
    const v1 = t.evaluator.volBps('alpha', 'BTC-USDT', base);
    expect(v1).toBeLessThan(2); // the prior (2) outweighed by 20 s of calmer data
    const faster: DetectorParams = { ...base, volatility: { halfLifeMs: 5000 } };
    t.evaluator.applyParams([base, faster]);
    expect(t.evaluator.volBps('alpha', 'BTC-USDT', faster)).toBe(v1); // no new warm-up
    t.evaluator.applyParams([faster]);
    // the dropped estimator's data is gone: asked again, it starts from the remaining one
    expect(t.evaluator.volBps('alpha', 'BTC-USDT', base)).toBe(t.evaluator.volBps('alpha', 'BTC-USDT', faster));
    expect(() => t.evaluator.check({ ...base, volatility: { priorWeightMs: 0 } })).toThrow();
  });
});
