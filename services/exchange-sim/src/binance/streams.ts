/** A parsed Binance market stream name. */
export type StreamSpec =
  | { kind: 'diff'; symbol: string; speedMs: 0 | 100 | 1000 }
  | { kind: 'bookTicker'; symbol: string }
  | { kind: 'partial'; symbol: string; levels: 5 | 10 | 20; speedMs: 100 | 1000 };

const DIFF = /^([a-z0-9]+)@depth(?:@(0ms|100ms|1000ms))?$/;
const PARTIAL = /^([a-z0-9]+)@depth(5|10|20)(?:@(100ms|1000ms))?$/;
const TICKER = /^([a-z0-9]+)@bookTicker$/;

/**
 * Parses `<sym>@depth`, `<sym>@depth@100ms`, `<sym>@depth@1000ms`, `<sym>@depth@0ms` (sim-only
 * real-time extension: one event per book change; NOT a real Binance stream),
 * `<sym>@depth<5|10|20>[@100ms]` and `<sym>@bookTicker`. The symbol part stays lowercase.
 */
export function parseStream(name: string): StreamSpec | null {
  let m = DIFF.exec(name);
  if (m) {
    const speed = m[2] === '0ms' ? 0 : m[2] === '100ms' ? 100 : 1000;
    return { kind: 'diff', symbol: m[1] as string, speedMs: speed };
  }
  m = PARTIAL.exec(name);
  if (m) {
    return { kind: 'partial', symbol: m[1] as string, levels: Number(m[2]) as 5 | 10 | 20, speedMs: m[3] === '100ms' ? 100 : 1000 };
  }
  m = TICKER.exec(name);
  if (m) return { kind: 'bookTicker', symbol: m[1] as string };
  return null;
}

/** BTC-USDT -> BTCUSDT. */
export function binanceSymbol(normalized: string): string {
  return normalized.replace('-', '');
}
