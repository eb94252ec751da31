import { isUDecimal, isZeroDecimal, type PriceLevel } from '@arb/domain';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { InstrumentInfo } from '../common/instrument';
import { ParseError, sampleOf, sampleOfValue } from '../common/parse-error';
import { Envelope, HeartbeatEvent, L2Data, ProductsResponse, WsErrorMessage } from './wire';

/** One product's part of an `l2_data` frame, split by side. */
export interface CoinbaseL2Event {
  readonly type: 'snapshot' | 'update';
  /** Venue product id, `BTC-USD`. */
  readonly productId: string;
  readonly bids: readonly PriceLevel[];
  readonly asks: readonly PriceLevel[];
}

export interface CoinbaseL2Frame {
  readonly kind: 'l2';
  readonly seq: number;
  /** Frame `timestamp` as epoch ms (null if absent or unreadable). */
  readonly ts: number | null;
  readonly events: readonly CoinbaseL2Event[];
}

export interface CoinbaseHeartbeatFrame {
  readonly kind: 'heartbeat';
  readonly seq: number;
  readonly counter: number;
}

/** Any other channel's frame (`subscriptions`, `ticker`, ...): only its sequence number matters here. */
export interface CoinbaseOtherFrame {
  readonly kind: 'other';
  readonly seq: number;
  readonly channel: string;
}

/** `{"type":"error","message":...}` from the venue (no sequence number). */
export interface CoinbaseErrorFrame {
  readonly kind: 'error';
  readonly message: string;
}

export type CoinbaseFrame = CoinbaseL2Frame | CoinbaseHeartbeatFrame | CoinbaseOtherFrame | CoinbaseErrorFrame;

function lazy<T extends TSchema>(schema: T): () => TypeCheck<T> {
  let c: TypeCheck<T> | undefined;
  return () => (c ??= TypeCompiler.Compile(schema));
}
const envelopeCheck = lazy(Envelope);
const l2Check = lazy(L2Data);
const heartbeatCheck = lazy(HeartbeatEvent);
const errorCheck = lazy(WsErrorMessage);
const productsCheck = lazy(ProductsResponse);

function sniffProduct(text: string): string | null {
  return /"product_id"\s*:\s*"([A-Za-z0-9]{1,12}-[A-Za-z0-9]{1,12})"/.exec(text)?.[1] ?? null;
}

function sniffSeq(text: string): number | null {
  const m = /"sequence_num"\s*:\s*(\d{1,15})/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/**
 * One WebSocket text frame → a typed frame, or a ParseError (never throws). Checks JSON, schema, decimal strings
 * (price > 0, quantity ≥ 0: a negative quantity is rejected). A ParseError keeps the frame's `seq` and product when
 * they could still be read, so the caller can tell a consumed sequence number from a lost one.
 */
export function parseCoinbaseFrame(text: string): CoinbaseFrame | ParseError {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (cause) {
    return new ParseError('not valid JSON', sampleOf(text), { venueSymbol: sniffProduct(text), seq: sniffSeq(text) }, { cause });
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return new ParseError('frame is not a JSON object', sampleOf(text));
  const r = root as Record<string, unknown>;
  if (r.type === 'error') {
    if (errorCheck().Check(r)) return { kind: 'error', message: r.message };
    return new ParseError('malformed error message', sampleOf(text));
  }
  if (!envelopeCheck().Check(r)) {
    return new ParseError('malformed frame envelope', sampleOf(text), { venueSymbol: sniffProduct(text), seq: sniffSeq(text) });
  }
  const seq = r.sequence_num;
  if (r.channel === 'l2_data') {
    if (!l2Check().Check(r)) return new ParseError('malformed l2_data', sampleOf(text), { venueSymbol: sniffProduct(text), seq });
    const events: CoinbaseL2Event[] = [];
    for (const e of r.events) {
      const bids: PriceLevel[] = [];
      const asks: PriceLevel[] = [];
      for (const u of e.updates) {
        const price = u.price_level;
        const qty = u.new_quantity;
        if (!isUDecimal(price) || isZeroDecimal(price) || !isUDecimal(qty)) {
          return new ParseError(`bad level ${price} ${qty} for ${e.product_id}`, sampleOf(text), { venueSymbol: e.product_id, seq });
        }
        (u.side === 'bid' ? bids : asks).push([price, qty]);
      }
      events.push({ type: e.type, productId: e.product_id, bids, asks });
    }
    const ts = r.timestamp === undefined ? NaN : Date.parse(r.timestamp);
    return { kind: 'l2', seq, ts: Number.isFinite(ts) ? ts : null, events };
  }
  if (r.channel === 'heartbeats') {
    const e = r.events[0];
    if (!heartbeatCheck().Check(e)) return new ParseError('malformed heartbeats', sampleOf(text), { seq });
    const counter = Number(e.heartbeat_counter);
    if (!Number.isFinite(counter)) return new ParseError('bad heartbeat_counter', sampleOf(text), { seq });
    return { kind: 'heartbeat', seq, counter };
  }
  return { kind: 'other', seq, channel: r.channel };
}

/**
 * `GET /api/v3/brokerage/market/products` body → instrument rules for the wanted symbols (normalized → product id).
 * Products the venue doesn't list are left out; a malformed body is a ParseError.
 */
export function parseProducts(body: unknown, wanted: ReadonlyMap<string, string>): InstrumentInfo[] | ParseError {
  if (!productsCheck().Check(body)) return new ParseError('malformed products response', sampleOfValue(body));
  const byProduct = new Map<string, string>();
  for (const [norm, productId] of wanted) byProduct.set(productId, norm);
  const out: InstrumentInfo[] = [];
  for (const p of body.products) {
    const norm = byProduct.get(p.product_id);
    if (norm === undefined) continue;
    const dec = (v: string | undefined): string | null => (v !== undefined && isUDecimal(v) ? v : null);
    const [base = '', quote = ''] = p.product_id.split('-');
    const maxQty = dec(p.base_max_size);
    const maxNotional = dec(p.quote_max_size);
    out.push({
      symbol: norm,
      venueSymbol: p.product_id,
      baseAsset: p.base_currency_id ?? base,
      quoteAsset: p.quote_currency_id ?? quote,
      trading: p.trading_disabled !== true && p.is_disabled !== true && (p.status === undefined || p.status === 'online'),
      tickSize: dec(p.price_increment) ?? dec(p.quote_increment) ?? '0',
      stepSize: dec(p.base_increment) ?? '0',
      minQty: dec(p.base_min_size) ?? '0',
      maxQty: maxQty === null || isZeroDecimal(maxQty) ? null : maxQty,
      minNotional: dec(p.quote_min_size) ?? '0',
      maxNotional: maxNotional === null || isZeroDecimal(maxNotional) ? null : maxNotional,
    });
  }
  return out;
}
