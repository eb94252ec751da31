import type { BookSnapshot, Level } from '@arb/contracts';
import { nowMs } from '../lib/clock';

export const EDGE_SYMBOL = 'BTC-USDT';
/** Taker fee 10 bps, lot 0.001, tick 0.01 on both venues (detector env in detector-env.ts). */
export const EDGE_VENUES = ['alpha', 'beta'] as const;
const DEPTH = 20;
/** Distinct level-2 prices cycled per venue: consecutive updates of a venue never repeat the previous one. */
const VARIANTS = 4;

/** `6500001` (cents) → `65000.01000000` (Binance-style 8 decimals, like the real feed). */
function px(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}000000`;
}

const lvl = (cents: number, size: string): Level => [px(cents), size];

/**
 * Two venues with a standing cross: alpha's asks 65000.00 / 65000.01+k (0.02 each) sit under beta's bids
 * 65200.00 / 65199.99−k (0.02 each); the third levels (65010 ask, 64900 bid) lose money, so the profit-maximizing
 * size is 0.04 and the limits are the level-2 prices. Each update re-publishes one venue (alternating) with the
 * next k, so its limit price changes and the detector publishes a new opportunity for every update (suppression
 * only holds back unchanged terms); mids never move, so volatility stays at zero. 20 levels a side (~1.5 KB).
 */
export function edgeBook(venue: 'alpha' | 'beta', k: number): { bids: Level[]; asks: Level[] } {
  const bids: Level[] = [];
  const asks: Level[] = [];
  if (venue === 'alpha') {
    asks.push(lvl(6_500_000, '0.02000000'), lvl(6_500_001 + k, '0.02000000'));
    for (let j = 2; j < DEPTH; j++) asks.push(lvl(6_501_000 + (j - 2) * 50, '0.50000000'));
    for (let j = 0; j < DEPTH; j++) bids.push(lvl(6_499_000 - j * 50, '0.50000000'));
  } else {
    bids.push(lvl(6_520_000, '0.02000000'), lvl(6_519_999 - k, '0.02000000'));
    for (let j = 2; j < DEPTH; j++) bids.push(lvl(6_490_000 - (j - 2) * 50, '0.50000000'));
    for (let j = 0; j < DEPTH; j++) asks.push(lvl(6_521_000 + j * 50, '0.50000000'));
  }
  return { bids, asks };
}

/** Buy/sell limits of the opportunity an update with level-2 variant k opens (exact strings, for tests). */
export const edgeLimits = { buy: (k: number): string => px(6_500_001 + k), sell: (k: number): string => px(6_519_999 - k) };

/**
 * The stream of updates: alternately alpha and beta, each with a fresh seq/venueSeq, recvTs stamped when the update
 * is built and pubTs right before encoding (as the feed-ingestor does). `venueNames` renames the venues (the floor
 * publishes the same books under its own names).
 */
export class EdgeBooks {
  private n = 0;
  private readonly books: BookSnapshot[][];

  constructor(readonly venueNames: readonly [string, string] = EDGE_VENUES) {
    this.books = EDGE_VENUES.map((v, i) =>
      Array.from({ length: VARIANTS }, (_, k) => ({
        v: 1 as const,
        venue: venueNames[i] as string,
        symbol: EDGE_SYMBOL,
        seq: 0,
        venueSeq: 0,
        venueTs: 0,
        recvTs: 0,
        pubTs: 0,
        ...edgeBook(v, k),
      })),
    );
  }

  /** The next update: index of its venue (0 alpha, 1 beta) and its JSON. */
  next(): { venueIndex: 0 | 1; json: string } {
    const recvTs = nowMs();
    const i = this.n++;
    const venueIndex = (i % 2) as 0 | 1;
    const perVenue = Math.floor(i / 2);
    const b = this.books[venueIndex]?.[perVenue % VARIANTS] as BookSnapshot;
    b.seq = perVenue + 1;
    b.venueSeq = 1_000_000 + perVenue;
    b.venueTs = Math.floor(recvTs);
    b.recvTs = recvTs;
    b.pubTs = nowMs();
    return { venueIndex, json: JSON.stringify(b) };
  }

  get sent(): number {
    return this.n;
  }
}
