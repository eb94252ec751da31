import { ValidationError } from './errors';
import type { BookSnapshot } from './book-snapshot';
import type { ExecutionReport } from './execution-report';
import type { FeedStatus } from './feed-status';
import type { Opportunity } from './opportunity';
import type { RuntimeConfig } from './runtime-config';
import { createValidator } from './validator';
import { Decimal, UDecimal } from './primitives';
import { validators } from './validators';

const book: BookSnapshot = {
  v: 1,
  venue: 'binance',
  symbol: 'BTC-USDT',
  seq: 7,
  venueSeq: 1027024,
  venueTs: 1672515782136,
  recvTs: 1700000000000.123,
  pubTs: 1700000000000.456,
  bids: [['65000.01', '0.5'], ['64999.99', '1.25']],
  asks: [['65000.02', '0.10000000']],
};

const status: FeedStatus = {
  v: 1,
  venue: 'coinbase',
  state: 'live',
  ts: 1700000000000,
  symbols: { 'BTC-USD': { state: 'live', bookAgeMs: 12.5, venueSeq: 42 } },
  counters: { updates: 10, gaps: 0, checksumFailures: 0, resyncs: 1, reconnects: 0, rejected: 2 },
};

const opp: Opportunity = {
  v: 1,
  id: 'opp_0123456789abcdef',
  symbol: 'BTC-USDT',
  buy: { venue: 'binance', limitPrice: '65000.02', vwap: '65000.01', size: '0.5' },
  sell: { venue: 'coinbase', limitPrice: '65100', vwap: '65100.5', size: '0.5' },
  size: '0.5',
  grossEdgeBps: '15.38',
  netEdgeBps: '-4.62',
  profitQuote: '-15.01',
  profitUsd: '-15.01',
  confidence: 0.82,
  detectedTs: 1700000000000.5,
  expiresTs: 1700000000250.5,
  books: { buy: { recvTs: 1, seq: 2, venueSeq: 3 }, sell: { recvTs: 4, seq: 5, venueSeq: 6 } },
  variant: 'default',
  factors: {
    freshness: 0.99,
    depth: 0.98,
    persistence: 0.8,
    health: 1,
    volBps: 2.1,
    premiumBps: 2.1,
    thresholdBps: 4.1,
    marketability: { buyTouched: '65000.01', sellTouched: '65100.5', buyBps: 0.0015, sellBps: 0, netAtLimitsQuote: '10.5' },
    sizeBeforeHaircut: '0.6',
  },
};

const report: ExecutionReport = {
  v: 1,
  id: 'exec_opp_0123456789abcdef',
  oppId: opp.id,
  symbol: 'BTC-USDT',
  status: 'filled',
  legs: [
    {
      role: 'buy',
      venue: 'binance',
      side: 'buy',
      clientOrderId: 'arb-0123456789-b',
      venueOrderId: '28',
      limitPrice: '65000.02',
      requestedQty: '0.5',
      filledQty: '0.5',
      avgPrice: '65000.01',
      filledQuote: '32500.005',
      fee: '0.0005',
      feeAsset: 'BTC',
      status: 'filled',
      sentTs: 10,
      ackTs: 12,
      finalTs: 12,
    },
  ],
  realizedPnlQuote: '12.5',
  realizedPnlUsd: '12.5',
  residualBase: '0',
  residualUsd: '0',
  fencingToken: 17,
  executorId: 'executor-a',
  variant: 'default',
  timings: { receivedTs: 9, ordersSentTs: 10, acksTs: 12, finalTs: 13 },
};

const runtime: RuntimeConfig = {
  v: 1,
  killSwitch: false,
  params: { minProfitPct: '0.05', minConfidence: 0.6 },
  variants: [{ name: 'b', share: 0.5, params: { minProfitPct: '0.1' } }],
  updatedTs: 1700000000000,
  updatedBy: 'cli',
};

