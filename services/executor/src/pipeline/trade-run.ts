import type Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import type { InventoryItem } from '../coordination';
import type { InflightRecord } from '../inflight/record';
import type { TradeJournalResult } from '../journal';
import { account, type TradeAccounts } from '../trade/accounting';
import { classify } from '../trade/classify';
import { runLeg, type LegRunnerDeps } from '../trade/leg-runner';
import { resolveLegRisk } from '../trade/leg-risk';
import { buildReport } from '../trade/report';
import type { LegOutcome, LegPlan } from '../trade/types';
import type { Acquired } from './acquire';
import { release } from './acquire';
import type { ExecutorDeps, HandleResult } from './context';
import { settleCorrection, settleInventory } from './inventory-plan';
import { recordedSend } from './plans';

export interface TradeParams {
  opp: Opportunity;
  receivedTs: number;
  /** The in-flight record, already stored by acquireAll. */
  record: InflightRecord;
  plans: [LegPlan, LegPlan];
  holder: string;
  reservations: InventoryItem[];
  held: Acquired;
  usdRate: Big | null;
  /** Time spent waiting for a busy semaphore/route: not part of the hot path. */
  waitedMs: number;
}

/** An order whose outcome may still change: the venue never gave a state (outcome unknown), or it is not final. */
export function undecided(l: LegOutcome): boolean {
  return l.state === null ? l.status !== 'rejected' : !l.state.final;
}

/**
 * Both legs on the wire at once (the in-flight record is already stored) → follow to final → leg-risk policy, every
 * further order fenced (sent only after a write that succeeds only while the record is still this process's) →
 * release lease and lock → journal every order sent (the report is built from the outcomes kept in memory, whatever
 * failed around them; a `duplicate` is compared with the journal and corrected) → settle inventory exactly once →
 * delete the record, or keep it for a follow-up when an order's outcome is still unknown. A crash anywhere leaves
 * the record for reconciliation; no order is ever sent before its record is stored.
 */
