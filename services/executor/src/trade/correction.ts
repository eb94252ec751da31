import Big from 'big.js';
import type { ExecutionLeg, ExecutionReport, Opportunity } from '@arb/contracts';
import { plain, toDp } from '../decimal';
import { correctionId, reportId } from '../ids';
import { account, type TradeAccounts } from './accounting';
import { classify } from './classify';
import { legStatus } from './leg-status';
import { toExecutionLeg } from './report';
import type { LegTag } from '../ids';
import type { LegOutcome } from './types';

/** What the journal holds about one venue order, summed over a trade's report and its corrections. */
interface JournaledOrder {
  qty: Big;
  quote: Big;
  fee: Big;
  leg: ExecutionLeg;
}

const orderKey = (venue: string, clientOrderId: string): string => `${venue}/${clientOrderId}`;

function big(x: string | null | undefined): Big {
  try {
    return new Big(x ?? '0');
  } catch {
    return new Big(0);
  }
}

/** Per venue order, what a trade's stored reports (report + corrections) say in total. */
export function journaledOrders(stored: readonly ExecutionReport[]): Map<string, JournaledOrder> {
  const out = new Map<string, JournaledOrder>();
  for (const r of stored) {
    for (const l of r.legs) {
      const k = orderKey(l.venue, l.clientOrderId);
      const qty = big(l.filledQty);
      const e = out.get(k) ?? { qty: new Big(0), quote: new Big(0), fee: new Big(0), leg: l };
      e.qty = e.qty.plus(qty);
      // The venue's exact quote when the leg carries it; qty × avgPrice (rounded) for older reports.
      e.quote = e.quote.plus(l.filledQuote !== undefined && (big(l.filledQuote).gt(0) || qty.eq(0)) ? big(l.filledQuote) : qty.times(big(l.avgPrice ?? '0')));
      e.fee = e.fee.plus(big(l.fee));
      if (l.feeAsset !== '') e.leg = { ...e.leg, feeAsset: l.feeAsset, status: l.status };
      out.set(k, e);
    }
  }
  return out;
}

/** A journaled order as a LegOutcome (its quote = Σ filledQuote, or qty × avgPrice where a leg lacks it). */
function outcomeOf(symbol: string, j: JournaledOrder): LegOutcome {
  const l = j.leg;
  return {
    plan: { role: l.role, tag: (l.clientOrderId.split('-').pop() ?? 'b') as LegTag, venue: l.venue, symbol, side: l.side, qty: l.requestedQty, limitPrice: l.limitPrice, clientOrderId: l.clientOrderId },
    state: {
      venue: l.venue, symbol, clientOrderId: l.clientOrderId, venueOrderId: l.venueOrderId, side: l.side, status: 'expired', final: true, requestedQty: l.requestedQty,
      filledQty: plain(j.qty), avgPrice: j.qty.gt(0) ? plain(j.quote.div(j.qty)) : null, filledQuote: plain(j.quote), fee: plain(j.fee), feeAsset: l.feeAsset, fills: [], updatedTs: l.finalTs ?? l.sentTs,
    },
    status: l.status,
    sentTs: l.sentTs,
    ackTs: l.ackTs,
    finalTs: l.finalTs,
  };
}

/** Sums of the money fields of the stored reports (what the journal says the trade made and left). */
function storedTotals(stored: readonly ExecutionReport[]): { pnlQuote: Big; pnlUsd: Big; residualBase: Big; residualUsd: Big } {
  const t = { pnlQuote: new Big(0), pnlUsd: new Big(0), residualBase: new Big(0), residualUsd: new Big(0) };
  for (const r of stored) {
    t.pnlQuote = t.pnlQuote.plus(big(r.realizedPnlQuote));
    t.pnlUsd = t.pnlUsd.plus(big(r.realizedPnlUsd));
    t.residualBase = t.residualBase.plus(big(r.residualBase));
    t.residualUsd = t.residualUsd.plus(big(r.residualUsd));
  }
  return t;
}

export interface CorrectionInput {
  opp: Opportunity;
  /** The trade's reports as stored in the journal (its report and any corrections), oldest first. */
  stored: readonly ExecutionReport[];
  /** Every order of the trade as known now (venue states). */
  truth: readonly LegOutcome[];
  executorId: string;
  usdRate: Big | null;
  fencingToken: number | null;
  /** Whether a venue could still trade what the corrected legs leave imbalanced. */
  tradeable: boolean;
  finalTs: number;
  reason?: string;
}

