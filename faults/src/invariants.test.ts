import type { ExecutionReport, Opportunity } from '@arb/contracts';
import { decisionBookAge, journalMatchesVenues, noStaleDecisions, semaphoreHeld } from './invariants';
import type { SimOrder } from './sim-control';

const order = (venue: string, clientOrderId: string, filledQty: string, fee: string, feeAsset = 'USDT'): SimOrder => ({
  venue,
  clientOrderId,
  side: 'buy',
  status: 'FILLED',
  final: true,
  filledQty,
  filledQuote: '0',
  fee,
  feeAsset,
  tradeKey: clientOrderId.split('-')[0] ?? '',
});

const leg = (venue: string, clientOrderId: string, filledQty: string, fee: string, feeAsset = 'USDT'): ExecutionReport['legs'][number] => ({
  role: 'buy',
  venue,
  side: 'buy',
  clientOrderId,
  venueOrderId: null,
  limitPrice: '100',
  requestedQty: '1',
  filledQty,
  avgPrice: null,
  fee,
  feeAsset,
  status: 'filled',
  sentTs: 1,
  ackTs: null,
  finalTs: null,
});

const report = (oppId: string, legs: ExecutionReport['legs']): ExecutionReport => ({
  v: 1,
  id: `r-${oppId}`,
  oppId,
  symbol: 'BTC-USDT',
  status: 'filled',
  legs,
  realizedPnlQuote: '0',
  realizedPnlUsd: '0',
  residualBase: '0',
  residualUsd: '0',
  fencingToken: null,
  executorId: 'x',
  variant: 'default',
  timings: { receivedTs: 1, ordersSentTs: null, acksTs: null, finalTs: 2 },
});

describe('journalMatchesVenues', () => {
  const orders = [order('binance', 'a1-b', '0.5', '0.001'), order('coinbase', 'a1-s', '0.50', '0.0010')];

  it('passes when every leg equals its venue order (as decimals) and every order is journaled once', () => {
    const c = journalMatchesVenues([report('o1', [leg('binance', 'a1-b', '0.50', '0.001'), leg('coinbase', 'a1-s', '0.5', '0.001')])], orders);
    expect(c.ok).toBe(true);
    expect(c.detail).toContain('1 reports, 2 legs; 2 venue orders (2 with fills): all match');
  });

  it('fails on a different fill, fee or fee asset', () => {
    const c = journalMatchesVenues([report('o1', [leg('binance', 'a1-b', '0.4', '0.002', 'BTC'), leg('coinbase', 'a1-s', '0.5', '0.001')])], orders);
    expect(c.ok).toBe(false);
    expect(c.detail).toMatch(/binance\/a1-b: journaled qty 0.4, venue filled 0.5.*journaled fee 0.002.*fee asset BTC/);
  });

  it('fails on a venue order in no report, in two, or still open', () => {
    const open = { ...order('binance', 'a2-b', '0', '0'), final: false };
    const c = journalMatchesVenues([report('o1', [leg('binance', 'a1-b', '0.5', '0.001')]), report('o9', [leg('binance', 'a1-b', '0.5', '0.001')])], [...orders, open]);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('coinbase/a1-s: venue order (filled 0.50) is in no report');
    expect(c.detail).toContain('binance/a1-b: in 2 report legs');
    expect(c.detail).toContain('binance/a2-b: still open at the venue');
  });

  it('fails on an opportunity journaled twice, and on a journaled fill the venue does not know', () => {
    const c = journalMatchesVenues([report('o1', [leg('binance', 'zz-b', '0', '0')]), report('o1', [leg('binance', 'zz-s', '1', '0')])], []);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('opportunity o1 journaled 2 times');
    expect(c.detail).toContain('binance/zz-s: journaled fill 1 the venue does not know');
    expect(c.detail).not.toContain('zz-b'); // a refused order filled nothing: nothing to match
  });
});

describe('noStaleDecisions', () => {
  const opp = (detectedTs: number, buyRecv: number, sellRecv: number): Opportunity =>
    ({ id: `o${detectedTs}`, buy: { venue: 'binance' }, sell: { venue: 'coinbase' }, detectedTs, books: { buy: { recvTs: buyRecv, seq: 1, venueSeq: 1 }, sell: { recvTs: sellRecv, seq: 1, venueSeq: 1 } } }) as unknown as Opportunity;

  it('takes the older of the two books', () => {
    expect(decisionBookAge(opp(5000, 4990, 3000))).toBe(2000);
  });

  it('passes at the limit and fails past it', () => {
    expect(noStaleDecisions([opp(5000, 4000, 4999)], 1000).ok).toBe(true);
    const c = noStaleDecisions([opp(5000, 4000, 4999), opp(6000, 4900, 5999)], 1000);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('o6000 binance→coinbase book age 1100.0 ms');
  });
});

describe('semaphoreHeld', () => {
  it('fails when the venues or the lease gauge saw more than the limit', () => {
    expect(semaphoreHeld(1, 1, 1).ok).toBe(true);
    expect(semaphoreHeld(2, 1, 1).ok).toBe(false);
    expect(semaphoreHeld(1, 2, 1).ok).toBe(false);
  });
});
