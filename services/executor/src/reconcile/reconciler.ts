import type { ExecutionReport } from '@arb/contracts';
import type { InventoryLedger, RedisSemaphore, RouteLock } from '../coordination';
import { inflightRecordValidator, type InflightRecord } from '../inflight/record';
import type { InflightStore } from '../inflight/store';
import type { Journal, TradeJournalResult } from '../journal';
import type { ExecutorMetrics } from '../metrics';
import { settleCorrection, settleInventory } from '../pipeline/inventory-plan';
import type { Warn } from '../pipeline/context';
import { account } from '../trade/accounting';
import { classify } from '../trade/classify';
import { netBase } from '../trade/fills';
import { recordedSend } from '../pipeline/plans';
import { resolveLegRisk, type LegRiskSettings } from '../trade/leg-risk';
import type { OrderTracker } from '../trade/order-tracker';
import { buildReport } from '../trade/report';
import type { UsdRates } from '../trade/usd';
import type { VenueTradingClient } from '@arb/venues';
import type { LegOutcome } from '../trade/types';
import type { InstrumentTable } from '../venues/instruments';
import { legTruth } from './leg-truth';

const TAG = /-(b|s|h[1-9]|u[1-9])$/;

/** Adds to the record every order of its trade that the journal holds and the record does not. */
export function addJournaledLegs(record: InflightRecord, stored: readonly ExecutionReport[]): void {
  const known = new Set(record.legs.map((l) => `${l.venue}/${l.clientOrderId}`));
  for (const l of stored.flatMap((r) => r.legs)) {
    const tag = TAG.exec(l.clientOrderId)?.[1];
    const key = `${l.venue}/${l.clientOrderId}`;
    if (tag === undefined || known.has(key) || !l.clientOrderId.startsWith(`${record.tradeKey}-`) || record.legs.length >= 20) continue;
    known.add(key);
    record.legs.push({ role: l.role, tag, venue: l.venue, symbol: record.opp.symbol, side: l.side, qty: l.requestedQty, limitPrice: l.limitPrice, clientOrderId: l.clientOrderId, ts: l.sentTs });
  }
}

export interface ReconcilerDeps {
  executorId: string;
  store: InflightStore;
  clients: ReadonlyMap<string, VenueTradingClient>;
  journal: Journal;
  ledger: InventoryLedger;
  /** The trade semaphore now (null = no limit) and the route locks: a finished record's holder gives back both. */
  semaphore(): RedisSemaphore | null;
  routeLock: RouteLock;
  instruments: InstrumentTable;
  usd: UsdRates;
  legRisk: LegRiskSettings;
  /** Order updates of the private streams (hedge/unwind orders are followed like the pipeline's). */
  tracker: OrderTracker;
  orderTimeoutMs: number;
  pollIntervalMs: number;
  /** An executor whose heartbeat is older than this is dead (its records are taken over). */
  heartbeatTtlMs: number;
  /** A venue not knowing an order means "never arrived" only this long after it was sent. */
  notFoundGraceMs: number;
  /** An order whose outcome stays unknown this long after it was sent is journaled as unknown and given up. */
  followUpGiveUpMs: number;
  /** Redis errors of an in-flight record write before a hedge/unwind order are retried this long. */
  recordWriteRetryMs: number;
  sleep(ms: number): Promise<void>;
  /** Trades this process runs now: their records are not orphans. */
  active: ReadonlySet<string>;
  metrics: ExecutorMetrics;
  warn: Warn;
  now(): number;
}

/**
 * Finishes trades that are in flight without a live trade run: records of executors whose heartbeat expired (and
 * whose trade holds no live semaphore lease) are taken over; then every own record no live trade of this process
 * owns (left by an earlier process of our id, taken over, or kept after journaling for a follow-up of orders whose
 * outcome was unknown or reported late) is claimed (re-stamped: a previous owner still alive is fenced out) with a
 * new fencing token, and each of its orders is looked up by client order id (anything open is cancelled). While an
 * order's outcome is undecided (the venue does not know it yet, see legTruth) the record waits for the next sweep,
 * up to followUpGiveUpMs. Then a one-legged outcome is closed by the leg-risk policy like a live trade would (fenced,
 * recorded hedge / unwind orders), the report built from that truth is journaled (a trade already journaled gets a
 * correction when the truth differs: Journal.writeTrade), the inventory settled exactly once, the dead holder's
 * semaphore lease and route lock freed (else they block trading until they expire) and the record deleted.
 */
export class Reconciler {
  constructor(private readonly d: ReconcilerDeps) {}

  /** One pass; resolves with the number of records finished. Errors of one record leave it for the next pass. */
  async sweep(): Promise<number> {
    const d = this.d;
    for (const key of await d.store.otherKeys()) {
      const moved = await d.store.takeOver(key, d.heartbeatTtlMs);
      if (moved !== null && moved.length > 0) d.warn(`takeover:${key}`, { key, records: moved.length }, 'took over in-flight records of a dead executor');
    }
    let done = 0;
    for (const oppId of (await d.store.own()).keys()) {
      if (d.active.has(oppId)) continue;
      try {
        if (await this.finish(oppId)) done++;
      } catch (err) {
        d.warn(`reconcile:${oppId}`, { err, oppId }, 'reconciliation of an in-flight record failed; retried next sweep');
      }
    }
    return done;
  }

