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
import { planFor, type LegRiskSettings } from '../trade/leg-risk';
import { buildReport } from '../trade/report';
import type { UsdRates } from '../trade/usd';
import type { VenueTradingClient } from '@arb/venues';
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
  /** Trades this process runs now: their records are not orphans. */
  active: ReadonlySet<string>;
  metrics: ExecutorMetrics;
  warn: Warn;
  now(): number;
}

/**
 * Finishes trades that an executor left in flight: takes over the records of executors whose heartbeat expired,
 * then, for each own record no live trade of this process owns, asks the venues for the truth of every order (by
 * client order id), cancels anything open, journals the report built from that truth (Nats-Msg-Id makes a second
 * journal harmless), settles inventory if it was not settled, frees the dead holder's semaphore lease and route lock
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
    const legs = await Promise.all(record.legs.map((l) => legTruth(d.clients.get(l.venue), l, record.sentTs, d.now)));
    const net = netBase(legs);
    const ctx = { settings: d.legRisk, opp: record.opp, tradeKey: record.tradeKey, instruments: d.instruments };
    const tradeable = !net.eq(0) && (planFor(ctx, legs, 'hedge', net, 1) !== null || planFor(ctx, legs, 'unwind', net, 1) !== null);
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

  /** Settles only if the trade's reservation is still there (its executor died before settling). */
  private async settleOnce(record: InflightRecord, accounts: ReturnType<typeof account>): Promise<void> {
    const first = record.reservations[0];
    if (first === undefined) return;
    const held = await this.d.ledger.reservations(first.venue, first.asset);
    if (!held.has(record.holder)) return;
    await settleInventory(this.d.ledger, record.opp.symbol, record.reservations, accounts, record.holder);
  }
}
