import Big from 'big.js';
import type { ExchangeSim } from '../src';
import { HOST, getJson, startSim } from './helpers';
import { binanceSign, cdpJwt, newCdpKey, type CdpKey } from './sign';

export const BINANCE_KEY = 'simTestKey0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789';
export const BINANCE_SECRET = 'simTestSecret0123456789abcdefABCDEF0123456789abcdefABCDEF01234';
export const START = { BTC: '10', ETH: '100', USDT: '1000000' };

/** A market that does not move on its own (no churn, no drift, no jumps): only orders change the books. */
export const QUIET = {
  rate: { levelUpdatesPerSec: 0 },
  jumps: { perMinute: 0 },
  symbols: [
    { symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 0 },
    { symbol: 'ETH-USDT', startPrice: '3500', volatilityBps: 0 },
  ],
  venues: { binance: { noiseBps: 0 }, coinbase: { noiseBps: 0 } },
};

export interface TradingSim {
  sim: ExchangeSim;
  cb: CdpKey;
  binanceUrl: string;
  coinbaseUrl: string;
  control: string;
}

/** An in-process sim with one Binance and one Coinbase account (fresh Coinbase key pair). */
export async function startTradingSim(patch: Record<string, unknown> = {}): Promise<TradingSim> {
  const cb = newCdpKey();
  const sim = await startSim({
    control: { port: 0, historySize: 10000 },
    accounts: {
      binance: [{ apiKey: BINANCE_KEY, secretKey: BINANCE_SECRET, balances: START }],
      coinbase: [{ keyName: cb.keyName, publicKey: cb.publicKeyPem, balances: START }],
    },
    ...patch,
  });
  return { sim, cb, binanceUrl: `http://${HOST}:${sim.ports.binance}`, coinbaseUrl: `http://${HOST}:${sim.ports.coinbase}`, control: `http://${HOST}:${sim.ports.control}` };
}

export interface BinanceCall {
  apiKey?: string | null;
  secret?: string;
  timestamp?: number;
  recvWindow?: number;
  /** Send the params in the body instead of the query string. */
  inBody?: boolean;
  signature?: string;
  signal?: AbortSignal;
}

/** A signed Binance request built by hand: params (+timestamp, recvWindow) signed with HMAC-SHA256, key header. */
export async function binance<T = Record<string, unknown>>(base: string, method: string, path: string, params: Record<string, string>, o: BinanceCall = {}): Promise<{ status: number; body: T }> {
  const { status, body } = await binanceRaw<T>(base, method, path, params, o);
  return { status, body };
}

/** `binance()` that also returns the response headers. */
export async function binanceRaw<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  params: Record<string, string>,
  o: BinanceCall = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const all: Record<string, string> = { ...params, timestamp: String(o.timestamp ?? Date.now()) };
  if (o.recvWindow !== undefined) all.recvWindow = String(o.recvWindow);
  const qs = new URLSearchParams(all).toString();
  const sig = o.signature ?? binanceSign(o.secret ?? BINANCE_SECRET, qs);
  const signed = `${qs}&signature=${sig}`;
  const headers: Record<string, string> = {};
  if (o.apiKey !== null) headers['x-mbx-apikey'] = o.apiKey ?? BINANCE_KEY;
  if (o.inBody) headers['content-type'] = 'application/x-www-form-urlencoded';
  const url = o.inBody ? `${base}${path}` : `${base}${path}?${signed}`;
  const r = await fetch(url, { method, headers, body: o.inBody ? signed : undefined, signal: o.signal });
  return { status: r.status, body: (await r.json()) as T, headers: r.headers };
}

/** A Coinbase request with a hand-made ES256 JWT whose uri is `METHOD host/path`. */
export async function coinbase<T = Record<string, unknown>>(
  base: string,
  key: CdpKey,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  o: { uriHost?: string; token?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: T }> {
  const host = o.uriHost ?? new URL(base).host;
  const path = pathAndQuery.split('?')[0] as string;
  const token = o.token ?? cdpJwt(key, { uri: `${method} ${host}${path}` });
  const r = await fetch(`${base}${pathAndQuery}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: o.signal,
  });
  const text = await r.text();
  // The venue answers a failed authentication with a plain-text "Unauthorized" (the sim adds why in a header).
  const parsed = (r.headers.get('content-type') ?? '').startsWith('application/json') ? (JSON.parse(text) as T) : ({ text, authFailure: r.headers.get('x-sim-auth-failure') } as T);
  return { status: r.status, body: parsed };
}

export interface TrueBookState {
  updateId: number;
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}

/** The true book now, or as of the book's own update id `updateId` (needs history). */
export async function trueBook(control: string, venue: string, symbol: string, updateId?: number): Promise<TrueBookState> {
  const r = await getJson<TrueBookState>(`${control}/control/book?venue=${venue}&symbol=${symbol}&depth=50${updateId === undefined ? '' : `&updateId=${updateId}`}`);
  if (r.status !== 200) throw new Error(`control/book ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface ControlAccount {
  key: string;
  balances: Array<{ asset: string; free: string; locked: string }>;
}

/** Free balance of `asset` of the venue's first account, from the sim's truth. */
export async function freeBalance(control: string, venue: string, asset: string): Promise<Big> {
  const r = await getJson<Record<string, ControlAccount[]>>(`${control}/control/accounts?venue=${venue}`);
  const b = r.body[venue]?.[0]?.balances.find((x) => x.asset === asset);
  return new Big(b?.free ?? '0');
}

/** Size-weighted price of the first `n` levels (as Big) and their total size. */
export function sweep(levels: Array<[string, string]>, n: number): { qty: Big; quote: Big; last: string } {
  let qty = new Big(0);
  let quote = new Big(0);
  for (const [p, s] of levels.slice(0, n)) {
    qty = qty.plus(s);
    quote = quote.plus(new Big(p).times(s));
  }
  return { qty, quote, last: (levels[n - 1] as [string, string])[0] };
}

/** Polls `probe` until it returns a value other than undefined (every `everyMs`), or rejects after `timeoutMs`. */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition', everyMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
