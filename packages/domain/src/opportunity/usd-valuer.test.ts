import Big from 'big.js';
import { exactMid, UsdValuer } from './usd-valuer';

describe('UsdValuer', () => {
  it('values pegged quotes directly (USDT, USD, USDC = 1) and honours configured pegs', () => {
    const v = new UsdValuer();
    expect(v.toUsd(new Big('12.5'), 'USDT')?.toFixed()).toBe('12.5');
    expect(v.toUsd(new Big('3'), 'USDC')?.toFixed()).toBe('3');
    expect(new UsdValuer({ pegs: { USD: '1', EUR: '1.08' } }).toUsd(new Big('10'), 'EUR')?.toFixed()).toBe('10.8');
    expect(v.toUsd(new Big('1'), 'BTC')).toBeNull();
  });

  it('values an ETH-BTC profit in BTC through the BTC-USDT mid', () => {
    // BTC-USDT book 64999.5 / 65000.5 → mid 65000; a 0.00123 BTC profit is 79.95 USD
    const books: Record<string, [string, string]> = { 'BTC-USDT': ['64999.5', '65000.5'] };
    const mids = (s: string) => {
      const b = books[s];
      return b === undefined ? null : exactMid(b[0], b[1]);
    };
    const v = new UsdValuer({ mids });
    expect(v.rate('BTC')?.toFixed()).toBe('65000');
    expect(v.toUsd(new Big('0.00123'), 'BTC')?.toFixed()).toBe('79.95');
  });

  it('uses an inverse market (USDT-XYZ) when only that one exists, and ignores unusable mids', () => {
    const v = new UsdValuer({ mids: (s) => (s === 'USDT-JPYX' ? '150' : s === 'BAD-USDT' ? '0' : s === 'BAD-USD' ? 'x' : null) });
    expect(v.rate('JPYX')?.toFixed()).toBe('0.006666666666666667');
    expect(v.rate('BAD')).toBeNull();
  });

  it('exactMid is exact', () => {
    expect(exactMid('0.1', '0.2').toFixed()).toBe('0.15');
    expect(exactMid('65000.01', '65000.02').toFixed()).toBe('65000.015');
  });
});
