/**
 * Fuzz / property suite for parse.ts (market data): random text, bytes and JSON, and mutated official fixtures never
 * throw out of a parser and never yield an ill-typed event; valid frames parse to exactly what they carry, and a frame
 * is a depth event exactly when an independent reading of the documented rules says so. `FUZZ_RUNS=<n>` runs longer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  bodyOf,
  damage,
  expectParseError,
  fuzz,
  isPosDec,
  isRecord,
  isSeq,
  isUDec,
  mutate,
  mutatedText,
  mutationsOf,
  posDecimal,
  randomBody,
  randomText,
  textDamage,
  TIMEOUT,
  uDecimal,
} from '../../test/fuzz-kit';
import { ParseError } from '../common/parse-error';
import { parseBinanceFrame, parseDepthSnapshot, parseExchangeInfo, type BinanceDepthEvent, type BinanceEvent } from './parse';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;
const mutations = mutationsOf(['depthUpdate', 'serverShutdown', 'bnbbtc@depth', 'BNBBTC', 'lastUpdateId', 'TRADING', 'LOT_SIZE', 'PRICE_FILTER', 'NOTIONAL']);
const levelsOk = (v: unknown): boolean => Array.isArray(v) && v.every((l) => Array.isArray(l) && l.length === 2 && isPosDec(l[0]) && isUDec(l[1]));

/** Independent reading of a frame: the depth event it must parse to, or null when it is not a valid depthUpdate. */
function expectedDepth(text: string): BinanceDepthEvent | null {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(root)) return null;
  let d: unknown = root;
  let stream: string | null = null;
  if (typeof root.stream === 'string' && 'data' in root) [stream, d] = [root.stream, root.data];
  if (!isRecord(d) || d.e !== 'depthUpdate') return null;
  const { E, s, U, u, b, a } = d;
  if (typeof E !== 'number' || !Number.isFinite(E) || typeof s !== 'string' || !isSeq(U) || !isSeq(u) || U > u) return null;
  if (!levelsOk(b) || !levelsOk(a)) return null;
  if (stream !== null && !stream.startsWith(`${s.toLowerCase()}@`)) return null;
  return { kind: 'depth', venueSymbol: s, firstId: U, lastId: u, eventTs: E, bids: b as BinanceDepthEvent['bids'], asks: a as BinanceDepthEvent['asks'] };
}

/** Every field of a parsed event has the type (and decimal form) its interface promises. */
function expectWellTyped(ev: BinanceEvent): void {
  switch (ev.kind) {
    case 'depth':
      expect(typeof ev.venueSymbol).toBe('string');
      expect(isSeq(ev.firstId) && isSeq(ev.lastId) && ev.firstId <= ev.lastId).toBe(true);
      expect(Number.isFinite(ev.eventTs)).toBe(true);
      expect(levelsOk(ev.bids) && levelsOk(ev.asks)).toBe(true);
      return;
    case 'bookTicker':
      expect(typeof ev.venueSymbol).toBe('string');
      expect(isSeq(ev.updateId)).toBe(true);
      expect(levelsOk([ev.bid, ev.ask])).toBe(true);
      return;
    case 'response':
      expect(ev.id === null || typeof ev.id === 'string' || Number.isInteger(ev.id)).toBe(true);
      return;
    case 'error':
      expect(Number.isInteger(ev.code) && typeof ev.msg === 'string').toBe(true);
      return;
    case 'serverShutdown':
      return;
    case 'other':
      expect(ev.stream === null || typeof ev.stream === 'string').toBe(true);
      return;
  }
}

function checkFrame(text: string): BinanceEvent | ParseError {
  const r = parseBinanceFrame(text);
  if (r instanceof ParseError) expectParseError(r);
  else expectWellTyped(r);
  const exp = expectedDepth(text);
  if (exp !== null) expect(r).toEqual(exp);
  else expect(r instanceof ParseError || r.kind !== 'depth').toBe(true);
  return r;
}

const FRAMES = ['depth-update.json', 'combined-depth-update.json', 'book-ticker.json', 'subscribe-response.json', 'ws-error.json', 'partial-depth.json'].map(fixture);

