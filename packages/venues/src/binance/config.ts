/** Binance Spot endpoints, symbol names and stream names. */

export const BINANCE_VENUE = 'binance';

/** Diff stream speed: `1000ms` = `@depth`, `100ms` = `@depth@100ms`, `0ms` = `@depth@0ms` (exchange-sim only, not real Binance). */
export type BinanceDepthSpeed = '1000ms' | '100ms' | '0ms';

export interface BinanceEndpoints {
  /** WebSocket base without path, e.g. `wss://stream.binance.com:9443`. */
  readonly wsBaseUrl: string;
  /** REST base without path, e.g. `https://api.binance.com`. */
  readonly restBaseUrl: string;
}

export const BINANCE_LIVE: BinanceEndpoints = {
  wsBaseUrl: 'wss://stream.binance.com:9443',
  restBaseUrl: 'https://api.binance.com',
};

/** The exchange simulator's Binance endpoints on one local port. */
export function binanceSimEndpoints(port: number, host = '127.0.0.1'): BinanceEndpoints {
  return { wsBaseUrl: `ws://${host}:${port}`, restBaseUrl: `http://${host}:${port}` };
}

export interface BinanceMarketDataConfig extends BinanceEndpoints {
  /** Normalized symbols, `BTC-USDT`. */
  readonly symbols: readonly string[];
  readonly depthSpeed?: BinanceDepthSpeed;
  /**
   * REST snapshot depth (1..5000). Weight: ≤100 → 5, ≤500 → 25, ≤1000 → 50, ≤5000 → 250, against 6000 per minute
   * per IP: at 1000 levels at most ~120 resyncs a minute. Default 1000.
   */
  readonly snapshotLimit?: number;
  /**
   * REST weight per minute the snapshots may use (of the IP's 6000, which the executors share): a symbol waits for
   * room before its snapshot. Default 3000 (half; the executors' orders and queries use the rest).
   */
  readonly snapshotWeightPerMinute?: number;
  /** Also subscribe `<sym>@bookTicker` and use it to cross-check the top of the book (mismatch → resync). */
  readonly bookTicker?: boolean;
  /** No frame for this long (ms) = dead connection. */
  readonly staleAfterMs?: number;
  readonly connectTimeoutMs?: number;
  readonly restTimeoutMs?: number;
  /** Max diff events buffered per symbol while waiting for a snapshot. */
  readonly maxBufferedEvents?: number;
}

/** `BTC-USDT` → `BTCUSDT`. */
export function toBinanceSymbol(symbol: string): string {
  return symbol.replace('-', '').toUpperCase();
}

/** Map from venue symbol (`BTCUSDT`) back to normalized symbol (`BTC-USDT`); Binance names have no separator. */
export function binanceSymbolMap(symbols: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of symbols) m.set(toBinanceSymbol(s), s);
  return m;
}

export function depthStreamName(symbol: string, speed: BinanceDepthSpeed = '100ms'): string {
  const base = `${toBinanceSymbol(symbol).toLowerCase()}@depth`;
  return speed === '1000ms' ? base : `${base}@${speed}`;
}

export function bookTickerStreamName(symbol: string): string {
  return `${toBinanceSymbol(symbol).toLowerCase()}@bookTicker`;
}

/** Combined-stream URL: `<ws>/stream?streams=a/b/c`. */
export function combinedStreamUrl(wsBaseUrl: string, streams: readonly string[]): string {
  return `${wsBaseUrl.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
}

/** REQUEST_WEIGHT of `GET /api/v3/depth` with this limit. */
export function snapshotWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

export function depthSnapshotUrl(restBaseUrl: string, symbol: string, limit = 1000): string {
  return `${restBaseUrl.replace(/\/+$/, '')}/api/v3/depth?symbol=${toBinanceSymbol(symbol)}&limit=${limit}`;
}

export function exchangeInfoUrl(restBaseUrl: string, symbols?: readonly string[]): string {
  const base = `${restBaseUrl.replace(/\/+$/, '')}/api/v3/exchangeInfo`;
  if (symbols === undefined || symbols.length === 0) return base;
  return `${base}?symbols=${encodeURIComponent(JSON.stringify(symbols.map(toBinanceSymbol)))}`;
}
