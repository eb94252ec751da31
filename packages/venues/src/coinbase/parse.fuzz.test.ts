/**
 * Fuzz / property suite for parse.ts (market data): random text, bytes and JSON, and mutated official fixtures never
 * throw out of a parser and never yield an ill-typed frame; valid frames parse to exactly what they carry, and a frame
 * is an `l2` frame exactly when an independent reading of the documented rules says so. `FUZZ_RUNS=<n>` runs longer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PriceLevel } from '@arb/domain';
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
import { parseCoinbaseFrame, parseProducts, type CoinbaseFrame, type CoinbaseL2Frame } from './parse';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as unknown;
const mutations = mutationsOf(['l2_data', 'heartbeats', 'subscriptions', 'ticker', 'snapshot', 'update', 'bid', 'offer', 'ask', 'error', 'BTC-USD', 'online']);
const levelsOk = (v: unknown): boolean => Array.isArray(v) && v.every((l) => Array.isArray(l) && l.length === 2 && isPosDec(l[0]) && isUDec(l[1]));
const optString = (o: Record<string, unknown>, k: string): boolean => !(k in o) || typeof o[k] === 'string';

/** Independent reading of a frame: the l2 frame it must parse to, or null when it is not a valid `l2_data` frame. */
function expectedL2(text: string): CoinbaseL2Frame | null {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(r) || r.type === 'error' || r.channel !== 'l2_data' || !isSeq(r.sequence_num) || !Array.isArray(r.events)) return null;
  if (!optString(r, 'client_id') || !optString(r, 'timestamp')) return null;
  const events: CoinbaseL2Frame['events'][number][] = [];
  for (const e of r.events as unknown[]) {
    if (!isRecord(e) || (e.type !== 'snapshot' && e.type !== 'update') || typeof e.product_id !== 'string' || !Array.isArray(e.updates)) return null;
    const bids: PriceLevel[] = [];
    const asks: PriceLevel[] = [];
    for (const u of e.updates as unknown[]) {
      if (!isRecord(u) || !['bid', 'offer', 'ask'].includes(u.side as string) || !optString(u, 'event_time')) return null;
      if (!isPosDec(u.price_level) || !isUDec(u.new_quantity)) return null;
      (u.side === 'bid' ? bids : asks).push([u.price_level as string, u.new_quantity]);
    }
    events.push({ type: e.type, productId: e.product_id, bids, asks });
  }
  const ts = typeof r.timestamp === 'string' ? Date.parse(r.timestamp) : NaN;
  return { kind: 'l2', seq: r.sequence_num, ts: Number.isFinite(ts) ? ts : null, events };
}

function expectWellTyped(f: CoinbaseFrame): void {
  switch (f.kind) {
    case 'l2':
      expect(isSeq(f.seq) && (f.ts === null || Number.isFinite(f.ts))).toBe(true);
      for (const e of f.events) expect(['snapshot', 'update'].includes(e.type) && typeof e.productId === 'string' && levelsOk(e.bids) && levelsOk(e.asks)).toBe(true);
      return;
    case 'heartbeat':
      expect(isSeq(f.seq) && Number.isFinite(f.counter)).toBe(true);
      return;
    case 'other':
      expect(isSeq(f.seq) && typeof f.channel === 'string').toBe(true);
      return;
    case 'error':
      expect(typeof f.message).toBe('string');
      return;
  }
}

function checkFrame(text: string): CoinbaseFrame | ParseError {
  const r = parseCoinbaseFrame(text);
  if (r instanceof ParseError) expectParseError(r);
  else expectWellTyped(r);
  const exp = expectedL2(text);
  if (exp !== null) expect(r).toEqual(exp);
  else expect(r instanceof ParseError || r.kind !== 'l2').toBe(true);
  return r;
}

const FRAMES = ['l2-snapshot.json', 'l2-update.json', 'heartbeats.json', 'subscriptions.json', 'ticker.json'].map(fixture);