type Case = [string, (v: Record<string, unknown>) => void];
const cases = {
  BookSnapshot: {
    valid: book,
    invalid: [
      ['wrong version', (v) => (v.v = 2)],
      ['exponent in a price', (v) => (v.bids = [['6.5e4', '1']])],
      ['numeric size', (v) => (v.asks = [['65000', 1]])],
      ['negative size', (v) => (v.asks = [['65000', '-1']])],
      ['unknown venue format', (v) => (v.venue = 'Binance')],
      ['missing recvTs', (v) => delete v.recvTs],
      ['extra field', (v) => (v.extra = true)],
    ] as Case[],
  },
  FeedStatus: {
    valid: status,
    invalid: [
      ['unknown state', (v) => (v.state = 'ok')],
      ['negative counter', (v) => ((v.counters as Record<string, number>).gaps = -1)],
      ['bad symbol key', (v) => (v.symbols = { btcusd: { state: 'live', bookAgeMs: 1, venueSeq: 1 } })],
    ] as Case[],
  },
  Opportunity: {
    valid: opp,
    invalid: [
      ['confidence above 1', (v) => (v.confidence = 1.2)],
      ['NaN profit', (v) => (v.profitQuote = 'NaN')],
      ['float size', (v) => (v.size = 0.5)],
      ['missing sell leg', (v) => delete v.sell],
      ['id with a dot', (v) => (v.id = 'opp.0123456789')],
      ['factor above 1', (v) => ((v.factors as Record<string, unknown>).depth = 1.5)],
      ['float touched price', (v) => (((v.factors as Record<string, unknown>).marketability as Record<string, unknown>).buyTouched = 65000)],
      ['unknown factor', (v) => ((v.factors as Record<string, unknown>).volatility = 0.5)],
    ] as Case[],
  },
  ExecutionReport: {
    valid: report,
    invalid: [
      ['unknown status', (v) => (v.status = 'done')],
      ['leg without client id', (v) => (v.legs = [{ ...report.legs[0], clientOrderId: '' }])],
      ['Infinity pnl', (v) => (v.realizedPnlUsd = 'Infinity')],
      ['numeric filledQuote', (v) => (v.legs = [{ ...report.legs[0], filledQuote: 32500.005 }])],
      ['negative filledQuote', (v) => (v.legs = [{ ...report.legs[0], filledQuote: '-1' }])],
    ] as Case[],
  },
  RuntimeConfig: {
    valid: runtime,
    invalid: [
      ['kill switch as string', (v) => (v.killSwitch = 'yes')],
      ['variant share of 0', (v) => (v.variants = [{ name: 'b', share: 0, params: {} }])],
      ['unknown param', (v) => (v.params = { minProfit: '1' })],
      ['unknown field in a param group', (v) => (v.params = { confidence: { volReferenceBps: 5 } })],
      ['param group field out of range', (v) => (v.params = { marketability: { edgeShare: 2 } })],
      ['prior weight 0 (first-sample seeding)', (v) => (v.params = { volatility: { priorWeightMs: 0 } })],
      ['negative min profit', (v) => (v.params = { minProfitPct: '-0.1' })],
    ] as Case[],
  },
};

describe.each(Object.entries(cases))('%s schema', (name, { valid, invalid }) => {
  const validator = validators[name as keyof typeof validators];

  it('accepts a valid message, also after a JSON round trip', () => {
    expect(validator.issues(valid)).toEqual([]);
    expect(validator.check(valid)).toBe(true);
    expect(validator.decode(JSON.stringify(valid))).toEqual(valid);
    expect(validator.decode(new TextEncoder().encode(JSON.stringify(valid)))).toEqual(valid);
  });

  it.each(invalid)('rejects: %s', (_label, mutate) => {
    const bad = structuredClone(valid) as unknown as Record<string, unknown>;
    mutate(bad);
    expect(validator.check(bad)).toBe(false);
    expect(() => validator.assert(bad)).toThrow(ValidationError);
    expect(validator.issues(bad).length).toBeGreaterThan(0);
  });

  it('has a version field and an $id', () => {
    expect(validator.schemaId).toBe(name);
    expect((valid as { v: number }).v).toBe(1);
  });
});

describe('Opportunity v1 stays compatible', () => {
  it('an Opportunity from an older producer (no factors) still validates', () => {
    const { factors: _factors, ...old } = opp;
    expect(validators.Opportunity.issues(old)).toEqual([]);
  });
});

describe('decimal strings', () => {
  const signed = createValidator(Decimal);
  const unsigned = createValidator(UDecimal);
  it.each(['0', '1', '65000.01', '0.00000001', '10.50'])('accepts %s', (s) => {
    expect(signed.check(s)).toBe(true);
    expect(unsigned.check(s)).toBe(true);
  });
  it.each(['1e5', 'NaN', 'Infinity', '', '01', '.5', '5.', '+1', ' 1', '1,5', '0x10'])('rejects %j', (s) => {
    expect(signed.check(s)).toBe(false);
    expect(unsigned.check(s)).toBe(false);
  });
  it('only the signed form takes a minus', () => {
    expect(signed.check('-0.5')).toBe(true);
    expect(unsigned.check('-0.5')).toBe(false);
  });
  it('reports bad JSON as a ValidationError with the cause', () => {
    const err = (() => {
      try {
        validators.BookSnapshot.decode('{"v":1,');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('regressions found by fuzzing (validators.fuzz.test.ts)', () => {
  const deep = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };

  it('values nested deeper than the call stack give issues and a ValidationError, not a RangeError', () => {
    const doc = { v: 1, killSwitch: false, params: {}, variants: [], updatedTs: 0, updatedBy: 'x', extra: deep(20_000) };
    expect(validators.RuntimeConfig.issues(deep(20_000))).toEqual(['/: Expected object (got [array(1)])']);
    expect(validators.RuntimeConfig.issues(doc)).toHaveLength(1);
    expect(() => validators.RuntimeConfig.assert(doc)).toThrow(ValidationError);
    expect(() => validators.BookSnapshot.decode(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toThrow(ValidationError);
  });
});
