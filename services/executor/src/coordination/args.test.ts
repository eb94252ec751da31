import { decimalArg, holderArg, positiveIntArg, MAX_DECIMALS } from './args';
import { InvalidAmountError, InvalidHolderError } from './errors';

describe('decimalArg', () => {
  it('returns plain notation', () => {
    expect(decimalArg('a', '1e-8')).toBe('0.00000001');
    expect(decimalArg('a', '0.00000001')).toBe('0.00000001');
    expect(decimalArg('a', '1.500')).toBe('1.5');
    expect(decimalArg('a', '123456789012345678901234567890.1')).toBe('123456789012345678901234567890.1');
    expect(decimalArg('a', '-2.5', true)).toBe('-2.5');
  });

  it('rejects non-decimals, negatives (unless signed) and too many decimal places', () => {
    for (const bad of ['', 'abc', '1,5', ' 1', 'NaN', 'Infinity', '0x10']) {
      expect(() => decimalArg('a', bad)).toThrow(InvalidAmountError);
    }
    expect(() => decimalArg('a', 5 as unknown as string)).toThrow(InvalidAmountError);
    expect(() => decimalArg('a', '-0.1')).toThrow(InvalidAmountError);
    expect(decimalArg('a', `0.${'0'.repeat(MAX_DECIMALS - 1)}1`)).toHaveLength(MAX_DECIMALS + 2);
    expect(() => decimalArg('a', `0.${'0'.repeat(MAX_DECIMALS)}1`)).toThrow(InvalidAmountError);
  });
});

describe('holderArg', () => {
  it('accepts 1-200 characters without |', () => {
    expect(holderArg('exec-1:opp-abc')).toBe('exec-1:opp-abc');
    expect(holderArg('x'.repeat(200))).toHaveLength(200);
    for (const bad of ['', 'a|b', 'x'.repeat(201)]) expect(() => holderArg(bad)).toThrow(InvalidHolderError);
  });
});

describe('positiveIntArg', () => {
  it('accepts positive safe integers only', () => {
    expect(positiveIntArg('n', 5)).toBe(5);
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(() => positiveIntArg('n', bad)).toThrow(RangeError);
  });
});
