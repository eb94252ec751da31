import Big from 'big.js';
import { boundedLimit, ceilToStep, floorToStep, plain, worsePrice } from './decimal';

describe('decimal helpers', () => {
  it('round to steps exactly', () => {
    expect(plain(floorToStep(new Big('0.123456789'), '0.00001'))).toBe('0.12345');
    expect(plain(ceilToStep(new Big('65000.001'), '0.01'))).toBe('65000.01');
    expect(plain(floorToStep(new Big('65000.019'), '0.01'))).toBe('65000.01');
    expect(plain(floorToStep(new Big('1.5'), '0'))).toBe('1.5');
    expect(plain(new Big('-0'))).toBe('0');
  });

  it('moves prices against us by bps, bounded on the tick grid', () => {
    expect(plain(worsePrice('10000', 20, 'buy'))).toBe('10020');
    expect(plain(worsePrice('10000', 20, 'sell'))).toBe('9980');
    // 65000.03 * 1.002 = 65130.03006 → buy limit rounds DOWN (never beyond the bound)
    expect(plain(boundedLimit('65000.03', 20, 'buy', '0.01'))).toBe('65130.03');
    // 65000.03 * 0.998 = 64870.02994 → sell limit rounds UP
    expect(plain(boundedLimit('65000.03', 20, 'sell', '0.01'))).toBe('64870.03');
  });
});
