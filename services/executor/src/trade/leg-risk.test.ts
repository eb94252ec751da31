import Big from 'big.js';
import { instrument } from '../../test/fake-venue';
import { makeOpp } from '../../test/opportunity';
import { InstrumentTable } from '../venues/instruments';
import { OrderNotSentError } from './errors';
import { planFor, resolveLegRisk, type LegRiskSettings } from './leg-risk';
import type { LegOutcome, LegPlan } from './types';

const opp = makeOpp({ buy: { venue: 'binance', limitPrice: '65000.00', vwap: '64990', size: '0.1' }, sell: { venue: 'coinbase', limitPrice: '65100.00', vwap: '65110', size: '0.1' } });
const settings: LegRiskSettings = { policy: 'hedge', maxAttempts: 3, hedgeSlippageBps: 20, unwindSlippageBps: 30, unwindWidenBps: 30, retryDelayMs: 0, hedgeFallback: 'unwind' };
const instruments = new InstrumentTable();
instruments.set('binance', instrument('BTC-USDT', { stepSize: '0.00001', minQty: '0.00001', minNotional: '5' }));
instruments.set('coinbase', instrument('BTC-USDT', { stepSize: '0.00000001', minQty: '0.00000001', minNotional: '1' }));

function leg(side: 'buy' | 'sell', filled: string, price: string, role: LegPlan['role'] = side): LegOutcome {
  const venue = side === 'buy' ? 'binance' : 'coinbase';
  return {
    plan: { role, tag: side === 'buy' ? 'b' : 's', venue, symbol: 'BTC-USDT', side, qty: '0.1', limitPrice: price, clientOrderId: `x-${side}` },
    state: { venue, symbol: 'BTC-USDT', clientOrderId: `x-${side}`, venueOrderId: '1', side, status: 'filled', final: true, requestedQty: '0.1', filledQty: filled, avgPrice: price, filledQuote: new Big(filled).times(price).toFixed(), fee: '0', feeAsset: 'USDT', fills: [], updatedTs: 0 },
    status: 'filled', sentTs: 0, ackTs: 0, finalTs: 0,
  };
}

