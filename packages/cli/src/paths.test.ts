import { defaultRuntimeConfig } from '@arb/service-kit';
import type { RuntimeConfig } from '@arb/contracts';
import { InvalidInputError } from './errors';
import { parsePath, parseValue, setPath, unsetPath } from './paths';

const doc = (): RuntimeConfig => ({
  ...defaultRuntimeConfig(),
  params: { minProfitPct: '0.1' },
  variants: [
    { name: 'fast', share: 0.2, params: { stalenessMs: 500 } },
    { name: 'slow', share: 0.1, params: {} },
  ],
});

const value = (path: string, text: string): unknown => parseValue(parsePath(path), text);

describe('paths', () => {
  it('accepts schema paths, with array elements by name or index', () => {
    expect(parsePath('params.minProfitPct').segments).toEqual(['params', 'minProfitPct']);
    expect(parsePath('variants.fast.params.stalenessMs').segments).toHaveLength(4);
    expect(parsePath('variants.0.share').segments).toEqual(['variants', '0', 'share']);
    expect(parsePath('killSwitch').schema.type).toBe('boolean');
  });

  it('rejects unknown, malformed and stamped paths, naming them', () => {
    expect(() => parsePath('params.minprofitpct')).toThrow(/unknown path 'params.minprofitpct': params has no 'minprofitpct' \(known: minProfitPct,/);
    expect(() => parsePath('params..x')).toThrow(InvalidInputError);
    expect(() => parsePath('')).toThrow(InvalidInputError);
    expect(() => parsePath('killSwitch.x')).toThrow(/killSwitch is true or false, not an object/);
    expect(() => parsePath('updatedTs')).toThrow(/stamped on every write/);
    expect(() => parsePath('v')).toThrow(/stamped on every write/);
  });
});

describe('values', () => {
  it('keeps decimal strings exactly as typed', () => {
    expect(value('params.minProfitPct', '0.10')).toBe('0.10');
    expect(value('params.riskLimitPerTrade', '250.000001')).toBe('250.000001');
    expect(value('variants.fast.params.minProfitUsd', '0')).toBe('0');
  });

  it('parses numbers and booleans for number and boolean fields', () => {
    expect(value('params.minConfidence', '0.75')).toBe(0.75);
    expect(value('params.stalenessMs', '900')).toBe(900);
    expect(value('killSwitch', 'true')).toBe(true);
    expect(value('variants.fast.share', '0.5')).toBe(0.5);
  });

  it('rejects bad values with a message naming the path and the value', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['params.minProfitPct', 'abc', /invalid value 'abc' for params.minProfitPct: expected a non-negative decimal/],
      ['params.minProfitPct', '1e-3', /'1e-3'/],
      ['params.minProfitPct', '-0.1', /'-0.1'/],
      ['params.minConfidence', '1.5', /invalid value '1.5' for params.minConfidence: expected a number in \[0, 1\]/],
      ['params.stalenessMs', '1.5', /expected an integer in \[1, 600000\]/],
      ['params.stalenessMs', '0x10', /'0x10'/],
      ['params.stalenessMs', '', /''/],
      ['killSwitch', 'yes', /expected true or false/],
      ['variants.fast.share', '0', /expected a number in \(0, 1\]/],
      ['killReason', 'x'.repeat(257), /at most 256 characters/],
    ];
    for (const [path, text, re] of cases) {
      expect(() => value(path, text)).toThrow(InvalidInputError);
      expect(() => value(path, text)).toThrow(re);
    }
  });

  it('takes YAML/JSON for object fields, decimals exact', () => {
    expect(value('params', '{minProfitPct: 0.30, stalenessMs: 700}')).toEqual({ minProfitPct: '0.30', stalenessMs: 700 });
    expect(() => value('params', '{bogus: 1}')).toThrow(InvalidInputError);
    expect(() => value('params', '{minProfitPct: [')).toThrow(/invalid value for params/);
  });
});

describe('setPath / unsetPath', () => {
  it('sets leaves, creating nothing outside the schema', () => {
    const d = doc();
    setPath(d, parsePath('params.stalenessMs'), 800);
    setPath(d, parsePath('variants.slow.params.minProfitPct'), '0.3');
    setPath(d, parsePath('variants.0.share'), 0.25);
    expect(d.params).toEqual({ minProfitPct: '0.1', stalenessMs: 800 });
    expect(d.variants[1]?.params).toEqual({ minProfitPct: '0.3' });
    expect(d.variants[0]?.share).toBe(0.25);
  });

  it('refuses to set into a variant that does not exist', () => {
    expect(() => setPath(doc(), parsePath('variants.nope.share'), 0.1)).toThrow(/no element 'nope' in variants \(have: fast, slow\)/);
  });

  it('unsets leaves and array elements; reports when there was nothing to unset', () => {
    const d = doc();
    expect(unsetPath(d, parsePath('params.minProfitPct'))).toBe(true);
    expect(d.params).toEqual({});
    expect(unsetPath(d, parsePath('params.minProfitPct'))).toBe(false);
    expect(unsetPath(d, parsePath('variants.fast'))).toBe(true);
    expect(d.variants.map((v) => v.name)).toEqual(['slow']);
    expect(unsetPath(d, parsePath('killReason'))).toBe(false);
  });
});
