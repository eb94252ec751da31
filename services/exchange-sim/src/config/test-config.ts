import { parseSimConfig } from './parse';
import type { SimConfig } from './schema';

/**
 * A small valid sim config for tests: two symbols, ephemeral ports, moderate rate. `patch` is
 * deep-merged (objects merge, arrays and scalars replace).
 */
export function testSimConfig(patch: Record<string, unknown> = {}): SimConfig {
  const base: Record<string, unknown> = {
    seed: 7,
    tickMs: 10,
    symbols: [
      { symbol: 'BTC-USDT', startPrice: '65000', volatilityBps: 2 },
      { symbol: 'ETH-USDT', startPrice: '3500', volatilityBps: 3 },
    ],
    rate: { levelUpdatesPerSec: 5000 },
    jumps: { perMinute: 30 },
    venues: {
      binance: {
        port: 0,
        instruments: {
          'BTC-USDT': { tickSize: '0.01', stepSize: '0.00001', levelSize: '0.5' },
          'ETH-USDT': { tickSize: '0.01', stepSize: '0.0001', levelSize: '5' },
        },
        priceDecimals: 8,
      },
      coinbase: {
        port: 0,
        spreadBps: 1,
        instruments: {
          'BTC-USDT': { tickSize: '0.01', stepSize: '0.00000001', levelSize: '0.3' },
          'ETH-USDT': { tickSize: '0.01', stepSize: '0.00000001', levelSize: '4' },
        },
      },
    },
    control: { port: 0, historySize: 0 },
  };
  return parseSimConfig(deepMerge(base, patch));
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) ? deepMerge(cur, v) : v;
  }
  return out;
}