export async function runTrade(d: ExecutorDeps, p: TradeParams): Promise<HandleResult> {
  const { opp, held, record } = p;
  const s = d.settings;
  const [buy, sell] = p.plans;
  d.active.add(opp.id);
  d.metrics.localTrades.inc();
  try {
    const runner: LegRunnerDeps = {
      client: (venue) => d.clients.get(venue) as NonNullable<ReturnType<typeof d.clients.get>>,
      tracker: d.tracker,
      now: d.now,
      pollIntervalMs: s.pollIntervalMs,
      onAck: (plan, sentTs, ackTs) => d.metrics.legLatency.labels(plan.venue, plan.role).observe(ackTs - sentTs),
    };
    const ordersSentTs = d.now();
    const deadline = ordersSentTs + s.orderTimeoutMs;
    const both = Promise.all([runLeg(runner, buy, deadline), runLeg(runner, sell, deadline)]);
    d.metrics.hotPath.observe(d.now() - p.receivedTs - p.waitedMs);
    d.lateFills?.begin(record);
    held.lease.startAutoRenew(s.leaseRenewIntervalMs, () => {
      d.metrics.leaseLost.inc();
      d.warn('lease-lost', { oppId: opp.id, fencingToken: held.lease.token }, 'semaphore lease lost mid-trade; further orders only while the in-flight record is still ours');
    });
    record.fencingToken = held.lease.token;
    record.sentTs = ordersSentTs;
    // The token, off the hot path (fenced: never re-creates a record that was taken over or lost meanwhile).
    d.inflight.update(record).catch(() => d.metrics.redisErrors.labels('inflight').inc());
    const base = await both;
    const acks = base.map((l) => l.ackTs).filter((t): t is number => t !== null);
    const acksTs = acks.length === 2 ? Math.max(...acks) : null;

    const resolved = await resolveLegRisk(
      {
        settings: s.legRisk,
        opp,
        tradeKey: record.tradeKey,
        instruments: d.instruments,
        sleep: d.sleep,
        send: recordedSend(d.inflight, record, runner, s.orderTimeoutMs, {
          writeRetryMs: s.recordWriteRetryMs,
          sleep: d.sleep,
          ownedSince: p.receivedTs,
          onWriteError: () => d.metrics.redisErrors.labels('inflight').inc(),
        }),
      },
      base,
    );
    const stopped = resolved.stopped;
    if (stopped !== undefined) {
      d.metrics.tradesStopped.labels(stopped.reason).inc();
      if (stopped.reason === 'fenced') d.lateFills?.forget(record); // the trade is someone else's now
      d.warn(`stopped:${stopped.reason}`, { oppId: opp.id, err: stopped }, 'leg-risk resolution stopped: no further order; the report holds every order sent');
    }
    void release(d, { holder: p.holder, reservations: [] }, held.lease, held.lock, false);

    const accounts = account(opp, resolved.legs);
    const verdict = classify(resolved.legs, opp.size, resolved);
    const reason = [verdict.reason, stopped?.message].filter((x): x is string => x !== undefined).join('; ');
    const report = buildReport({
      opp,
      executorId: s.executorId,
      status: verdict.status,
      ...(reason !== '' ? { reason } : {}),
      legs: resolved.legs,
      accounts,
      usdRate: p.usdRate,
      fencingToken: held.lease.token,
      receivedTs: p.receivedTs,
      ordersSentTs,
      acksTs,
      finalTs: d.now(),
    });
    const written = await d.journal.writeTrade(report, { opp, legs: resolved.legs, usdRate: p.usdRate, tradeable: resolved.tradeable });
    d.onReport?.(report, written.kind === 'stored');
    if (written.kind === 'corrected') {
      d.metrics.corrections.inc();
      d.warn(`correction:${opp.id}`, { oppId: opp.id, correction: written.correction.report.id }, 'the journal held this trade with less than was sent: corrected');
    }
    if (written.kind === 'unverified') d.warn(`unverified:${opp.id}`, { oppId: opp.id, err: written.error }, 'trade journaled before by someone, not comparable now: followed up later');
    d.lateFills?.journaled(record, resolved.legs);
    // Followed up from the record: orders whose outcome is unknown, or a duplicate whose journal could not be read.
    const pending = written.kind === 'unverified' ? resolved.legs : resolved.legs.filter(undecided);
    await finishRecord(d, p, accounts, written, pending);
    for (const f of accounts.fees) d.metrics.fees.labels(f.venue, f.asset).inc(Number(f.amount));
    return { kind: 'journaled', status: report.status, report };
  } finally {
    d.active.delete(opp.id);
    d.metrics.localTrades.dec();
  }
}

/**
 * After journaling: settle inventory (exactly once over all executors), then delete the record, or, when some order's
 * outcome is still unknown, keep it marked `followUp` (the reconciler asks the venues again and journals a correction
 * if they did more). Settling comes first: a record in flight tells the ledger reconciliation that balances may move.
 */
async function finishRecord(d: ExecutorDeps, p: TradeParams, accounts: TradeAccounts, written: TradeJournalResult, pending: readonly LegOutcome[]): Promise<void> {
  const { opp, record } = p;
  try {
    if (p.reservations.length > 0) {
      // Exactly once: false when another executor (that took the trade over) settled it with its own truth already.
      const settled = await settleInventory(d.ledger, opp.symbol, p.reservations, accounts, p.holder);
      if (!settled && written.kind === 'corrected') await settleCorrection(d.ledger, opp.symbol, written.correction.accounts);
    }
    if (pending.length > 0) {
      record.followUp = true;
      const kept = (await d.inflight.update(record)) || (await d.inflight.recreate(record, p.receivedTs)) === 'written';
      d.metrics.followUps.inc();
      d.warn(`follow-up:${opp.id}`, { oppId: opp.id, kept, orders: pending.map((l) => `${l.plan.clientOrderId}@${l.plan.venue}`) }, 'order outcome unknown when journaled: followed up from the in-flight record');
    } else {
      await d.inflight.remove(opp.id);
    }
  } catch (err) {
    d.metrics.redisErrors.labels('cleanup').inc();
    d.warn('cleanup', { err, oppId: opp.id }, 'settling inventory or finishing the in-flight record failed (the sweeper finishes the record)');
  }
}
