import type { InstrumentInfo } from './instrument';
import { applyOrderRules } from './order-rules';
import { VenueRejectError } from './trading-errors';

const BTC: InstrumentInfo = {
  symbol: 'BTC-USDT',
  venueSymbol: 'BTCUSDT',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  trading: true,
  tickSize: '0.01',
  stepSize: '0.00001',
  minQty: '0.00001',
  maxQty: '9000',
  minNotional: '5',
  maxNotional: '9000000',
};

function rejectCode(fn: () => unknown): string | number | null {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VenueRejectError);
    expect((e as VenueRejectError).retryable).toBe(false);
    expect((e as VenueRejectError).message).toContain('not sent');
    return (e as VenueRejectError).code;
  }
  throw new Error('expected a VenueRejectError');
}

describe('applyOrderRules', () => {
  it('rounds the quantity DOWN to the step and keeps an on-tick price exact', () => {
    expect(applyOrderRules('binance', BTC, 'buy', '0.123456789', '65000.10')).toEqual({ qty: '0.12345', price: '65000.1', notional: '8024.262345' });
    expect(applyOrderRules('binance', BTC, 'sell', '1', '65000')).toEqual({ qty: '1', price: '65000', notional: '65000' });
  });

  it('rejects an off-tick price by default; conservative mode rounds buy down and sell up', () => {
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '0.1', '65000.005'))).toBe('FILTER_PRICE_TICK');
    expect(applyOrderRules('binance', BTC, 'buy', '0.1', '65000.005', { priceRounding: 'conservative' }).price).toBe('65000');
    expect(applyOrderRules('binance', BTC, 'sell', '0.1', '65000.005', { priceRounding: 'conservative' }).price).toBe('65000.01');
  });

  it('min/max quantity, quantity rounding to zero, min/max notional', () => {
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '0.000009', '65000'))).toBe('FILTER_LOT_SIZE');
    expect(rejectCode(() => applyOrderRules('binance', { ...BTC, minQty: '0.001' }, 'buy', '0.0005', '65000'))).toBe('FILTER_MIN_QTY');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '9000.1', '1'))).toBe('FILTER_MAX_QTY');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '0.00007', '65000'))).toBe('FILTER_MIN_NOTIONAL'); // 4.55 < 5
    expect(applyOrderRules('binance', BTC, 'buy', '0.00008', '65000').notional).toBe('5.2');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '200', '65000'))).toBe('FILTER_MAX_NOTIONAL');
    expect(applyOrderRules('binance', { ...BTC, maxQty: null, maxNotional: null }, 'buy', '20000', '65000').qty).toBe('20000');
  });

  it('rejects bad input and a symbol that is not trading', () => {
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '-1', '65000'))).toBe('FILTER_BAD_QTY');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '1e-3', '65000'))).toBe('FILTER_BAD_QTY');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '0', '65000'))).toBe('FILTER_BAD_QTY');
    expect(rejectCode(() => applyOrderRules('binance', BTC, 'buy', '1', 'NaN'))).toBe('FILTER_BAD_PRICE');
    expect(rejectCode(() => applyOrderRules('binance', { ...BTC, trading: false }, 'buy', '1', '65000'))).toBe('FILTER_NOT_TRADING');
  });

  it('a zero step or tick means no rounding', () => {
    const free = { ...BTC, tickSize: '0', stepSize: '0', minQty: '0', minNotional: '0' };
    expect(applyOrderRules('coinbase', free, 'buy', '0.123456789', '1.23456789')).toMatchObject({ qty: '0.123456789', price: '1.23456789' });
  });
});
