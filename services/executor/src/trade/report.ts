import Big from 'big.js';
import type { ExecutionLeg, ExecutionReport, ExecutionStatus, Opportunity } from '@arb/contracts';
import { plain, toDp } from '../decimal';
import { reportId } from '../ids';
import type { TradeAccounts } from './accounting';
import type { LegOutcome } from './types';

export interface ReportInput {
  opp: Opportunity;
  executorId: string;
  status: ExecutionStatus;
  reason?: string;
  legs: readonly LegOutcome[];
  accounts: TradeAccounts | null;
  usdRate: Big | null;
  fencingToken: number | null;
  receivedTs: number;
  ordersSentTs: number | null;
  acksTs: number | null;
  finalTs: number;
}

const DP = 12;

/** The journal entry for one opportunity (report id derived from the opportunity id). */
export function buildReport(r: ReportInput): ExecutionReport {
  const a = r.accounts;
  const pnlQuote = a?.realizedPnlQuote;
  const residual = a?.residualBase;
  const residualQuote = a !== null && a.markPrice !== null ? a.residualBase.times(a.markPrice) : null;
  const usd = (x: Big | null | undefined): string => (x === null || x === undefined || r.usdRate === null ? '0' : toDp(x.times(r.usdRate), 8));
  return {
    v: 1,
    id: reportId(r.opp.id),
    oppId: r.opp.id,
    symbol: r.opp.symbol,
    status: r.status,
    ...(r.reason !== undefined && r.reason !== '' ? { reason: r.reason.slice(0, 512) } : {}),
    legs: r.legs.map(toExecutionLeg),
    realizedPnlQuote: pnlQuote === undefined ? '0' : toDp(pnlQuote, DP),
    realizedPnlUsd: usd(pnlQuote),
    residualBase: residual === undefined ? '0' : toDp(residual, DP),
    residualUsd: usd(residualQuote),
    fencingToken: r.fencingToken,
    executorId: r.executorId.slice(0, 128),
    variant: r.opp.variant,
    timings: { receivedTs: r.receivedTs, ordersSentTs: r.ordersSentTs, acksTs: r.acksTs, finalTs: r.finalTs },
  };
}

/** A venue's decimal as a plain non-negative decimal string (defensive: a malformed one must not block the journal). */
function udec(x: string | null | undefined): string {
  if (x === null || x === undefined) return '0';
  try {
    const b = new Big(x);
    return b.lt(0) ? '0' : plain(b);
  } catch {
    return '0';
  }
}

export function toExecutionLeg(l: LegOutcome): ExecutionLeg {
  const s = l.state;
  return {
    role: l.plan.role,
    venue: l.plan.venue,
    side: l.plan.side,
    clientOrderId: l.plan.clientOrderId,
    venueOrderId: s?.venueOrderId?.slice(0, 128) ?? null,
    limitPrice: l.plan.limitPrice,
    requestedQty: l.plan.qty,
    filledQty: udec(s?.filledQty),
    ...(s ? { filledQuote: udec(s.filledQuote) } : {}),
    avgPrice: s?.avgPrice === null || s?.avgPrice === undefined ? null : udec(s.avgPrice),
    fee: udec(s?.fee),
    feeAsset: (s?.feeAsset ?? '').slice(0, 16),
    status: l.status,
    sentTs: l.sentTs,
    ackTs: l.ackTs,
    finalTs: l.finalTs,
    ...(l.error !== undefined ? { error: l.error.slice(0, 512) } : {}),
  };
}
