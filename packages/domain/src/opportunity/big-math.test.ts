import Big from 'big.js';
import { ceilToStep, floorToStep, onStep, plainRounded } from './big-math';

const b = (s: string) => new Big(s);

describe('big-math', () => {
  it('floors/ceils to a step exactly', () => {
    expect(floorToStep(b('1.2379'), b('0.005')).toFixed()).toBe('1.235');
    expect(ceilToStep(b('1.2351'), b('0.005')).toFixed()).toBe('1.24');
    expect(ceilToStep(b('1.24'), b('0.005')).toFixed()).toBe('1.24');
    expect(floorToStep(b('0.3'), b('0.1')).toFixed()).toBe('0.3');
  });

  it('onStep: fast for powers of ten, exact otherwise', () => {
    expect(onStep(b('65000.01'), b('0.01'))).toBe(true);
    expect(onStep(b('65000.015'), b('0.01'))).toBe(false);
    expect(onStep(b('65000'), b('1'))).toBe(true);
    expect(onStep(b('65000.5'), b('1'))).toBe(false);
    expect(onStep(b('100.5'), b('0.5'))).toBe(true);
    expect(onStep(b('100.2'), b('0.5'))).toBe(false);
    expect(onStep(b('6500'), b('100'))).toBe(true);
    expect(onStep(b('6550'), b('100'))).toBe(false);
  });

  it('prints rounded values in plain notation', () => {
    expect(plainRounded(b('1e-9'), 12)).toBe('0.000000001');
    expect(plainRounded(b('2.00005'), 4)).toBe('2'); // half-even
    expect(plainRounded(b('1e25'), 2)).toBe('10000000000000000000000000');
  });
});
