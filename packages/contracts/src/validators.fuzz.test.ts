/**
 * Fuzz / property suite for every bus validator (`validators.*`), driven by the message schemas themselves:
 * - values generated from a schema are accepted and survive a JSON round trip through `decode`;
 * - on mutated messages (fields removed, added, retyped, bad decimals, NaN/Infinity, deep nesting) the compiled
 *   checker agrees with an independent interpreter of the JSON-schema subset the contracts use;
 * - the rules the system relies on hold whatever the schema library does: a non-plain decimal, a non-finite number,
 *   a missing required field, an unknown field or another version is refused;
 * - `check`/`issues`/`assert`/`decode` never throw anything but ValidationError, on any text or bytes.
 * `FUZZ_RUNS=<n>` runs each property n times.
 */
import fc from 'fast-check';
import { BookSnapshot } from './book-snapshot';
import { ValidationError } from './errors';
import { ExecutionReport } from './execution-report';
import { FeedStatus } from './feed-status';
import { Opportunity } from './opportunity';
import { RuntimeConfig } from './runtime-config';
import { validators } from './validators';

const RUNS = ((n) => (Number.isInteger(n) && n > 0 ? n : 60))(Number(process.env.FUZZ_RUNS));
const TIMEOUT = 30_000 + RUNS * 50;
const fuzz = <Ts extends unknown[]>(p: fc.IProperty<Ts>): void => fc.assert(p, { numRuns: RUNS });

/** The JSON-schema keywords TypeBox emits for the contracts (read as plain data, not through TypeBox). */
interface Schema {
  $id?: string;
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  patternProperties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  additionalItems?: boolean;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}
type Path = ReadonlyArray<string | number>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Independent interpreter of that subset: the oracle the compiled validators are compared with. */
function oracle(s: Schema, v: unknown): boolean {
  if ('const' in s && v !== s.const) return false;
  if (s.anyOf !== undefined) return s.anyOf.some((x) => oracle(x, v));
  switch (s.type) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return (
        typeof v === 'string' &&
        (s.minLength === undefined || v.length >= s.minLength) &&
        (s.maxLength === undefined || v.length <= s.maxLength) &&
        (s.pattern === undefined || new RegExp(s.pattern).test(v))
      );
    case 'number':
    case 'integer':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (s.type === 'number' || Number.isInteger(v)) &&
        (s.minimum === undefined || v >= s.minimum) &&
        (s.maximum === undefined || v <= s.maximum) &&
        (s.exclusiveMinimum === undefined || v > s.exclusiveMinimum) &&
        (s.exclusiveMaximum === undefined || v < s.exclusiveMaximum)
      );
    case 'array': {
      if (!Array.isArray(v) || (s.minItems !== undefined && v.length < s.minItems) || (s.maxItems !== undefined && v.length > s.maxItems)) return false;
      const items = s.items;
      if (Array.isArray(items)) return (s.additionalItems !== false || v.length <= items.length) && items.every((x, i) => i >= v.length || oracle(x, v[i]));
      return items === undefined || v.every((x) => oracle(items, x));
    }
    case 'object': {
      if (!isRecord(v)) return false;
      if ((s.required ?? []).some((k) => !Object.prototype.hasOwnProperty.call(v, k))) return false;
      return Object.keys(v).every((k) => {
        const known = s.properties !== undefined && Object.prototype.hasOwnProperty.call(s.properties, k) ? s.properties[k] : undefined;
        if (known !== undefined) return oracle(known, v[k]);
        const pattern = Object.entries(s.patternProperties ?? {}).find(([p]) => new RegExp(p).test(k));
        if (pattern !== undefined) return oracle(pattern[1], v[k]);
        return s.additionalProperties === undefined || s.additionalProperties === true ? true : s.additionalProperties === false ? false : oracle(s.additionalProperties, v[k]);
      });
    }
    default:
      return true;
  }
}

