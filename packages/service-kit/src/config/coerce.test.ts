import { Type } from '@sinclair/typebox';
import { coerceToSchema, plainDecimal } from './coerce';
import { parseYaml } from './yaml-source';
import { applyEnvOverrides, envSegmentToKey, parseEnvValue } from './env-overrides';
import { deepMerge } from './merge';

describe('plainDecimal', () => {
  it.each([
    ['0.050', '0.050'],
    ['+1.50', '1.50'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1e-7', '0.0000001'],
    ['1.5E3', '1500'],
    ['-2.5e-2', '-0.025'],
    ['65000.123456789012345678', '65000.123456789012345678'],
    ['-0', '0'],
    ['007', '7'],
  ])('%s → %s', (source, expected) => {
    expect(plainDecimal(source)).toBe(expected);
  });

  it('returns undefined for hex, octal and specials', () => {
    expect(plainDecimal('0x1F')).toBeUndefined();
    expect(plainDecimal('.inf')).toBeUndefined();
    expect(plainDecimal('.')).toBeUndefined();
  });
});

describe('coerceToSchema', () => {
  const schema = Type.Object({
    n: Type.Number(),
    s: Type.String(),
    either: Type.Union([Type.Number(), Type.String()]),
    lit: Type.Union([Type.Literal('1'), Type.Literal('2')]),
    list: Type.Array(Type.String()),
    tuple: Type.Tuple([Type.String(), Type.Number()]),
    nested: Type.Object({ price: Type.String() }),
  });

  it('turns YAML numbers into numbers or exact strings as the schema wants', () => {
    const doc = parseYaml('n: 1.10\ns: 1.10\neither: 3\nlit: 2\nlist: [1, 0.000001]\ntuple: [1.0, 2]\nnested: {price: 65000.10}\nfree: 4.5\n', 't');
    expect(coerceToSchema(schema, doc)).toEqual({
      n: 1.1,
      s: '1.10',
      either: 3,
      lit: '2',
      list: ['1', '0.000001'],
      tuple: ['1.0', 2],
      nested: { price: '65000.10' },
      free: 4.5,
    });
  });

  it('does not convert strings or booleans', () => {
    const doc = parseYaml('n: "1"\ns: true\n', 't');
    expect(coerceToSchema(schema, doc)).toEqual({ n: '1', s: true });
  });
});

describe('env overrides', () => {
  it('maps SCREAMING_SNAKE segments to camelCase', () => {
    expect(envSegmentToKey('MIN_PROFIT_PCT')).toBe('minProfitPct');
    expect(envSegmentToKey('NATS')).toBe('nats');
    expect(envSegmentToKey('LEVEL_2_DEPTH')).toBe('level2Depth');
    expect(envSegmentToKey('alreadyCamel')).toBe('alreadyCamel');
  });

  it('parses values as YAML, falling back to the raw text', () => {
    expect(parseEnvValue('X', 'true')).toBe(true);
    expect(parseEnvValue('X', "'0.1'")).toBe('0.1');
    expect(parseEnvValue('X', '@secret*')).toBe('@secret*'); // invalid YAML: taken as is
    expect(parseEnvValue('X', '')).toBe('');
    expect(parseEnvValue('X', 'redis://:p@ss@h:1')).toBe('redis://:p@ss@h:1');
  });

  it('sets nested paths, deeper variables after their parent', () => {
    const doc: Record<string, unknown> = { a: { keep: 1 } };
    const applied = applyEnvOverrides(doc, { ARB__A__B__C: 'x', ARB__A__B: '{ d: y }' });
    expect(applied).toEqual(['a.b', 'a.b.c']);
    expect(doc).toEqual({ a: { keep: 1, b: { d: 'y', c: 'x' } } });
  });
});

describe('deepMerge', () => {
  it('merges objects, replaces arrays and scalars, and does not modify its inputs', () => {
    const base = { a: { x: 1, y: [1, 2] }, b: 1 };
    const overlay = { a: { y: [3] }, b: null };
    expect(deepMerge(base, overlay)).toEqual({ a: { x: 1, y: [3] }, b: null });
    expect(base).toEqual({ a: { x: 1, y: [1, 2] }, b: 1 });
  });
});
