import { createHash } from 'node:crypto';
import { normalizeDecimal } from '@arb/domain';

export interface OpportunityKey {
  symbol: string;
  buyVenue: string;
  sellVenue: string;
  buy: { seq: number; venueSeq: number };
  sell: { seq: number; venueSeq: number };
  /** Decimal size (normalized before hashing: `0.50` and `0.5` give one id). */
  size: string;
}

/**
 * Deterministic opportunity id: the same route, books (local and venue seqs) and size always give the same id, so a
 * repeated publish is dropped by the stream's `Nats-Msg-Id` de-duplication. `opp_` + 32 hex digits of SHA-256.
 */
export function opportunityId(k: OpportunityKey): string {
  const text = `${k.symbol}|${k.buyVenue}|${k.sellVenue}|${k.buy.seq}:${k.buy.venueSeq}|${k.sell.seq}:${k.sell.venueSeq}|${normalizeDecimal(k.size)}`;
  return `opp_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** Route key `SYMBOL:buy:sell` (for maps and logs; not a subject or Redis key). */
export function routeKey(symbol: string, buyVenue: string, sellVenue: string): string {
  return `${symbol}:${buyVenue}:${sellVenue}`;
}
