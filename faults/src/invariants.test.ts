import type { ExecutionReport, Opportunity } from '@arb/contracts';
import Big from 'big.js';
import { balancesMatchJournal, decisionBookAge, journalMatchesVenues, ledgerMatchesVenues, noStaleDecisions, semaphoreHeld } from './invariants';
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
    expect(c.detail).toContain('1 reports + 0 corrections, 2 legs; 2 venue orders (2 with fills): all match');
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

describe('journalMatchesVenues with corrections', () => {
  const orders = [order('binance', 'a1-b', '0.5', '0.001'), order('coinbase', 'a1-s', '0.5', '0.001'), order('binance', 'a1-u1', '0.2', '0.0004')];
  const main = report('o1', [leg('binance', 'a1-b', '0.2', '0.0004'), leg('coinbase', 'a1-s', '0.5', '0.001')]);
  const correction = (id: string, legs: ExecutionReport['legs'], corrects = main.id): ExecutionReport => ({ ...report('o1', legs), id, corrects });

  it('a correction adds what the report missed: the sums per venue order equal the venue (each order counted once)', () => {
    const c = correction('r-o1~1', [leg('binance', 'a1-b', '0.3', '0.0006'), leg('binance', 'a1-u1', '0.2', '0.0004')]);
    const check = journalMatchesVenues([main, c], orders);
    expect(check.ok).toBe(true);
    expect(check.detail).toContain('1 reports + 1 corrections');
  });

  it('fails when the report understates a fill and nothing corrects it (a late fill dropped), or a correction double counts', () => {
    expect(journalMatchesVenues([main], orders).detail).toContain('binance/a1-b: journaled qty 0.2, venue filled 0.5');
    const twice = [correction('r-o1~1', [leg('binance', 'a1-b', '0.3', '0.0006'), leg('binance', 'a1-u1', '0.2', '0.0004')]), correction('r-o1~2', [leg('binance', 'a1-u1', '0.2', '0.0004')])];
    expect(journalMatchesVenues([main, ...twice], orders).detail).toContain('binance/a1-u1: journaled qty 0.4, venue filled 0.2');
  });

  it('fails on a correction of nothing, and on one venue order claimed by two trades', () => {
    const stray = correction('r-o2~1', [leg('binance', 'a1-b', '0.3', '0.0006')], 'r-o2');
    const c = journalMatchesVenues([main, { ...stray, oppId: 'o2' }], orders);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('correction r-o2~1 corrects no journaled report of o2');
    expect(c.detail).toContain('binance/a1-b: in the reports of 2 opportunities');
  });
});

describe('ledgerMatchesVenues', () => {
  const venues = new Map([['binance', new Map([['BTC', new Big('10.5')], ['USDT', new Big('1000')]])]]);

  it('passes when available + reserved equals the venue\'s free + locked', () => {
    expect(ledgerMatchesVenues([{ venue: 'binance', asset: 'BTC', available: '10', reserved: '0.5' }, { venue: 'binance', asset: 'USDT', available: '1000.000', reserved: null }], venues).ok).toBe(true);
  });

  it('fails on a different balance (a second unwind no report holds) and on a missing entry', () => {
    const c = ledgerMatchesVenues([{ venue: 'binance', asset: 'BTC', available: '10.56104', reserved: '0' }, { venue: 'binance', asset: 'USDT', available: null, reserved: null }], venues);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('binance BTC: ledger 10.56104 (reserved 0), venue 10.5 (diff 0.06104)');
    expect(c.detail).toContain('binance USDT: no ledger entry (venue holds 1000)');
  });
});

describe('balancesMatchJournal', () => {
  const start = new Map([['binance', new Map([['BTC', new Big('10')], ['USDT', new Big('1000000')]])], ['coinbase', new Map([['BTC', new Big('10')], ['USDT', new Big('1000000')]])]]);
  const sellLeg = { ...leg('binance', 'a1-s', '0.1', '6.5', 'USDT'), side: 'sell' as const, avgPrice: '65000' };
  const buyLeg = { ...leg('coinbase', 'a1-b', '0.1', '0'), avgPrice: '64900' };
  const r = { ...report('o1', [buyLeg, sellLeg]), residualBase: '0' };
  const after = (binanceBtc: string): Map<string, Map<string, Big>> =>
    new Map([
      ['binance', new Map([['BTC', new Big(binanceBtc)], ['USDT', new Big('1006493.5')]])],
      ['coinbase', new Map([['BTC', new Big('10.1')], ['USDT', new Big('993510')]])],
    ]);

  it('passes when every balance change is a journaled fill or fee and the residuals explain the base held', () => {
    const c = balancesMatchJournal(start, after('9.9'), [r]);
    expect(c.ok).toBe(true);
  });

  it('fails when a venue moved more than the journal says (an order in no report), exposure included', () => {
    const c = balancesMatchJournal(start, after('9.96104'), [r]);
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('binance BTC: venue moved -0.03896, journal says -0.1');
    expect(c.detail).toContain('BTC held over all venues moved 0.06104, the reports\' residuals sum to 0');
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
