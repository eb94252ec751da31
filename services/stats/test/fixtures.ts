import type { ExecutionLeg, ExecutionReport, Opportunity } from '@arb/contracts';

type LegInput = Pick<ExecutionLeg, 'role' | 'venue' | 'side'> & Partial<ExecutionLeg>;

/** An ExecutionLeg with defaults for what a test does not care about. */
export function leg(l: LegInput): ExecutionLeg {
  const filled = l.filledQty ?? l.requestedQty ?? '1';
  return {
    clientOrderId: `c-${l.role}-${l.venue}`,
    venueOrderId: '1',
    limitPrice: l.avgPrice ?? '1',
    requestedQty: filled,
    filledQty: filled,
    avgPrice: null,
    fee: '0',
    feeAsset: '',
    status: 'filled',
    sentTs: 1,
    ackTs: 2,
    finalTs: 3,
    ...l,
  };
}

/** An ExecutionReport with defaults (a filled BTC-USDT trade with no legs unless given). */
export function report(r: Partial<ExecutionReport> & Pick<ExecutionReport, 'id'>): ExecutionReport {
  return {
    v: 1,
    oppId: `opp_${r.id}`.slice(0, 64),
    symbol: 'BTC-USDT',
    status: 'filled',
    legs: [],
    realizedPnlQuote: '0',
    realizedPnlUsd: '0',
    residualBase: '0',
    residualUsd: '0',
    fencingToken: 1,
    executorId: 'executor-test',
    variant: 'default',
    timings: { receivedTs: 1000, ordersSentTs: 1000.5, acksTs: 1010, finalTs: 1100 },
    ...r,
  };
}

export function opportunity(o: Partial<Opportunity> & Pick<Opportunity, 'id'>): Opportunity {
  return {
    v: 1,
    symbol: 'BTC-USDT',
    buy: { venue: 'binance', limitPrice: '65000', vwap: '65000', size: '0.1' },
    sell: { venue: 'coinbase', limitPrice: '65100', vwap: '65100', size: '0.1' },
    size: '0.1',
    grossEdgeBps: '15',
    netEdgeBps: '5',
    profitQuote: '3',
    profitUsd: '3',
    confidence: 0.8,
    detectedTs: 1000,
    expiresTs: 1500,
    books: { buy: { recvTs: 1, seq: 1, venueSeq: 1 }, sell: { recvTs: 1, seq: 1, venueSeq: 1 } },
    variant: 'default',
    ...o,
  };
}

/** Four hand-computed reports (see stats-book.test.ts for the expected totals). */
export const REPORT_A = report({
  id: 'exec_a',
  symbol: 'BTC-USDT',
  status: 'filled',
  legs: [
    leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '0.5', avgPrice: '65000.01', fee: '0.0005', feeAsset: 'BTC' }),
    leg({ role: 'sell', venue: 'coinbase', side: 'sell', filledQty: '0.5', avgPrice: '65100', fee: '19.53', feeAsset: 'USDT' }),
  ],
  realizedPnlQuote: '-2.085',
  realizedPnlUsd: '-2.085',
  residualBase: '-0.0005',
  residualUsd: '-32.55',
  timings: { receivedTs: 1000, ordersSentTs: 1000.25, acksTs: 1100, finalTs: 1250.5 },
});

export const REPORT_B = report({
  id: 'exec_b',
  symbol: 'ETH-USDT',
  status: 'hedged',
  variant: 'b',
  legs: [
    leg({ role: 'buy', venue: 'coinbase', side: 'buy', filledQty: '2', avgPrice: '3500', fee: '42', feeAsset: 'USDT' }),
    leg({ role: 'sell', venue: 'binance', side: 'sell', requestedQty: '2', filledQty: '0', avgPrice: null, limitPrice: '3501', status: 'rejected' }),
    leg({ role: 'hedge', venue: 'binance', side: 'sell', filledQty: '2', avgPrice: '3498.5', fee: '0.01', feeAsset: 'BNB' }),
  ],
  realizedPnlQuote: '-45',
  realizedPnlUsd: '-45',
  timings: { receivedTs: 2000, ordersSentTs: 2000.75, acksTs: 2100, finalTs: 2400 },
});

export const REPORT_C = report({
  id: 'exec_c',
  symbol: 'BTC-USDT',
  status: 'skipped',
  reason: 'concurrency',
  legs: [],
  fencingToken: null,
  timings: { receivedTs: 3000, ordersSentTs: null, acksTs: null, finalTs: 3000.125 },
});

/** Quote BTC has no USD peg: its rate comes from the report (6.5 USD / 0.0001 BTC = 65000). */
export const REPORT_E = report({
  id: 'exec_e',
  symbol: 'ETH-BTC',
  status: 'filled',
  legs: [
    leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '1', avgPrice: '0.05', fee: '0.00005', feeAsset: 'BTC' }),
    leg({ role: 'sell', venue: 'coinbase', side: 'sell', filledQty: '1', avgPrice: '0.0502', fee: '0.001', feeAsset: 'ETH' }),
  ],
  realizedPnlQuote: '0.0001',
  realizedPnlUsd: '6.5',
  timings: { receivedTs: 4000, ordersSentTs: 4000.5, acksTs: 4050, finalTs: 4100 },
});
