/**
 * Shared generators for the venue parser fuzz suites (`src/**\/*.fuzz.test.ts`): random text / bytes / JS values,
 * decimal strings good and bad, and mutations of valid documents (fields removed, retyped, replaced by junk, bad
 * decimals, raw JSON tokens, deep nesting, damaged text). `FUZZ_RUNS=<n>` sets the runs per property.
 */
import fc from 'fast-check';
import { ParseError } from '../src/common/parse-error';
import { isFinalStatus, type Balance, type OrderFill, type OrderState } from '../src/common/trading';

export const RUNS = ((n) => (Number.isInteger(n) && n > 0 ? n : 150))(Number(process.env.FUZZ_RUNS));
/** Jest timeout for one property at RUNS runs. */
export const TIMEOUT = 30_000 + RUNS * 20;

/** fc.assert with the suite's run count. */
export function fuzz<Ts extends unknown[]>(property: fc.IProperty<Ts>): void {
  fc.assert(property, { numRuns: RUNS });
}

type Path = ReadonlyArray<string | number>;
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PLAIN = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** What a market-data parser may hand out as a price or size: a plain non-negative decimal of at most 64 chars. */
export const isUDec = (v: unknown): v is string => typeof v === 'string' && v.length <= 64 && PLAIN.test(v);
export const isPosDec = (v: unknown): boolean => isUDec(v) && /[1-9]/.test(v);
/** What a trading parser may hand out as a size / price / fee: digits with an optional fraction. */
export const isPlainDec = (v: unknown): boolean => typeof v === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(v);
export const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

const intPart = fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 999_999 }).map(String), fc.bigInt({ min: 1n, max: 10n ** 30n }).map(String));
export const uDecimal = fc.tuple(intPart, fc.option(fc.stringMatching(/^[0-9]{1,18}$/), { nil: undefined })).map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
export const posDecimal = uDecimal.filter((d) => /[1-9]/.test(d));
export const BAD_DECIMALS = ['', '-1', '-0', '+1', '1e5', '1E-7', 'NaN', 'Infinity', '-Infinity', '0x1A', '1.', '.5', '01', '00.1', '1.2.3', ' 1', '1 ', '1,5', '\uff11', '1_000', 'null', '9'.repeat(65), `0.${'0'.repeat(70)}1`, '1\n', '\u0000'];
/** A decimal of at most 30 characters, malformed one time in five. */
export const maybeBadDecimal = fc.oneof({ arbitrary: uDecimal.filter((d) => d.length <= 30), weight: 4 }, { arbitrary: fc.constantFrom(...BAD_DECIMALS), weight: 1 });
/** True when any of the values is a string that is not a plain decimal. */
export const hasBadDecimal = (...v: unknown[]): boolean => v.some((x) => typeof x === 'string' && !isPlainDec(x));

