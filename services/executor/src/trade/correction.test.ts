import Big from 'big.js';
import type { ExecutionReport } from '@arb/contracts';
import { makeOpp } from '../../test/opportunity';
import { account } from './accounting';
import { buildCorrection } from './correction';
import { buildReport } from './report';
import type { LegOutcome, LegPlan } from './types';

const opp = makeOpp({ buy: { venue: 'binance', limitPrice: '65000', vwap: '65000', size: '0.1' }, sell: { venue: 'coinbase', limitPrice: '65100', vwap: '65100', size: '0.1' } });
const usd = new Big(1);

function leg(tag: LegPlan['tag'], side: 'buy' | 'sell', venue: string, filled: string, price: string, fee = '0', feeAsset = 'USDT', final = true): LegOutcome {
  const role: LegPlan['role'] = tag === 'b' ? 'buy' : tag === 's' ? 'sell' : tag.startsWith('h') ? 'hedge' : 'unwind';
  const plan: LegPlan = { role, tag, venue, symbol: 'BTC-USDT', side, qty: '0.1', limitPrice: price, clientOrderId: `a1-${tag}` };
  const q = new Big(filled);
  return {
    plan,
    state: {
      venue, symbol: 'BTC-USDT', clientOrderId: plan.clientOrderId, venueOrderId: '1', side, status: q.gte('0.1') ? 'filled' : 'expired', final, requestedQty: '0.1', filledQty: filled,
      avgPrice: q.gt(0) ? price : null, filledQuote: q.times(price).toFixed(), fee, feeAsset, fills: [], updatedTs: 1,
    },
    status: q.gte('0.1') ? 'filled' : q.gt(0) ? 'partially_filled' : 'unfilled',
    sentTs: 1,
    ackTs: 2,
    finalTs: 3,
  };
}

function journaled(legs: LegOutcome[]): ExecutionReport {
  return buildReport({ opp, executorId: 'x', status: 'filled', legs, accounts: account(opp, legs), usdRate: usd, fencingToken: 7, receivedTs: 1, ordersSentTs: 1, acksTs: 2, finalTs: 3 });
}

/** What a list of reports says in total: per order qty, fee, quote; and PnL/residual. */
function sums(reports: readonly ExecutionReport[]): { orders: Record<string, string>; pnl: string; residual: string } {
  const orders: Record<string, Big> = {};
  let pnl = new Big(0);
  let residual = new Big(0);
  for (const r of reports) {
    pnl = pnl.plus(r.realizedPnlQuote);
    residual = residual.plus(r.residualBase);
    for (const l of r.legs) orders[l.clientOrderId] = (orders[l.clientOrderId] ?? new Big(0)).plus(l.filledQty);
  }
  return { orders: Object.fromEntries(Object.entries(orders).map(([k, v]) => [k, v.toFixed()])), pnl: pnl.toFixed(), residual: residual.toFixed() };
}

describe('buildCorrection', () => {
  const input = (stored: ExecutionReport[], truth: LegOutcome[]) => ({ opp, stored, truth, executorId: 'y', usdRate: usd, fencingToken: 9, tradeable: false, finalTs: 10 });

  it('null when the journal already holds everything (or more) than the truth', () => {
    const legs = [leg('b', 'buy', 'binance', '0.1', '65000'), leg('s', 'sell', 'coinbase', '0.1', '65100')];
    expect(buildCorrection(input([journaled(legs)], legs))).toBeNull();
    // A stale view (less filled) adds nothing either: fills only grow.
    expect(buildCorrection(input([journaled(legs)], [leg('b', 'buy', 'binance', '0.04', '65000'), legs[1] as LegOutcome]))).toBeNull();
  });

  it('a fill reported late: the correction adds the missing part, and report + correction sum to the truth', () => {
    const first = [leg('b', 'buy', 'binance', '0.04', '65000'), leg('s', 'sell', 'coinbase', '0.1', '65100'), leg('h1', 'buy', 'binance', '0.06', '65010')];
    const truth = [leg('b', 'buy', 'binance', '0.1', '65000'), first[1] as LegOutcome, first[2] as LegOutcome];
    const main = journaled(first);
    const c = buildCorrection(input([main], truth));
    expect(c).not.toBeNull();
    const r = c?.report as ExecutionReport;
    expect(r.corrects).toBe(main.id);
    expect(r.id).toMatch(new RegExp(`^${main.id}~[0-9a-f]{10}$`));
    expect(r.legs.map((l) => [l.clientOrderId, l.filledQty, l.avgPrice, l.status])).toEqual([['a1-b', '0.06', '65000', 'filled']]);
    // The trade is long 0.06 now: status exposed when that can be traded, the residual moved by +0.06.
    expect(r.residualBase).toBe('0.06');
    const total = sums([main, r]);
    expect(total.orders).toEqual({ 'a1-b': '0.1', 'a1-s': '0.1', 'a1-h1': '0.06' });
    const exact = account(opp, truth);
    expect(total.residual).toBe(exact.residualBase.toFixed());
    expect(new Big(total.pnl).eq(exact.realizedPnlQuote)).toBe(true);
    expect(c?.accounts.deltas.get('binance')?.base.toFixed()).toBe('0.06');
    expect(c?.accounts.deltas.get('binance')?.quote.toFixed()).toBe('-3900');
  });

  it('an order the journal lacks entirely (sent by an executor whose report lost the race) is added whole, fee included', () => {
    const stored = [leg('b', 'buy', 'binance', '0.1', '65000'), leg('s', 'sell', 'coinbase', '0', '65100')];
    const truth = [...stored, leg('u1', 'sell', 'binance', '0.1', '64900', '0.0001', 'BTC')];
    const main = journaled(stored);
    const c = buildCorrection(input([main], truth))?.report as ExecutionReport;
    expect(c.legs.map((l) => [l.clientOrderId, l.role, l.filledQty, l.fee, l.feeAsset])).toEqual([['a1-u1', 'unwind', '0.1', '0.0001', 'BTC']]);
    expect(sums([main, c]).residual).toBe(account(opp, truth).residualBase.toFixed());
    // The same correction written by two executors is one message: same id for the same content.
    expect(buildCorrection(input([main], truth))?.report.id).toBe(c.id);
    // A second correction on top of the first adds only what is still missing.
    const later = truth.map((l) => (l.plan.tag === 's' ? leg('s', 'sell', 'coinbase', '0.02', '65100') : l));
    const c2 = buildCorrection(input([main, c], later))?.report as ExecutionReport;
    expect(c2.id).not.toBe(c.id);
    expect(c2.legs.map((l) => [l.clientOrderId, l.filledQty])).toEqual([['a1-s', '0.02']]);
    expect(sums([main, c, c2]).residual).toBe(account(opp, later).residualBase.toFixed());
  });
});
