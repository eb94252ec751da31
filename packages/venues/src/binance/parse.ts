import { isUDecimal, isZeroDecimal, type PriceLevel } from '@arb/domain';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { InstrumentInfo } from '../common/instrument';
import { ParseError, sampleOf, sampleOfValue } from '../common/parse-error';
import { BookTicker, DepthSnapshot, DepthUpdate, ExchangeInfo, WsError, WsResponse, type WireLevel } from './wire';

/** A diff of the book of one symbol, update ids `firstId..lastId` (Binance `U..u`). */
export interface BinanceDepthEvent {
  readonly kind: 'depth';
  /** Uppercase venue symbol (`BTCUSDT`). */
  readonly venueSymbol: string;
  readonly firstId: number;
  readonly lastId: number;
  /** Venue event time (ms). */
  readonly eventTs: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export interface BinanceBookTickerEvent {
  readonly kind: 'bookTicker';
  readonly venueSymbol: string;
  readonly updateId: number;
  readonly bid: PriceLevel;
  readonly ask: PriceLevel;
}

export interface BinanceResponseEvent {
  readonly kind: 'response';
  readonly id: number | string | null;
  readonly result: unknown;
}

export interface BinanceErrorEvent {
  readonly kind: 'error';
  readonly code: number;
  readonly msg: string;
}

/** `{"e":"serverShutdown"}`: the server is about to close the connection. */
export interface BinanceShutdownEvent {
  readonly kind: 'serverShutdown';
}

/** A well-formed frame of a stream we don't use (e.g. partial depth). */
export interface BinanceOtherEvent {
  readonly kind: 'other';
  readonly stream: string | null;
}

export type BinanceEvent =
  | BinanceDepthEvent
  | BinanceBookTickerEvent
  | BinanceResponseEvent
  | BinanceErrorEvent
  | BinanceShutdownEvent
  | BinanceOtherEvent;

/** REST depth snapshot, levels checked. */
export interface BinanceDepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

function lazy<T extends TSchema>(schema: T): () => TypeCheck<T> {
  let c: TypeCheck<T> | undefined;
  return () => (c ??= TypeCompiler.Compile(schema));
}
const depthCheck = lazy(DepthUpdate);
const tickerCheck = lazy(BookTicker);
const responseCheck = lazy(WsResponse);
const errorCheck = lazy(WsError);
const snapshotCheck = lazy(DepthSnapshot);
const exchangeInfoCheck = lazy(ExchangeInfo);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Index of the first level whose price is not a positive decimal or whose quantity is not a decimal ≥ 0; -1 if none. */
function badLevel(levels: readonly WireLevel[]): number {
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i] as WireLevel;
    if (!isUDecimal(l[0]) || isZeroDecimal(l[0]) || !isUDecimal(l[1])) return i;
  }
  return -1;
}

/** Best-effort symbol of an unparseable frame (so the right book can be resynced). */
function sniffSymbol(text: string): string | null {
  const m = /"s"\s*:\s*"([A-Za-z0-9]{2,20})"/.exec(text) ?? /"stream"\s*:\s*"([a-z0-9]{2,20})@/.exec(text);
  return m?.[1]?.toUpperCase() ?? null;
}

/**
 * One WebSocket text frame (raw `/ws/` or combined `/stream` form) → a typed event, or a ParseError (never throws).
 * Checks: valid JSON, schema, decimal strings (price > 0, quantity ≥ 0; a negative quantity is rejected),
 * `U ≤ u`, and that a combined frame's stream name matches the event's symbol.
 */
