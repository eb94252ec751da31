import type { InventoryLedger, RedisSemaphore, RouteLock } from '../coordination';
import { inflightRecordValidator, type InflightRecord } from '../inflight/record';
import type { InflightStore } from '../inflight/store';
import type { Journal } from '../journal';
import type { ExecutorMetrics } from '../metrics';
import { settleInventory } from '../pipeline/inventory-plan';
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
  sleep(ms: number): Promise<void>;
  /** Trades this process runs now: their records are not orphans. */
  active: ReadonlySet<string>;
  metrics: ExecutorMetrics;
  warn: Warn;
  now(): number;
}

/**
 * Finishes trades that an executor left in flight: takes over the records of executors whose heartbeat expired,
 * then, for each own record no live trade of this process owns, asks the venues for the truth of every order (by
 * client order id), cancels anything open, closes a one-legged outcome by the leg-risk policy like a live trade would
 * (hedge / unwind orders recorded in the in-flight record before they leave), journals the report built from that
 * truth (Nats-Msg-Id makes a second journal harmless), settles inventory if it was not settled, frees the dead holder's semaphore lease and route lock
 * (else they block trading until they expire: leaseMs, routeLockTtlMs), and deletes the record.
 */
export class Reconciler {
  constructor(private readonly d: ReconcilerDeps) {}

  /** One pass; resolves with the number of records finished. Errors of one record leave it for the next pass. */
  async sweep(): Promise<number> {
    const d = this.d;
    for (const key of await d.store.otherKeys()) {
      const moved = await d.store.takeOver(key);
      if (moved !== null && moved.length > 0) d.warn(`takeover:${key}`, { key, records: moved.length }, 'took over in-flight records of a dead executor');
    }
    let done = 0;
    for (const [oppId, json] of await d.store.own()) {
      if (d.active.has(oppId)) continue;
      try {
        if (await this.finish(oppId, json)) done++;
      } catch (err) {
        d.warn(`reconcile:${oppId}`, { err, oppId }, 'reconciliation of an in-flight record failed; retried next sweep');
      }
    }
    return done;
  }

  private async finish(oppId: string, json: string): Promise<boolean> {
    const d = this.d;
    let record: InflightRecord;
    try {
      record = inflightRecordValidator.decode(json);
    } catch (err) {
      d.metrics.badInput.labels('inflight-record').inc();
      d.warn('bad-record', { err, oppId }, 'unreadable in-flight record deleted');
      await d.store.remove(oppId);
      return false;
    }
    const truth = await Promise.all(record.legs.map((l) => legTruth(d.clients.get(l.venue), l, record.sentTs, d.now)));
    const { legs, tradeable } = await this.closeExposure(record, truth);
    const verdict = classify(legs, record.opp.size, { tradeable });
    const accounts = account(record.opp, legs);
    const report = buildReport({
      opp: record.opp,
      executorId: d.executorId,
      status: verdict.status,
      reason: `reconciled (executor ${record.executorId} stopped mid-trade)${verdict.reason !== undefined ? `: ${verdict.reason}` : ''}`,
      legs,
      accounts,
      usdRate: d.usd.rate(record.opp),
      fencingToken: record.fencingToken,
      receivedTs: record.receivedTs,
      ordersSentTs: record.sentTs,
      acksTs: null,
      finalTs: d.now(),
    });
    const stored = await d.journal.write(report);
    await this.settleOnce(record, accounts);
    const { opp } = record;
    await Promise.all([d.semaphore()?.releaseHolder(record.holder), d.routeLock.releaseHolder(opp.symbol, opp.buy.venue, opp.sell.venue, record.holder)]);
    await d.store.remove(oppId);
    d.metrics.reconciled.labels(stored === 'stored' ? report.status : 'already-journaled').inc();
    return true;
  }

  /** Hedges or unwinds what the dead trade left imbalanced (nothing to do when its legs net to zero). */
  private async closeExposure(record: InflightRecord, truth: LegOutcome[]): Promise<{ legs: LegOutcome[]; tradeable: boolean }> {
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
        send: recordedSend(d.store, record, runner, d.orderTimeoutMs),
      },
      truth,
    );
    return { legs: resolved.legs, tradeable: resolved.tradeable };
  }

  /** Settles only if the trade's reservation is still there (its executor died before settling). */
  private async settleOnce(record: InflightRecord, accounts: ReturnType<typeof account>): Promise<void> {
    const first = record.reservations[0];
    if (first === undefined) return;
    const held = await this.d.ledger.reservations(first.venue, first.asset);
    if (!held.has(record.holder)) return;
    await settleInventory(this.d.ledger, record.opp.symbol, record.reservations, accounts, record.holder);
  }
}
