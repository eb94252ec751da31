import { validators } from '@arb/contracts';
import { makeOpp } from '../../test/opportunity';
import { account } from './accounting';
import { classify } from './classify';
import { buildReport } from './report';
import type { LegOutcome, LegPlan } from './types';

const opp = makeOpp({ size: '1' });

function leg(role: LegPlan['role'], venue: string, side: 'buy' | 'sell', filled: string, quote: string, fee: string, feeAsset: string, requested = '1'): LegOutcome {
  return {
    plan: { role, tag: role === 'buy' ? 'b' : role === 'sell' ? 's' : role === 'hedge' ? 'h1' : 'u1', venue, symbol: 'BTC-USDT', side, qty: requested, limitPrice: '100', clientOrderId: `k-${role}` },
    state: { venue, symbol: 'BTC-USDT', clientOrderId: `k-${role}`, venueOrderId: '9', side, status: filled === requested ? 'filled' : 'expired', final: true, requestedQty: requested, filledQty: filled, avgPrice: filled === '0' ? null : '100', filledQuote: quote, fee, feeAsset, fills: [], updatedTs: 1 },
    status: filled === requested ? 'filled' : filled === '0' ? 'unfilled' : 'partially_filled',
    sentTs: 1, ackTs: 2, finalTs: 3,
  };
}

describe('accounting', () => {
  it('both legs filled, fee in base on the buy (Binance) and in quote on the sell', () => {
    const legs = [leg('buy', 'binance', 'buy', '1', '100', '0.001', 'BTC'), leg('sell', 'coinbase', 'sell', '1', '101', '0.101', 'USDT')];
    const a = account(opp, legs);
    expect(a.residualBase.toFixed()).toBe('-0.001'); // the base fee leaves the total holding short by the fee
    expect(a.quoteFlow.toFixed()).toBe('0.899'); // -100 + 101 - 0.101
    // residual carried at the sell average (101): 0.899 - 0.101 = 0.798
    expect(a.realizedPnlQuote.toFixed()).toBe('0.798');
    expect(a.deltas.get('binance')?.base.toFixed()).toBe('0.999');
    expect(a.deltas.get('binance')?.quote.toFixed()).toBe('-100');
    expect(a.deltas.get('coinbase')?.base.toFixed()).toBe('-1');
    expect(a.deltas.get('coinbase')?.quote.toFixed()).toBe('100.899');
    expect(classify(legs, '1', { tradeable: false })).toEqual({ status: 'filled' });
  });

  it('one leg missing: PnL of the closed part only, residual at cost', () => {
    const legs = [leg('buy', 'binance', 'buy', '1', '100', '0', 'USDT'), leg('sell', 'coinbase', 'sell', '0.5', '50.5', '0', 'USDT')];
    const a = account(opp, legs);
    expect(a.residualBase.toFixed()).toBe('0.5');
    expect(a.realizedPnlQuote.toFixed()).toBe('0.5'); // 0.5 × (101 − 100)
    expect(classify(legs, '1', { tradeable: true }).status).toBe('exposed');
  });

  it('a hedge that closes the gap makes the trade hedged', () => {
    const legs = [leg('buy', 'binance', 'buy', '1', '100', '0', 'USDT'), leg('sell', 'coinbase', 'sell', '0', '0', '0', 'USDT'), leg('hedge', 'coinbase', 'sell', '1', '99.9', '0', 'USDT')];
    const a = account(opp, legs);
    expect(a.residualBase.toFixed()).toBe('0');
    expect(a.realizedPnlQuote.toFixed()).toBe('-0.1');
    expect(classify(legs, '1', { tradeable: false }).status).toBe('hedged');
  });

  it('no fills: rejected when a venue refused, failed otherwise; partial when balanced below size', () => {
    const rejected = leg('sell', 'coinbase', 'sell', '0', '0', '0', 'USDT');
    rejected.status = 'rejected';
    rejected.error = 'VenueRejectError: no';
    expect(classify([leg('buy', 'binance', 'buy', '0', '0', '0', 'USDT'), rejected], '1', { tradeable: false }).status).toBe('rejected');
    expect(classify([leg('buy', 'binance', 'buy', '0', '0', '0', 'USDT'), leg('sell', 'coinbase', 'sell', '0', '0', '0', 'USDT')], '1', { tradeable: false }).status).toBe('failed');
    expect(classify([leg('buy', 'binance', 'buy', '0.5', '50', '0', 'USDT'), leg('sell', 'coinbase', 'sell', '0.5', '50.5', '0', 'USDT')], '1', { tradeable: false }).status).toBe('partial');
  });

  it('the report is a valid ExecutionReport with exact decimals', () => {
    const legs = [leg('buy', 'binance', 'buy', '1', '100', '0.001', 'BTC'), leg('sell', 'coinbase', 'sell', '1', '101', '0.101', 'USDT')];
    const a = account(opp, legs);
    const r = buildReport({ opp, executorId: 'ex-1', status: 'filled', legs, accounts: a, usdRate: null, fencingToken: 7, receivedTs: 1, ordersSentTs: 2, acksTs: 3, finalTs: 4 });
    expect(validators.ExecutionReport.issues(r)).toEqual([]);
    expect(r.realizedPnlQuote).toBe('0.798');
    expect(r.residualBase).toBe('-0.001');
    expect(r.residualUsd).toBe('0');
    expect(r.id).toBe(`exec_${opp.id}`);
  });
});