export interface Correction {
  report: ExecutionReport;
  /** Balance changes of the added fills (to settle in the inventory ledger). */
  accounts: TradeAccounts;
}

/**
 * The correcting report that makes the journal equal `truth`, or null when the stored reports already hold
 * everything `truth` knows. Fills at a venue only grow, so per venue order the larger of (journaled, known) is the
 * truth; a correction adds, per order the journal holds less of, the missing quantity, fee and quote (and every order
 * the journal does not hold at all), and the change of the trade's PnL and residual (see ExecutionReport.corrects).
 */
export function buildCorrection(c: CorrectionInput): Correction | null {
  const journaled = journaledOrders(c.stored);
  const added: LegOutcome[] = [];
  const merged = new Map<string, LegOutcome>();
  for (const [k, j] of journaled) merged.set(k, outcomeOf(c.opp.symbol, j));
  for (const l of c.truth) {
    const k = orderKey(l.plan.venue, l.plan.clientOrderId);
    const j = journaled.get(k);
    const s = l.state;
    if (s === null) {
      // Not known to the venue (or refused): nothing to add; an order the journal lacks entirely is still listed.
      if (j === undefined) {
        merged.set(k, l);
        if (l.status === 'rejected') added.push(l);
      }
      continue;
    }
    const dq = big(s.filledQty).minus(j?.qty ?? 0);
    const dfee = big(s.fee).minus(j?.fee ?? 0);
    if (j !== undefined && (dq.lt(0) || (dq.eq(0) && dfee.lte(0)))) continue; // the journal knows as much or more
    merged.set(k, l);
    const dquote = big(s.filledQuote).minus(j?.quote ?? 0);
    added.push({
      ...l,
      state: {
        ...s,
        filledQty: plain(dq),
        filledQuote: plain(dquote.lt(0) ? new Big(0) : dquote),
        avgPrice: dq.gt(0) && dquote.gt(0) ? toDp(dquote.div(dq), 12) : null,
        fee: plain(dfee.lt(0) ? new Big(0) : dfee),
        fills: [],
      },
      status: legStatus(s),
    });
  }
  if (added.length === 0) return null;
  const main = c.stored.find((r) => r.corrects === undefined) ?? c.stored[0];
  const all = [...merged.values()];
  const totals = account(c.opp, all);
  const before = storedTotals(c.stored);
  const residualQuote = totals.markPrice === null ? new Big(0) : totals.residualBase.times(totals.markPrice);
  const usd = (x: Big): Big => (c.usdRate === null ? new Big(0) : x.times(c.usdRate));
  const verdict = classify(all, c.opp.size, { tradeable: c.tradeable });
  const legs: ExecutionLeg[] = added.map(toExecutionLeg);
  const content = JSON.stringify([c.stored.map((r) => r.id).sort(), legs.map((l) => [l.venue, l.clientOrderId, l.filledQty, l.fee])]);
  const what = legs.map((l) => `${l.clientOrderId}@${l.venue} +${l.filledQty}`).join(', ');
  const report: ExecutionReport = {
    v: 1,
    id: correctionId(c.opp.id, content),
    oppId: c.opp.id,
    symbol: c.opp.symbol,
    status: verdict.status,
    reason: `correction of ${reportId(c.opp.id)} (${c.reason ?? 'venue truth differs from the journal'}): ${what}`.slice(0, 512),
    legs,
    realizedPnlQuote: toDp(totals.realizedPnlQuote.minus(before.pnlQuote), 12),
    realizedPnlUsd: toDp(usd(totals.realizedPnlQuote).minus(before.pnlUsd), 8),
    residualBase: toDp(totals.residualBase.minus(before.residualBase), 12),
    residualUsd: toDp(usd(residualQuote).minus(before.residualUsd), 8),
    fencingToken: c.fencingToken,
    executorId: c.executorId.slice(0, 128),
    variant: c.opp.variant,
    timings: { receivedTs: main?.timings.receivedTs ?? c.finalTs, ordersSentTs: main?.timings.ordersSentTs ?? null, acksTs: null, finalTs: c.finalTs },
    corrects: reportId(c.opp.id),
  };
  return { report, accounts: account(c.opp, added) };
}