describe('parseCoinbaseFrame (fuzz)', () => {
  it('random text, bytes and JSON never throw and never give an ill-typed frame', () => {
    fuzz(fc.property(randomText, (t) => void checkFrame(t)));
  }, TIMEOUT);

  it('mutated fixture frames (fields removed/retyped, bad decimals and numbers, garbage, deep nesting, damaged text)', () => {
    fuzz(fc.property(fc.constantFrom(...FRAMES), mutations, fc.option(textDamage, { nil: undefined }), (doc, ms, d) => void checkFrame(damage(mutatedText(doc, ms), d))));
  }, TIMEOUT);

  const update = fc.record({ side: fc.constantFrom('bid', 'offer', 'ask'), event_time: fc.constant('2023-02-09T20:32:50.714964855Z'), price_level: posDecimal, new_quantity: uDecimal });
  const event = fc.record({ type: fc.constantFrom('snapshot' as const, 'update' as const), product_id: fc.stringMatching(/^[A-Z0-9]{2,6}-[A-Z0-9]{2,6}$/), updates: fc.array(update, { maxLength: 20 }) });
  it('valid l2_data frames parse to exactly what they carry (levels split by side, in order)', () => {
    fuzz(
      fc.property(fc.maxSafeNat(), fc.array(event, { maxLength: 3 }), fc.integer({ min: 0, max: 4e12 }), (seq, events, ms) => {
        const timestamp = new Date(ms).toISOString();
        const r = checkFrame(JSON.stringify({ channel: 'l2_data', client_id: '', timestamp, sequence_num: seq, events }));
        expect(r).toEqual({
          kind: 'l2',
          seq,
          ts: ms,
          events: events.map((e) => ({
            type: e.type,
            productId: e.product_id,
            bids: e.updates.filter((u) => u.side === 'bid').map((u) => [u.price_level, u.new_quantity]),
            asks: e.updates.filter((u) => u.side !== 'bid').map((u) => [u.price_level, u.new_quantity]),
          })),
        });
      }),
    );
  }, TIMEOUT);

  it('valid heartbeats and other channels keep their sequence number', () => {
    fuzz(
      fc.property(fc.maxSafeNat(), fc.oneof(fc.maxSafeNat(), fc.maxSafeNat().map(String)), fc.constantFrom('ticker', 'subscriptions', 'status'), (seq, counter, channel) => {
        expect(checkFrame(JSON.stringify({ channel: 'heartbeats', sequence_num: seq, events: [{ heartbeat_counter: counter }] }))).toEqual({ kind: 'heartbeat', seq, counter: Number(counter) });
        expect(checkFrame(JSON.stringify({ channel, sequence_num: seq, events: [] }))).toEqual({ kind: 'other', seq, channel });
      }),
    );
  }, TIMEOUT);
});

describe('parseProducts (fuzz)', () => {
  const products = fixture('products.json');
  const wanted = new Map([['BTC-USD', 'BTC-USD']]);
  const check = (body: unknown): void => {
    const r = parseProducts(body, wanted);
    if (r instanceof ParseError) return expectParseError(r);
    for (const i of r) {
      expect(i.symbol).toBe('BTC-USD');
      expect([i.tickSize, i.stepSize, i.minQty, i.minNotional].every(isUDec)).toBe(true);
      expect([i.maxQty, i.maxNotional].every((v) => v === null || isPosDec(v))).toBe(true);
      expect(typeof i.trading === 'boolean' && typeof i.baseAsset === 'string' && typeof i.quoteAsset === 'string').toBe(true);
    }
  };

  it('random bodies (incl. nesting deeper than the stack) never throw', () => {
    fuzz(fc.property(randomBody, (spec) => check(bodyOf(spec))));
  }, TIMEOUT);

  it('mutated products bodies never throw and stay well-typed', () => {
    fuzz(fc.property(mutations, (ms) => check(mutate(products, ms).doc)));
  }, TIMEOUT);
});
