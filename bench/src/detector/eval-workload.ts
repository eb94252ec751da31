import type { BookSnapshot } from '@arb/contracts';
import { seededRandom } from '../lib/random';

export interface EvalWorkloadOptions {
  readonly venues: number;
  readonly updates: number;
  /** Chance that an update moves its venue away from the others by 5-40 bps (an arbitrage window). */
  readonly jumpChance: number;
  readonly depth?: number;
  readonly seed?: number;
}

export interface EvalWorkload {
  readonly venues: readonly string[];
  /** One venue's new top-N book per update, recvTs increasing (1 ms apart). */
  readonly updates: readonly BookSnapshot[];
}

const VENUE_NAMES = ['binance', 'coinbase', 'kraken', 'okx', 'bybit', 'bitstamp', 'gemini'];

function price(x: number): string {
  return x.toFixed(2);
}

/**
 * Book updates of one symbol (BTC-USDT around 65,000) on N venues: a common fair price random walk, each venue
 * quoting around it with its own spread, 0.01-tick levels and random sizes; now and then one venue jumps
 * 5-40 bps away and drifts back (what the detector hunts). Updates come from a random venue each time.
 */
export function generateEvalWorkload(o: EvalWorkloadOptions): EvalWorkload {
  const rand = seededRandom(o.seed ?? 3);
  const depth = o.depth ?? 20;
  const venues = VENUE_NAMES.slice(0, o.venues);
  const offsetBps = venues.map(() => 0);
  let fair = 65_000;
  const updates: BookSnapshot[] = [];
  const seqs = venues.map(() => 0);
  const t0 = 1_760_000_000_000;
  for (let i = 0; i < o.updates; i++) {
    fair *= 1 + (rand() - 0.5) * 0.00004;
    const v = Math.floor(rand() * venues.length);
    if (rand() < o.jumpChance) offsetBps[v] = (rand() < 0.5 ? -1 : 1) * (5 + rand() * 35);
    else offsetBps[v] = (offsetBps[v] as number) * 0.8 + (rand() - 0.5) * 0.6;
    const mid = fair * (1 + (offsetBps[v] as number) / 10_000);
    const half = Math.max(0.01, mid * (0.5 + rand()) * 1e-4);
    const bids: [string, string][] = [];
    const asks: [string, string][] = [];
    let bid = Math.floor((mid - half) * 100) / 100;
    let ask = Math.max(bid + 0.01, Math.ceil((mid + half) * 100) / 100);
    for (let k = 0; k < depth; k++) {
      bids.push([price(bid), (0.001 + rand() * 0.8).toFixed(8)]);
      asks.push([price(ask), (0.001 + rand() * 0.8).toFixed(8)]);
      bid -= 0.01 * (1 + Math.floor(rand() * 3));
      ask += 0.01 * (1 + Math.floor(rand() * 3));
    }
    const recvTs = t0 + i;
    seqs[v] = (seqs[v] as number) + 1;
    updates.push({
      v: 1,
      venue: venues[v] as string,
      symbol: 'BTC-USDT',
      seq: seqs[v] as number,
      venueSeq: seqs[v] as number,
      venueTs: recvTs - 5,
      recvTs,
      pubTs: recvTs + 0.05,
      bids,
      asks,
    });
  }
  return { venues, updates };
}