/** Valid values of a schema (built once per schema object). */
const arbitraries = new WeakMap<Schema, fc.Arbitrary<unknown>>();
function arbitraryOf(s: Schema): fc.Arbitrary<unknown> {
  let a = arbitraries.get(s);
  if (a === undefined) arbitraries.set(s, (a = buildArbitrary(s)));
  return a;
}
function buildArbitrary(s: Schema): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.anyOf !== undefined) return fc.oneof(...s.anyOf.map(arbitraryOf));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const ok = (x: string): boolean => oracle(s, x);
      if (s.pattern === undefined) return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) }).filter(ok);
      const re = new RegExp(s.pattern);
      const one = fc.stringMatching(re);
      // A pattern like `^[A-Za-z0-9_-]+$` with a minimum length: concatenated matches still match.
      return (s.minLength ?? 0) > 1 ? fc.array(one, { minLength: 1, maxLength: 12 }).map((a) => a.join('')).filter(ok) : fc.oneof(one, one.map((x) => x.slice(0, 64))).filter(ok);
    }
    case 'integer': {
      const min = s.minimum ?? Number.MIN_SAFE_INTEGER;
      const max = s.maximum ?? Number.MAX_SAFE_INTEGER;
      const small = fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) });
      // Integers beyond 2^53 are still integers to the schema (when it sets no maximum).
      return s.maximum === undefined ? fc.oneof(small, fc.integer({ min, max }), fc.constantFrom(1e21, 2 ** 60)) : fc.oneof(small, fc.integer({ min, max }));
    }
    case 'number': {
      const min = s.exclusiveMinimum ?? s.minimum ?? -Number.MAX_VALUE;
      const max = s.maximum ?? Number.MAX_VALUE;
      const opts = { min, max, minExcluded: s.exclusiveMinimum !== undefined, noNaN: true, noDefaultInfinity: true };
      return fc.oneof(fc.double(opts), fc.double({ ...opts, max: Math.min(max, 2e12) }));
    }
    case 'array': {
      const items = s.items;
      if (Array.isArray(items)) return fc.tuple(...items.map(arbitraryOf));
      return fc.array(items === undefined ? fc.jsonValue() : arbitraryOf(items), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) });
    }
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, x]) => [k, arbitraryOf(x)]));
      const record = fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      const patterns = Object.entries(s.patternProperties ?? {});
      if (patterns.length === 0) return record;
      const dicts = patterns.map(([p, x]) => fc.dictionary(fc.stringMatching(new RegExp(p)), arbitraryOf(x), { maxKeys: 3 }));
      return fc.tuple(record, ...dicts).map(([r, ...ds]) => Object.assign({}, ...ds, r) as unknown);
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every (path, schema) of a valid value, following the schema (for unions: the first branch the value fits). */
function slots(s: Schema, v: unknown, at: Path = [], out: Array<{ path: Path; schema: Schema }> = []): Array<{ path: Path; schema: Schema }> {
  const branch = s.anyOf?.find((x) => oracle(x, v));
  if (branch !== undefined) return slots(branch, v, at, out);
  out.push({ path: at, schema: s });
  if (at.length >= 12) return out; // mutations only reach this deep (values may be nested far deeper)
  if (Array.isArray(v)) v.forEach((x, i) => slots((Array.isArray(s.items) ? s.items[i] : s.items) ?? {}, x, [...at, i], out));
  else if (isRecord(v)) {
    for (const k of Object.keys(v)) {
      const pattern = Object.entries(s.patternProperties ?? {}).find(([p]) => new RegExp(p).test(k))?.[1];
      slots(s.properties?.[k] ?? pattern ?? {}, v[k], [...at, k], out);
    }
  }
  return out;
}
const REMOVE = Symbol('remove');
/** Copy of `v` with the value at `path` replaced by `f(old)` (REMOVE deletes it). */
function edit(v: unknown, path: Path, f: (old: unknown) => unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return f(v);
  if (Array.isArray(v) && typeof head === 'number') {
    const out = [...v];
    const r = edit(out[head], rest, f);
    if (r === REMOVE) out.splice(head, 1);
    else out[head] = r;
    return out;
  }
  if (!isRecord(v) || typeof head !== 'string') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const r = k === head ? edit(v[k], rest, f) : v[k];
    if (r !== REMOVE) Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
function deepValue(n: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

const BAD_DECIMALS = ['', '-', '+1', '1e5', '1E-7', 'NaN', 'Infinity', '-Infinity', '0x1A', '1.', '.5', '01', '-01', '00.1', '1.2.3', ' 1', '1 ', '1,5', '\uff11', '1_000', '9'.repeat(65), '--1', '\u0000'];
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, '', {}, [], -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, 1e21, 5e-324, NaN, Infinity, -Infinity, 2, '1', ...BAD_DECIMALS),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 70 }),
  fc.jsonValue({ maxDepth: 3 }),
);
interface Mutation {
  readonly pick: number;
  readonly op: 'remove' | 'replace' | 'regen' | 'add' | 'baddec' | 'deep';
  readonly junk: unknown;
  readonly key: string;
  readonly n: number;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('remove', 'replace', 'replace', 'regen', 'regen', 'regen', 'add', 'baddec', 'deep'),
  junk,
  key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'v', 'BTC-USDT')),
  n: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 5_000, max: 15_000 })),
});
function mutate(schema: Schema, v: unknown, ms: readonly Mutation[]): unknown {
  for (const m of ms) {
    const all = slots(schema, v);
    const { path, schema: slot } = all[m.pick % all.length] ?? { path: [], schema };
    v = edit(v, path, (old) => {
      // Another valid value for this slot: the message often stays valid, which tests acceptance near the edges.
      if (m.op === 'regen') return fc.sample(arbitraryOf(slot), { numRuns: 1, seed: m.n })[0];
      if (m.op === 'remove') return path.length === 0 ? m.junk : REMOVE;
      if (m.op === 'add') return isRecord(old) ? { ...old, [m.key]: m.junk } : Array.isArray(old) ? [...old, m.junk] : m.junk;
      if (m.op === 'baddec') return BAD_DECIMALS[m.n % BAD_DECIMALS.length];
      if (m.op === 'deep') return deepValue(m.n);
      return m.junk;
    });
  }
  return v;
}

