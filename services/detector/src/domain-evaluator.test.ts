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
import { ParamsHolder, type DetectorParams } from './params';
import { SymbolPartition } from './partition';

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
    risk: {},
    confidence: {},
    suppression: { sizeTolerance: 0.1, minIntervalMs: 0 },
    ...overrides,
  };
  const holder = new ParamsHolder(params);
  const registry = createMetricsRegistry({ service: 't', defaultMetrics: false });
  const published: Opportunity[] = [];
  const rejections: string[] = [];
  const ref: { detector?: Detector<ParsedBook> } = {};
  const evaluator = new DomainEvaluator({
    volatility: { halfLifeMs: 30_000, minIntervalMs: 100, minSamples: 5 },
    edges: { windowMs: 5000, maxGapMs: 1000 },
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
  it('sizes the hand-computed dislocation exactly, after the edge has persisted long enough to be trusted', () => {
    const t = setup(RICH);
    t.run('BTC-USDT', 0);
    // A brand-new edge is not trusted yet (persistence factor).
    expect(t.published).toHaveLength(0);
    expect(t.rejections).toContain('low-confidence');
    t.run('BTC-USDT', 300);
    expect(t.published).toHaveLength(1);
    const o = t.published[0] as Opportunity;
    expect([o.buy.venue, o.sell.venue]).toEqual(['alpha', 'beta']);
    expect(eq(o.size, '2.5')).toBe(true);
    expect(eq(o.buy.limitPrice, '100.1') && eq(o.sell.limitPrice, '100.8')).toBe(true);
    expect(eq(o.buy.vwap, '100.06') && eq(o.sell.vwap, '100.92')).toBe(true);
    expect(eq(o.profitQuote, '1.64755') && eq(o.profitUsd, '1.64755')).toBe(true);
    expect(o.confidence).toBeGreaterThanOrEqual(0.6);
    expect(t.rejections).toContain('no-edge'); // the reverse direction
  });

  it('inventory binds: quote on the buy venue (incl. fee at the limit price), base on the sell venue', () => {
    // 150.15 USDT at alpha covers size x 100.10 x 1.001 up to 1.498... → 1.498 after lot rounding.
    const quoteBound = setup({ alpha: { USDT: '150.15' }, beta: { BTC: '100' } }, { minProfitUsd: '0.1' });
    quoteBound.run('BTC-USDT', 400);
    const q = quoteBound.published[0] as Opportunity;
    expect(eq(q.size, '1.498')).toBe(true);
    expect(new Big(q.size).times('100.1').times('1.001').lte('150.15')).toBe(true);

    const baseBound = setup({ alpha: { USDT: '1000000' }, beta: { BTC: '1.2' } }, { minProfitUsd: '0.1' });
    baseBound.run('BTC-USDT', 400);
    expect(eq(baseBound.published[0]?.size, '1.2')).toBe(true);
    expect(eq(baseBound.published[0]?.buy.limitPrice, '100.1')).toBe(true);

    const none = setup({});
    none.run('BTC-USDT', 400);
    expect(none.published).toHaveLength(0);
    expect(none.rejections).toContain('no-inventory');
  });

  it('the risk limit (scaled by the volatility size factor) caps the buy notional', () => {
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
    // Size 10 (the first levels; the second ones have no edge). Profit in BTC: 10 x (0.0510 x 0.999 - 0.0500 x 1.001).
    const profitBtc = new Big('0.0510').times('0.999').minus(new Big('0.0500').times('1.001')).times(10);
    expect(eq(o.size, '10')).toBe(true);
    expect(eq(o.profitQuote, profitBtc.toFixed())).toBe(true);
    // Valued at the BTC-USDT mid (60000 + 60002) / 2 = 60001, USDT pegged at 1.
    expect(eq(o.profitUsd, profitBtc.times('60001').toFixed())).toBe(true);
  });
});