describe('leg-risk planning', () => {
  const ctx = { settings, opp, tradeKey: 'a0123456789abcdef0123', instruments };

  it('numbers a phase after its orders already sent (a reconciled trade), never reusing a client order id, at most 9', () => {
    const sent = (n: number): LegOutcome[] => Array.from({ length: n }, (_, i) => ({ ...leg('sell', '0', '65100', 'hedge'), plan: { ...leg('sell', '0', '65100', 'hedge').plan, tag: `h${i + 1}` } }));
    const legs = [leg('buy', '0.1', '64990'), leg('sell', '0', '65100'), ...sent(2)];
    expect(planFor(ctx, legs, 'hedge', new Big('0.1'), 1)).toMatchObject({ tag: 'h3', clientOrderId: 'a0123456789abcdef0123-h3' });
    expect(planFor(ctx, legs, 'unwind', new Big('0.1'), 1)).toMatchObject({ tag: 'u1' });
    expect(planFor(ctx, [leg('buy', '0.1', '64990'), ...sent(9)], 'hedge', new Big('0.1'), 1)).toBeNull();
  });

  it('hedge completes the missing sell on the sell venue at most hedgeSlippageBps below its limit', () => {
    const legs = [leg('buy', '0.1', '64990'), leg('sell', '0.03', '65100')];
    const p = planFor(ctx, legs, 'hedge', new Big('0.07'), 1);
    // 65100 × (1 − 0.002) = 64969.8 (on tick)
    expect(p).toMatchObject({ role: 'hedge', venue: 'coinbase', side: 'sell', qty: '0.07', limitPrice: '64969.8', clientOrderId: 'a0123456789abcdef0123-h1' });
  });

  it('hedge of a missing buy buys on the buy venue at most hedgeSlippageBps above its limit, qty on its step', () => {
    const p = planFor(ctx, [], 'hedge', new Big('-0.012345678'), 2);
    expect(p).toMatchObject({ venue: 'binance', side: 'buy', qty: '0.01234', limitPrice: '65130', clientOrderId: 'a0123456789abcdef0123-h2' });
  });

  it('unwind sells the excess where it was bought, near its fill price', () => {
    const legs = [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')];
    // 64990 × (1 − 0.003) = 64795.03
    expect(planFor(ctx, legs, 'unwind', new Big('0.1'), 1)).toMatchObject({ venue: 'binance', side: 'sell', qty: '0.1', limitPrice: '64795.03', tag: 'u1' });
  });

  it('dust below the venue minimums cannot be traded', () => {
    expect(planFor(ctx, [], 'hedge', new Big('0.000000009'), 1)).toBeNull(); // below coinbase step
    expect(planFor(ctx, [], 'hedge', new Big('-0.000009'), 1)).toBeNull(); // below binance step/min
    expect(planFor(ctx, [], 'hedge', new Big('-0.00005'), 1)).toBeNull(); // ~3.25 USDT < min notional 5
  });
});

describe('resolveLegRisk', () => {
  const base = { opp, tradeKey: 'a0123456789abcdef0123', instruments, sleep: async () => undefined };

  it('hedge: stops as soon as the imbalance is closed', async () => {
    const sent: LegPlan[] = [];
    const send = async (p: LegPlan): Promise<LegOutcome> => {
      sent.push(p);
      return { ...leg('sell', p.qty, '65000', 'hedge'), plan: p };
    };
    const r = await resolveLegRisk({ ...base, settings, send }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')]);
    expect(sent.map((p) => p.tag)).toEqual(['h1']);
    expect(r.residual.eq(0)).toBe(true);
    expect(r.tradeable).toBe(false);
  });

  it('each further unwind is unwindWidenBps wider than the one before, also after unwinds a reconciled trade sent', async () => {
    const sent: LegPlan[] = [];
    const send = async (p: LegPlan): Promise<LegOutcome> => {
      sent.push(p);
      return { ...leg(p.side, '0', p.limitPrice, p.role), plan: p };
    };
    await resolveLegRisk({ ...base, settings: { ...settings, policy: 'unwind' }, send }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')]);
    // 64990 × (1 − 0.003 / 0.006 / 0.009)
    expect(sent.map((p) => [p.tag, p.limitPrice])).toEqual([['u1', '64795.03'], ['u2', '64600.06'], ['u3', '64405.09']]);
    const u1 = { ...leg('sell', '0', '64795.03', 'unwind'), plan: { ...leg('sell', '0', '64795.03', 'unwind').plan, tag: 'u1' as const } };
    expect(planFor({ ...base, settings }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100'), u1], 'unwind', new Big('0.1'), 1)).toMatchObject({ tag: 'u2', limitPrice: '64600.06' });
  });

  it('hedge attempts are bounded, then the fallback unwinds what is left', async () => {
    const sent: LegPlan[] = [];
    const send = async (p: LegPlan): Promise<LegOutcome> => {
      sent.push(p);
      return { ...leg(p.side, p.role === 'hedge' ? '0' : p.qty, p.limitPrice, p.role), plan: p };
    };
    const r = await resolveLegRisk({ ...base, settings, send }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')]);
    expect(sent.map((p) => p.tag)).toEqual(['h1', 'h2', 'h3', 'u1']);
    expect(r.residual.eq(0)).toBe(true);
  });

  it('an order that could not be recorded stops resolution, and every order already sent stays in the result', async () => {
    const sent: LegPlan[] = [];
    const send = async (p: LegPlan): Promise<LegOutcome> => {
      if (sent.length === 2) throw new OrderNotSentError('unwritable', 'record not writable');
      sent.push(p);
      // the first hedge fills 0.04 of the 0.1 missing, the second nothing
      return { ...leg('sell', sent.length === 1 ? '0.04' : '0', p.limitPrice, 'hedge'), plan: p };
    };
    const r = await resolveLegRisk({ ...base, settings, send }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')]);
    expect(r.legs.map((l) => l.plan.tag)).toEqual(['b', 's', 'h1', 'h2']);
    expect(r.legs[2]?.state?.filledQty).toBe('0.04');
    expect(r.residual.toFixed()).toBe('0.06');
    expect(r.tradeable).toBe(true);
    expect(r.stopped?.reason).toBe('unwritable');
  });

  it('any other failure of a send is not swallowed', async () => {
    const send = async (): Promise<LegOutcome> => {
      throw new Error('bug');
    };
    await expect(resolveLegRisk({ ...base, settings, send }, [leg('buy', '0.1', '64990'), leg('sell', '0', '65100')])).rejects.toThrow('bug');
  });

  it('hold sends nothing and reports the tradeable residual', async () => {
    const send = jest.fn();
    const r = await resolveLegRisk({ ...base, settings: { ...settings, policy: 'hold' }, send }, [leg('buy', '0.1', '64990'), leg('sell', '0.02', '65100')]);
    expect(send).not.toHaveBeenCalled();
    expect(r.residual.toFixed()).toBe('0.08');
    expect(r.tradeable).toBe(true);
  });
});