describe('parseBinanceFrame (fuzz)', () => {
  it('random text, bytes and JSON never throw and never give an ill-typed event', () => {
    fuzz(fc.property(randomText, (t) => void checkFrame(t)));
  }, TIMEOUT);

  it('mutated fixture frames (fields removed/retyped, bad decimals and numbers, garbage, deep nesting, damaged text)', () => {
    fuzz(fc.property(fc.constantFrom(...FRAMES), mutations, fc.option(textDamage, { nil: undefined }), (doc, ms, d) => void checkFrame(damage(mutatedText(doc, ms), d))));
  }, TIMEOUT);

  const level = fc.tuple(posDecimal, uDecimal);
  const symbol = fc.stringMatching(/^[A-Z0-9]{2,12}$/);
  it('valid depth updates (raw and combined, extra fields) parse to exactly what they carry', () => {
    fuzz(
      fc.property(symbol, fc.maxSafeNat(), fc.nat({ max: 1000 }), fc.maxSafeNat(), fc.array(level, { maxLength: 20 }), fc.array(level, { maxLength: 20 }), fc.boolean(), (s, U, n, E, b, a, combined) => {
        const data = { e: 'depthUpdate', E, s, U, u: U + n, b, a, extra: { ignored: true } };
        const text = JSON.stringify(combined ? { stream: `${s.toLowerCase()}@depth@100ms`, data } : data);
        expect(checkFrame(text)).toEqual({ kind: 'depth', venueSymbol: s, firstId: U, lastId: U + n, eventTs: E, bids: b, asks: a });
      }),
    );
  }, TIMEOUT);

  it('valid bookTickers, responses and errors parse to what they carry', () => {
    fuzz(
      fc.property(symbol, fc.maxSafeNat(), level, level, fc.oneof(fc.integer(), fc.string(), fc.constant(null)), fc.jsonValue(), (s, u, bid, ask, id, result) => {
        expect(checkFrame(JSON.stringify({ u, s, b: bid[0], B: bid[1], a: ask[0], A: ask[1] }))).toEqual({ kind: 'bookTicker', venueSymbol: s, updateId: u, bid, ask });
        expect(checkFrame(JSON.stringify({ result, id }))).toEqual({ kind: 'response', id, result: JSON.parse(JSON.stringify(result) ?? 'null') });
        if (typeof id === 'number') expect(checkFrame(JSON.stringify({ code: id, msg: s }))).toEqual({ kind: 'error', code: id, msg: s });
      }),
    );
  }, TIMEOUT);
});

describe('Binance REST market-data bodies (fuzz)', () => {
  const snapshot = fixture('depth-snapshot.json');
  const info = fixture('exchange-info.json');
  const wanted = new Map([['ETH-BTC', 'ETHBTC']]);

  const checkSnapshot = (body: unknown): void => {
    const r = parseDepthSnapshot(body);
    if (r instanceof ParseError) return expectParseError(r);
    expect(isSeq(r.lastUpdateId) && levelsOk(r.bids) && levelsOk(r.asks)).toBe(true);
  };
  const checkInfo = (body: unknown): void => {
    const r = parseExchangeInfo(body, wanted);
    if (r instanceof ParseError) return expectParseError(r);
    for (const i of r) {
      expect(i.symbol).toBe('ETH-BTC');
      expect([i.tickSize, i.stepSize, i.minQty, i.minNotional].every(isUDec)).toBe(true);
      expect([i.maxQty, i.maxNotional].every((v) => v === null || isPosDec(v))).toBe(true);
      expect(typeof i.trading).toBe('boolean');
    }
  };

  it('random bodies (incl. nesting deeper than the stack) never throw', () => {
    fuzz(
      fc.property(randomBody, (spec) => {
        checkSnapshot(bodyOf(spec));
        checkInfo(bodyOf(spec));
      }),
    );
  }, TIMEOUT);

  it('mutated depth snapshots and exchangeInfo bodies never throw and stay well-typed', () => {
    fuzz(
      fc.property(mutations, (ms) => {
        checkSnapshot(mutate(snapshot, ms).doc);
        checkInfo(mutate(info, ms).doc);
      }),
    );
  }, TIMEOUT);

  it('valid snapshots parse to exactly what they carry', () => {
    const levels = fc.array(fc.tuple(posDecimal, uDecimal), { maxLength: 50 });
    fuzz(fc.property(fc.maxSafeNat(), levels, levels, (lastUpdateId, bids, asks) => expect(parseDepthSnapshot({ lastUpdateId, bids, asks, x: 1 })).toEqual({ lastUpdateId, bids, asks })));
  }, TIMEOUT);
});
