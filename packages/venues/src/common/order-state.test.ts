import { feeOfFills, mergeOrderState, OrderStateCache, splitSymbol } from './order-state';
import type { OrderState } from './trading';
import { isFinalStatus } from './trading';
import { ClockSkewError, isOutcomeUnknown, VenueRateLimitError, VenueTimeoutError, VenueUnavailableError } from './trading-errors';

const base: OrderState = {
  venue: 'binance',
  symbol: 'BTC-USDT',
  clientOrderId: 'a0123456789abcdef0123-b',
  venueOrderId: '1',
  side: 'buy',
  status: 'new',
  final: false,
  requestedQty: '1',
  filledQty: '0',
  avgPrice: null,
  filledQuote: '0',
  fee: '0',
  feeAsset: 'BTC',
  fills: [],
  updatedTs: 1,
};

const fill = (id: string, qty: string, fee = '0.001'): OrderState['fills'][number] => ({ price: '100', qty, fee, feeAsset: 'BTC', tradeId: id });

describe('mergeOrderState', () => {
  it('never goes backwards: more filled wins, a final state is never replaced by an open one', () => {
    const partial: OrderState = { ...base, status: 'partially_filled', filledQty: '0.5', filledQuote: '50', fills: [fill('1', '0.5')], updatedTs: 2 };
    const done: OrderState = { ...base, status: 'expired', final: true, filledQty: '0.5', filledQuote: '50', updatedTs: 3 };
    expect(mergeOrderState(partial, base).status).toBe('partially_filled');
    const m = mergeOrderState(partial, done);
    expect(m).toMatchObject({ status: 'expired', final: true, filledQty: '0.5' });
    expect(m.fills).toHaveLength(1); // fills kept from the older view
    expect(mergeOrderState(done, { ...partial, updatedTs: 9 })).toMatchObject({ status: 'expired', updatedTs: 9 });
  });

  it('unites fills by trade id and recomputes the fee from them on request', () => {
    const a: OrderState = { ...base, status: 'partially_filled', filledQty: '0.3', fills: [fill('1', '0.1'), fill('2', '0.2')] };
    const b: OrderState = { ...base, status: 'filled', final: true, filledQty: '0.3', fills: [fill('2', '0.2'), fill('3', '0')] };
    const m = mergeOrderState(a, b, true);
    expect(m.fills.map((f) => f.tradeId).sort()).toEqual(['1', '2', '3']);
    expect(m.fee).toBe('0.003');
    expect(m.status).toBe('filled');
  });

  it('keeps a known venue order id and requested quantity', () => {
    const m = mergeOrderState(base, { ...base, venueOrderId: null, requestedQty: '0', updatedTs: 5 });
    expect(m.venueOrderId).toBe('1');
    expect(m.requestedQty).toBe('1');
  });
});

describe('OrderStateCache', () => {
  it('is bounded and lists open orders', () => {
    const c = new OrderStateCache(2);
    c.update({ ...base, clientOrderId: 'x-b' });
    c.update({ ...base, clientOrderId: 'y-b', status: 'filled', final: true, filledQty: '1' });
    c.update({ ...base, clientOrderId: 'z-b' });
    expect(c.size).toBe(2);
    expect(c.get('x-b')).toBeUndefined();
    expect(c.openOrders().map((o) => o.clientOrderId)).toEqual(['z-b']);
  });
});

describe('helpers', () => {
  it('feeOfFills, splitSymbol, isFinalStatus', () => {
    expect(feeOfFills([], 'BTC')).toEqual({ fee: '0', feeAsset: 'BTC' });
    expect(feeOfFills([fill('1', '1', '0.1'), { ...fill('2', '1', '5'), feeAsset: 'BNB' }, fill('3', '1', '0.2')], 'X')).toEqual({ fee: '0.3', feeAsset: 'BTC' });
    expect(splitSymbol('BTC-USDT')).toEqual({ base: 'BTC', quote: 'USDT' });
    expect(['new', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected'].map((s) => isFinalStatus(s as OrderState['status']))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });

  it('error classes: retryable / outcome unknown', () => {
    const t = new VenueTimeoutError('t', { venue: 'binance', timeoutMs: 5 });
    expect([t.name, t.retryable, t.outcomeUnknown, isOutcomeUnknown(t)]).toEqual(['VenueTimeoutError', false, true, true]);
    expect(new ClockSkewError('c', { venue: 'binance', code: -1021 }).retryable).toBe(true);
    expect(new VenueRateLimitError('r', { venue: 'binance', banned: true }).retryable).toBe(false);
    expect(new VenueRateLimitError('r', { venue: 'binance', retryAfterMs: 10 })).toMatchObject({ retryable: true, retryAfterMs: 10 });
    expect(new VenueUnavailableError('u', { venue: 'x' })).toMatchObject({ retryable: true, outcomeUnknown: false, code: null, httpStatus: null });
    expect(isOutcomeUnknown(new Error('x'))).toBe(false);
  });
});
