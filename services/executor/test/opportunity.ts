import type { Opportunity } from '@arb/contracts';

let n = 0;

/** A valid Opportunity (buy binance, sell coinbase, BTC-USDT) with fields overridable. */
export function makeOpp(over: Partial<Opportunity> & { id?: string } = {}): Opportunity {
  n++;
  const now = performance.timeOrigin + performance.now();
  return {
    v: 1,
    id: over.id ?? `opp_test${process.pid}x${n}x${Math.random().toString(16).slice(2, 10)}`,
    symbol: 'BTC-USDT',
    buy: { venue: 'binance', limitPrice: '65000.00', vwap: '65000', size: '0.1' },
    sell: { venue: 'coinbase', limitPrice: '65100.00', vwap: '65100', size: '0.1' },
    size: '0.1',
    grossEdgeBps: '15.38',
    netEdgeBps: '10',
    profitQuote: '6.5',
    profitUsd: '6.5',
    confidence: 0.9,
    detectedTs: now,
    expiresTs: now + 5_000,
    books: { buy: { recvTs: now, seq: 1, venueSeq: 1 }, sell: { recvTs: now, seq: 1, venueSeq: 1 } },
    variant: 'default',
    ...over,
  };
}