/** check / issues / assert / decode agree with each other and throw nothing but ValidationError. */
function expectConsistent(name: keyof typeof validators, value: unknown): boolean {
  const val = validators[name];
  const ok = val.check(value);
  const issues = val.issues(value);
  expect(issues.every((i) => typeof i === 'string')).toBe(true);
  expect(issues.length === 0).toBe(ok);
  if (ok) expect(val.assert(value)).toBe(value);
  else expect(() => val.assert(value)).toThrow(ValidationError);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // deeper than JSON.stringify can go: decode is fed raw deep text below instead
  }
  if (text !== undefined) expectDecode(name, text);
  return ok;
}
function expectDecode(name: keyof typeof validators, data: string | Uint8Array): void {
  const val = validators[name];
  let decoded: unknown;
  try {
    decoded = val.decode(data);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return;
  }
  expect(oracle(SCHEMAS[name], decoded)).toBe(true);
}

const SCHEMAS: Record<keyof typeof validators, Schema> = { BookSnapshot, FeedStatus, Opportunity, ExecutionReport, RuntimeConfig };
const NAMES = Object.keys(validators) as Array<keyof typeof validators>;

describe.each(NAMES)('validators.%s (fuzz)', (name) => {
  const schema = SCHEMAS[name];
  const valid = arbitraryOf(schema);

  it('generated valid messages are accepted and round-trip through JSON text and bytes', () => {
    fuzz(
      fc.property(valid, (v) => {
        expect(oracle(schema, v)).toBe(true);
        expect(expectConsistent(name, v)).toBe(true);
        const text = JSON.stringify(v);
        expect(validators[name].decode(text)).toEqual(JSON.parse(text));
        expect(validators[name].decode(new TextEncoder().encode(text))).toEqual(JSON.parse(text));
      }),
    );
  }, TIMEOUT);

  it('on mutated messages the compiled checker agrees with the schema interpreter', () => {
    const seen = { accepted: 0, refused: 0 };
    fuzz(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, ms) => {
        const m = mutate(schema, v, ms);
        const ok = expectConsistent(name, m);
        expect(ok).toBe(oracle(schema, m));
        seen[ok ? 'accepted' : 'refused']++;
      }),
    );
    // Both outcomes occur, so the agreement is tested on each side of the line.
    if (RUNS >= 50) expect(Math.min(seen.accepted, seen.refused)).toBeGreaterThan(0);
  }, TIMEOUT);

  it('refuses what the system relies on being refused: bad decimals, non-finite numbers, missing or unknown fields, other versions', () => {
    fuzz(
      fc.property(valid, fc.nat(), fc.constantFrom(...BAD_DECIMALS), fc.constantFrom(NaN, Infinity, -Infinity, '1', true), (v, pick, bad, badNumber) => {
        const all = slots(schema, v);
        const decimals = all.filter((x) => x.schema.$id === 'Decimal' || x.schema.$id === 'UDecimal');
        const numbers = all.filter((x) => x.schema.type === 'number' || x.schema.type === 'integer');
        const objects = all.filter((x) => x.schema.type === 'object' && x.schema.additionalProperties === false);
        const at = <T>(xs: T[]): T | undefined => xs[pick % Math.max(xs.length, 1)];
        const d = at(decimals);
        if (d !== undefined) expect(expectConsistent(name, edit(v, d.path, () => bad))).toBe(false);
        const n = at(numbers);
        if (n !== undefined) expect(expectConsistent(name, edit(v, n.path, () => badNumber))).toBe(false);
        const o = at(objects);
        if (o !== undefined) {
          expect(expectConsistent(name, edit(v, o.path, (x) => ({ ...(x as object), ['\u0000unknown']: 1 })))).toBe(false);
          const required = o.schema.required ?? [];
          const key = required[pick % Math.max(required.length, 1)];
          if (key !== undefined) expect(expectConsistent(name, edit(v, [...o.path, key], () => REMOVE))).toBe(false);
        }
        expect(expectConsistent(name, { ...(v as object), v: 2 })).toBe(false);
      }),
    );
  }, TIMEOUT);

  it('decode of random text and bytes throws only ValidationError', () => {
    fuzz(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), fc.json({ maxDepth: 4 })), fc.uint8Array({ maxLength: 100 }), (text, bytes) => {
        expectDecode(name, text);
        expectDecode(name, bytes);
      }),
    );
  }, TIMEOUT);

  it('values and text nested deeper than the stack are refused with a ValidationError (a RangeError before)', () => {
    // Deep values are slow to build and to overflow on: fewer runs, same coverage of the depths that matter.
    fc.assert(
      fc.property(valid, fc.integer({ min: 5_000, max: 20_000 }), (v, depth) => {
        expect(expectConsistent(name, deepValue(depth))).toBe(false);
        expect(expectConsistent(name, isRecord(v) ? { ...v, v: deepValue(depth) } : deepValue(depth))).toBe(false);
        expectDecode(name, `${'['.repeat(depth)}${']'.repeat(depth)}`);
        expect(() => validators[name].decode(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toThrow(ValidationError);
      }),
      { numRuns: Math.max(5, Math.ceil(RUNS / 10)) },
    );
  }, TIMEOUT);
});
