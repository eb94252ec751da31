import type { BookSnapshot } from '@arb/contracts';

export const FLOOR_VENUE = 'binance';
export const FLOOR_SYMBOL = 'BTC-USDT';

/** Price with Binance's 8 decimals, from an integer number of 0.01 ticks. */
function px(ticks: number): string {
  return `${Math.floor(ticks / 100)}.${String(ticks % 100).padStart(2, '0')}000000`;
}

/**
 * A realistic BookSnapshot (top 20 per side, Binance-style 8-decimal strings): about 1.5 KB of JSON, the size the
 * feed-ingestor publishes. Time fields are overwritten by the publisher on each send.
 */
export function sampleBookSnapshot(depth = 20): BookSnapshot {
  const bids: [string, string][] = [];
  const asks: [string, string][] = [];
  for (let i = 0; i < depth; i++) {
    bids.push([px(6_500_000 - i * 3), `${(0.01 + ((i * 7919) % 1000) / 997).toFixed(8)}`]);
    asks.push([px(6_500_001 + i * 3), `${(0.02 + ((i * 6151) % 1000) / 991).toFixed(8)}`]);
  }
  return { v: 1, venue: FLOOR_VENUE, symbol: FLOOR_SYMBOL, seq: 0, venueSeq: 0, venueTs: 0, recvTs: 0, pubTs: 0, bids, asks };
}