export function parseBinanceFrame(text: string): BinanceEvent | ParseError {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (cause) {
    return new ParseError('not valid JSON', sampleOf(text), { venueSymbol: sniffSymbol(text) }, { cause });
  }
  if (!isObj(root)) return new ParseError('frame is not a JSON object', sampleOf(text));
  let data: unknown = root;
  let stream: string | null = null;
  if (typeof root.stream === 'string' && 'data' in root) {
    stream = root.stream;
    data = root.data;
    if (!isObj(data)) return new ParseError(`stream ${stream}: data is not an object`, sampleOf(text), { venueSymbol: sniffSymbol(text) });
  }
  const d = data as Obj;
  if (d.e === 'depthUpdate') {
    if (!depthCheck().Check(d)) return new ParseError('malformed depthUpdate', sampleOf(text), { venueSymbol: sniffSymbol(text) });
    const ev = d as DepthUpdate;
    if (ev.U > ev.u) return new ParseError(`depthUpdate U ${ev.U} > u ${ev.u}`, sampleOf(text), { venueSymbol: ev.s });
    if (stream !== null && !stream.startsWith(`${ev.s.toLowerCase()}@`)) {
      return new ParseError(`stream ${stream} carries symbol ${ev.s}`, sampleOf(text), { venueSymbol: ev.s });
    }
    const bi = badLevel(ev.b);
    if (bi >= 0) return new ParseError(`bad bid level ${JSON.stringify(ev.b[bi])}`, sampleOf(text), { venueSymbol: ev.s });
    const ai = badLevel(ev.a);
    if (ai >= 0) return new ParseError(`bad ask level ${JSON.stringify(ev.a[ai])}`, sampleOf(text), { venueSymbol: ev.s });
    return { kind: 'depth', venueSymbol: ev.s, firstId: ev.U, lastId: ev.u, eventTs: ev.E, bids: ev.b, asks: ev.a };
  }
  if (d.e === undefined && 'u' in d && 'B' in d && 'A' in d) {
    if (!tickerCheck().Check(d)) return new ParseError('malformed bookTicker', sampleOf(text), { venueSymbol: sniffSymbol(text) });
    const t = d as BookTicker;
    if (badLevel([[t.b, t.B]]) >= 0 || badLevel([[t.a, t.A]]) >= 0) return new ParseError('bad bookTicker decimals', sampleOf(text), { venueSymbol: t.s });
    return { kind: 'bookTicker', venueSymbol: t.s, updateId: t.u, bid: [t.b, t.B], ask: [t.a, t.A] };
  }
  if (d.e === 'serverShutdown') return { kind: 'serverShutdown' };
  if (stream === null && 'id' in d && 'result' in d && responseCheck().Check(d)) return { kind: 'response', id: d.id, result: d.result };
  if (stream === null && 'code' in d && errorCheck().Check(d)) return { kind: 'error', code: d.code, msg: d.msg };
  if (stream !== null || typeof d.e === 'string' || 'lastUpdateId' in d) return { kind: 'other', stream };
  return new ParseError('unrecognized frame', sampleOf(text));
}

/** REST `/api/v3/depth` body → checked snapshot, or ParseError. */
export function parseDepthSnapshot(body: unknown): BinanceDepthSnapshot | ParseError {
  if (!snapshotCheck().Check(body)) return new ParseError('malformed depth snapshot', sampleOfValue(body));
  const bi = badLevel(body.bids);
  if (bi >= 0) return new ParseError(`bad snapshot bid level ${JSON.stringify(body.bids[bi])}`, sampleOfValue(body));
  const ai = badLevel(body.asks);
  if (ai >= 0) return new ParseError(`bad snapshot ask level ${JSON.stringify(body.asks[ai])}`, sampleOfValue(body));
  return { lastUpdateId: body.lastUpdateId, bids: body.bids, asks: body.asks };
}

/**
 * REST `/api/v3/exchangeInfo` body → instrument rules for the requested symbols (normalized → venue symbol).
 * Symbols the venue doesn't list are left out; a malformed body is a ParseError.
 */
export function parseExchangeInfo(body: unknown, wanted: ReadonlyMap<string, string>): InstrumentInfo[] | ParseError {
  if (!exchangeInfoCheck().Check(body)) return new ParseError('malformed exchangeInfo', sampleOfValue(body));
  const byVenue = new Map<string, string>();
  for (const [norm, venueSymbol] of wanted) byVenue.set(venueSymbol, norm);
  const out: InstrumentInfo[] = [];
  for (const s of body.symbols) {
    const norm = byVenue.get(s.symbol);
    if (norm === undefined) continue;
    const f = (type: string, key: string): string | null => {
      const filter = s.filters.find((x) => x.filterType === type) as Record<string, unknown> | undefined;
      const v = filter?.[key];
      return typeof v === 'string' && isUDecimal(v) ? v : null;
    };
    const nonZero = (v: string | null): string | null => (v === null || isZeroDecimal(v) ? null : v);
    out.push({
      symbol: norm,
      venueSymbol: s.symbol,
      baseAsset: s.baseAsset,
      quoteAsset: s.quoteAsset,
      trading: s.status === 'TRADING',
      tickSize: f('PRICE_FILTER', 'tickSize') ?? '0',
      stepSize: f('LOT_SIZE', 'stepSize') ?? '0',
      minQty: f('LOT_SIZE', 'minQty') ?? '0',
      maxQty: nonZero(f('LOT_SIZE', 'maxQty')),
      minNotional: f('NOTIONAL', 'minNotional') ?? f('MIN_NOTIONAL', 'minNotional') ?? '0',
      maxNotional: nonZero(f('NOTIONAL', 'maxNotional')),
    });
  }
  return out;
}
