import { compareCanonical, compareDecimal, isUDecimal, isZeroDecimal, normalizeDecimal } from './decimal';
import fc from 'fast-check';

describe('decimal helpers', () => {
  it.each([
    ['0.00240000', '0.0024'],
    ['0.0024', '0.0024'],
    ['100.0', '100'],
    ['100', '100'],
    ['0', '0'],
    ['0.000', '0'],
    ['000', '0'],
    ['007.50', '7.5'],
    ['10', '10'],
  ])('normalizes %s → %s', (input, out) => {
    expect(normalizeDecimal(input)).toBe(out);
  });

  it('accepts only plain non-negative decimals', () => {
    for (const ok of ['0', '1', '1.5', '65000.01', '0.00000001']) expect(isUDecimal(ok)).toBe(true);
    for (const bad of ['', '-1', '1e5', '.5', '5.', '01', 'NaN', 'Infinity', ' 1', '1,0', '+1']) expect(isUDecimal(bad)).toBe(false);
  });

  it('detects zero', () => {
    expect(isZeroDecimal('0')).toBe(true);
    expect(isZeroDecimal('0.00000000')).toBe(true);
    expect(isZeroDecimal('0.00000001')).toBe(false);
    expect(isZeroDecimal('10')).toBe(false);
  });

  it('compares exactly where doubles cannot', () => {
    expect(compareDecimal('0.10000000000000000001', '0.1')).toBe(1);
    expect(compareDecimal('0.1', '0.10000000000000000001')).toBe(-1);
    expect(compareDecimal('9', '10')).toBe(-1);
    expect(compareDecimal('1.05', '1.5')).toBe(-1);
    expect(compareDecimal('1.50', '1.5')).toBe(0);
    expect(compareCanonical('1', '1.5')).toBe(-1);
  });

  it('agrees with scaled BigInt comparison (property)', () => {
    const dec = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 3 }))
      .map(([units, scale, pad]) => {
        const digits = units.toString().padStart(scale + 1, '0');
        const s = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
        return { s: scale > 0 ? s + '0'.repeat(pad) : s, scaled: units * 10n ** BigInt(10 - scale) };
      });
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        const expected = a.scaled < b.scaled ? -1 : a.scaled > b.scaled ? 1 : 0;
        expect(compareDecimal(a.s, b.s)).toBe(expected);
      }),
    );
  });
});