  private async finish(oppId: string): Promise<boolean> {
    const d = this.d;
    if (d.active.has(oppId)) return false;
    const claimedAt = d.now();
    const claimed = await d.store.claim(oppId);
    if (claimed === null) return false;
    let record: InflightRecord;
    try {
      record = inflightRecordValidator.decode(claimed.json);
    } catch (err) {
      d.metrics.badInput.labels('inflight-record').inc();
      d.warn('bad-record', { err, oppId }, 'unreadable in-flight record deleted');
      await d.store.remove(oppId);
      return false;
    }
    // Orders of the trade the journal knows and this record does not (sent by another executor of the trade, e.g. an
    // earlier follow-up): part of the truth, and their client order ids must not be used again.
    addJournaledLegs(record, await d.journal.stored(record.opp.symbol, record.opp.id, record.receivedTs));
    const truths = await Promise.all(record.legs.map((l) => legTruth(d.clients.get(l.venue), l, record.sentTs, d.now, d.notFoundGraceMs)));
    const lastSent = Math.max(record.sentTs, ...record.legs.map((l) => l.ts ?? record.sentTs));
    if (truths.some((t) => !t.decided)) {
      if (d.now() - lastSent < d.followUpGiveUpMs) return false; // the next sweep asks again
      d.warn(`give-up:${oppId}`, { oppId, legs: truths.filter((t) => !t.decided).map((t) => t.outcome.plan.clientOrderId) }, 'order outcome still unknown: journaled as unknown, no longer followed');
    }
    record.fencingToken = claimed.token;
    const { legs, tradeable } = await this.closeExposure(record, truths.map((t) => t.outcome), claimedAt);
    const verdict = classify(legs, record.opp.size, { tradeable });
    const accounts = account(record.opp, legs);
    const why = record.followUp === true ? 'follow-up of orders whose outcome was unknown or reported late' : `executor ${record.executorId} stopped mid-trade`;
    const usdRate = d.usd.rate(record.opp);
    const report = buildReport({
      opp: record.opp,
      executorId: d.executorId,
      status: verdict.status,
      reason: `reconciled (${why})${verdict.reason !== undefined ? `: ${verdict.reason}` : ''}`,
      legs,
      accounts,
      usdRate,
      fencingToken: claimed.token,
      receivedTs: record.receivedTs,
      ordersSentTs: record.sentTs,
      acksTs: null,
      finalTs: d.now(),
    });
    const result = await d.journal.writeTrade(report, { opp: record.opp, legs, usdRate, tradeable });
    if (result.kind === 'unverified') throw new Error(`journal could not be read back to compare (${String(result.error)}): retried next sweep`);
    await this.settle(record, accounts, result);
    const { opp } = record;
    await Promise.all([d.semaphore()?.releaseHolder(record.holder), d.routeLock.releaseHolder(opp.symbol, opp.buy.venue, opp.sell.venue, record.holder)]);
    await d.store.remove(oppId);
    d.metrics.reconciled.labels(result.kind === 'stored' ? report.status : result.kind === 'corrected' ? 'corrected' : 'already-journaled').inc();
    if (result.kind === 'corrected') {
      d.metrics.corrections.inc();
      d.warn(`correction:${oppId}`, { oppId, correction: result.correction.report.id, reason: result.correction.report.reason }, 'journal corrected from the venues\' truth');
    }
    return true;
  }

  /** Hedges or unwinds what the trade left imbalanced (nothing to do when its legs net to zero). */
  private async closeExposure(record: InflightRecord, truth: LegOutcome[], ownedSince: number): Promise<{ legs: LegOutcome[]; tradeable: boolean }> {
    const d = this.d;
    if (netBase(truth).eq(0)) return { legs: truth, tradeable: false };
    const runner = { client: (venue: string) => d.clients.get(venue) as VenueTradingClient, tracker: d.tracker, now: d.now, pollIntervalMs: d.pollIntervalMs };
    const resolved = await resolveLegRisk(
      {
        settings: d.legRisk,
        opp: record.opp,
        tradeKey: record.tradeKey,
        instruments: d.instruments,
        sleep: d.sleep,
        send: recordedSend(d.store, record, runner, d.orderTimeoutMs, { writeRetryMs: d.recordWriteRetryMs, sleep: d.sleep, ownedSince, onWriteError: () => d.metrics.redisErrors.labels('inflight').inc() }),
      },
      truth,
    );
    if (resolved.stopped !== undefined) d.warn(`reconcile-stopped:${record.opp.id}`, { oppId: record.opp.id, err: resolved.stopped }, 'closing the exposure stopped: journaling what was sent');
    return { legs: resolved.legs, tradeable: resolved.tradeable };
  }

  /**
   * The trade's settlement with everything known now, exactly once over all executors (a no-op when the executor that
   * traded it settled before it stopped); if it was settled before, only what a correction journaled now added.
   */
  private async settle(record: InflightRecord, accounts: ReturnType<typeof account>, result: TradeJournalResult): Promise<void> {
    if (record.reservations.length === 0) return;
    const settled = await settleInventory(this.d.ledger, record.opp.symbol, record.reservations, accounts, record.holder);
    if (!settled && result.kind === 'corrected') await settleCorrection(this.d.ledger, record.opp.symbol, result.correction.accounts);
  }
}
