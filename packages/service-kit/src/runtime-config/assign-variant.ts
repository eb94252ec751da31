import type { Variant } from '@arb/contracts';
import { DEFAULT_VARIANT } from './document';

const encoder = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes of `key`, followed by the murmur3 finalizer so every output bit is well mixed. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(key)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** `key` mapped to [0, 1), uniformly and deterministically (same key → same point, in every process). */
export function unitInterval(key: string): number {
  return hashKey(key) / 0x1_0000_0000;
}

/**
 * The variant `oppKey` belongs to: its point in [0, 1) falls into one variant's slice of the cumulative shares (in
 * array order), else `default`. Stable: the same key always gets the same variant for the same list; appending a
 * variant, or changing the last one's share, never moves keys between the earlier variants.
 */
export function assignVariant(oppKey: string, variants: readonly Pick<Variant, 'name' | 'share'>[]): string {
  if (variants.length === 0) return DEFAULT_VARIANT;
  const u = unitInterval(oppKey);
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.share;
    if (u < cumulative) return v.name;
  }
  return DEFAULT_VARIANT;
}

/** The assignment key of a route (`BTC-USDT:binance>coinbase`); add a time bucket to rotate routes between variants. */
export function routeVariantKey(symbol: string, buyVenue: string, sellVenue: string, bucket?: number): string {
  return bucket === undefined ? `${symbol}:${buyVenue}>${sellVenue}` : `${symbol}:${buyVenue}>${sellVenue}:${bucket}`;
}