/** Tokens only JSON text can carry (or not): overflow to Infinity, exponents, bad literals. */
const RAW_TOKENS = ['1e999', '-1e999', '-0', '1E+2', '0.1e-7', '123456789012345678901234567890', '9007199254740993', 'NaN', 'Infinity', '01', '.5', '0x10', 'undefined', "'x'", 'tru'];
export const deepText = (n: number, kind: 'array' | 'object'): string => (kind === 'array' ? `${'['.repeat(n)}${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
export function deepValue(n: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

export interface Mutation {
  readonly pick: number;
  readonly op: 'remove' | 'replace' | 'add' | 'wrap' | 'retype' | 'baddec' | 'raw' | 'deep';
  readonly junk: unknown;
  readonly key: string;
  readonly raw: number;
  readonly depth: number;
  readonly deepKind: 'array' | 'object';
}

/** 1 to 4 mutations; `vocab` (the venue's protocol words) makes some of them well-formed but unusual. */
export function mutationsOf(vocab: readonly string[]): fc.Arbitrary<Mutation[]> {
  const junk = fc.oneof(
    fc.constantFrom<unknown>(null, true, false, '', {}, [], -1, -0, 0.5, 1e308, -1e308, 2 ** 53 + 2, 1e21, 5e-324, ...BAD_DECIMALS),
    uDecimal,
    fc.constantFrom(...vocab),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 20 }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    pick: fc.nat(),
    op: fc.constantFrom('remove', 'replace', 'replace', 'add', 'wrap', 'retype', 'baddec', 'baddec', 'raw', 'deep'),
    junk,
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'toString', ...vocab)),
    raw: fc.nat(),
    depth: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2_000, max: 60_000 })),
    deepKind: fc.constantFrom('array', 'object'),
  });
  return fc.array(mutation, { minLength: 1, maxLength: 4 });
}

/** Every position in a document, down to depth 12 (deeper values are left as they are). */
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (at.length >= 12) return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (isRecord(v)) for (const k of Object.keys(v)) pathsOf(v[k], [...at, k], out);
  return out;
}
const REMOVE = Symbol('remove');
const put = (o: Record<string, unknown>, k: string, v: unknown): void => void Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
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
    if (k !== head) put(out, k, v[k]);
    else {
      const r = edit(v[k], rest, f);
      if (r !== REMOVE) put(out, k, r);
    }
  }
  return out;
}
const retype = (old: unknown): unknown =>
  typeof old === 'number' ? String(old) : typeof old === 'string' && old.trim() !== '' && Number.isFinite(Number(old)) ? Number(old) : typeof old === 'boolean' ? String(old) : [old];

/** Applies mutations to a JSON document; in `text` mode raw/deep ops leave markers that `mutatedText` replaces. */
export function mutate(doc: unknown, ms: readonly Mutation[], text = false): { doc: unknown; raws: string[] } {
  const raws: string[] = [];
  for (const m of ms) {
    const paths = pathsOf(doc);
    const path = paths[m.pick % paths.length] ?? [];
    const marker = (token: string): string => {
      raws.push(token);
      return `\u0000RAW${raws.length - 1}`;
    };
    const f = (old: unknown): unknown => {
      switch (m.op) {
        case 'remove':
          return path.length === 0 ? m.junk : REMOVE;
        case 'replace':
          return m.junk;
        case 'add':
          if (Array.isArray(old)) return [...old, m.junk];
          if (!isRecord(old)) return old;
          return edit({ ...old, [m.key]: null }, [m.key], () => m.junk);
        case 'wrap':
          return m.pick % 2 === 0 ? [old] : { v: old };
        case 'retype':
          return retype(old);
        case 'baddec':
          return typeof old === 'string' ? BAD_DECIMALS[m.raw % BAD_DECIMALS.length] : m.junk;
        case 'raw':
          return text ? marker(RAW_TOKENS[m.raw % RAW_TOKENS.length] as string) : m.junk;
        case 'deep':
          return text ? marker(deepText(m.depth, m.deepKind)) : deepValue(m.depth, m.deepKind);
      }
    };
    doc = edit(doc, path, f);
  }
  return { doc, raws };
}
/** The mutated document as JSON text (raw tokens and deep nesting spliced in). */
export function mutatedText(doc: unknown, ms: readonly Mutation[]): string {
  const { doc: out, raws } = mutate(doc, ms, true);
  let s = JSON.stringify(out) ?? 'undefined';
  raws.forEach((token, i) => (s = s.split(JSON.stringify(`\u0000RAW${i}`)).join(token)));
  return s;
}

export interface Damage {
  readonly kind: 'truncate' | 'insert' | 'cut' | 'twice';
  readonly at: number;
  readonly s: string;
  readonly n: number;
}
/** Character-level damage to a text frame: truncated, garbage inserted, a piece cut out, sent twice. */
export const textDamage: fc.Arbitrary<Damage> = fc.record({
  kind: fc.constantFrom('truncate', 'insert', 'cut', 'twice'),
  at: fc.nat(),
  s: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('"', ',', '}', ']', '\\', '\u0000', '\ud800')),
  n: fc.integer({ min: 1, max: 16 }),
});
export function damage(text: string, d: Damage | undefined): string {
  if (d === undefined) return text;
  const at = d.at % (text.length + 1);
  switch (d.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + d.s + text.slice(at);
    case 'cut':
      return text.slice(0, at) + text.slice(at + d.n);
    case 'twice':
      return text + text;
  }
}

/** Random text of every flavour: any unicode, JSON of any shape, bytes decoded as UTF-8 or Latin-1, deep nesting. */
export const randomText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('utf8')),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([n, k]) => deepText(n, k)),
);

/**
 * Random JS values a body parser may be handed (JSON-like, plus values JSON cannot express). Deeply nested values
 * are described (`{ deep, shape }`) and built inside the property with `bodyOf`, so that a report can print them.
 */
export type BodySpec = { readonly value: unknown } | { readonly deep: number; readonly shape: 'array' | 'object' };
export const randomBody: fc.Arbitrary<BodySpec> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ value })),
  fc.anything({ maxDepth: 3 }).map((value) => ({ value })),
  fc.constantFrom<unknown>(undefined, NaN, Infinity, -Infinity, null, [], {}).map((value) => ({ value })),
  fc.record({ deep: fc.integer({ min: 1, max: 60_000 }), shape: fc.constantFrom('array' as const, 'object' as const) }),
);
export const bodyOf = (b: BodySpec): unknown => ('deep' in b ? deepValue(b.deep, b.shape) : b.value);

/** A ParseError as the parsers promise it: short sample, symbol / sequence readable or null. */
export function expectParseError(e: ParseError): void {
  expect(e).toBeInstanceOf(ParseError);
  expect(typeof e.message).toBe('string');
  expect(e.sample.length).toBeLessThanOrEqual(203);
  expect(e.venueSymbol === null || typeof e.venueSymbol === 'string').toBe(true);
  expect(e.seq === null || isSeq(e.seq)).toBe(true);
}

const ORDER_STATUSES = new Set(['new', 'partially_filled', 'filled', 'canceled', 'expired', 'rejected']);
export function expectFill(f: OrderFill): void {
  expect([f.price, f.qty, f.fee].every(isPlainDec)).toBe(true);
  expect(typeof f.feeAsset).toBe('string');
  expect(f.tradeId === undefined || typeof f.tradeId === 'string').toBe(true);
}
/** An OrderState as the trading contract promises it: exact decimal strings everywhere, consistent status. */
export function expectOrderState(s: OrderState, venue: string, symbol: string): void {
  expect(s.venue).toBe(venue);
  expect(s.symbol).toBe(symbol);
  expect(typeof s.clientOrderId).toBe('string');
  expect(s.venueOrderId === null || typeof s.venueOrderId === 'string').toBe(true);
  expect(['buy', 'sell']).toContain(s.side);
  expect(ORDER_STATUSES.has(s.status)).toBe(true);
  expect(s.final).toBe(isFinalStatus(s.status));
  expect([s.requestedQty, s.filledQty, s.filledQuote, s.fee].every(isPlainDec)).toBe(true);
  expect(s.avgPrice === null ? /^0+(\.0+)?$/.test(s.filledQty) : isPlainDec(s.avgPrice)).toBe(true);
  expect(typeof s.feeAsset).toBe('string');
  expect(Number.isFinite(s.updatedTs)).toBe(true);
  s.fills.forEach(expectFill);
  expect(s.rejectReason === undefined || typeof s.rejectReason === 'string').toBe(true);
}
export const expectBalance = (b: Balance): void => expect(typeof b.asset === 'string' && isPlainDec(b.free) && isPlainDec(b.locked)).toBe(true);

/** Canonical form of a plain decimal (`"010.500"` → `"10.5"`), to compare with what a parser normalized. */
export function canonical(d: string): string {
  const [i = '', f] = d.split('.');
  const int = i.replace(/^0+(?=\d)/, '');
  const frac = (f ?? '').replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}
