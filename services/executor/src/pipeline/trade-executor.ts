import type { Opportunity } from '@arb/contracts';
import { admit } from '../admission/admission';
import { ReplicaAckError } from '../coordination';
import { holderId, tradeKey } from '../ids';
import { buildReport } from '../trade/report';
import { acquireAll, release } from './acquire';
import type { ExecutorDeps, HandleResult } from './context';
import type { InflightRecord } from '../inflight/record';
import { reservationsFor } from './inventory-plan';
import { basePlans, legOf } from './plans';
import { journaled } from './journaled';
import { runTrade } from './trade-run';

/**
 * The executor's per-opportunity pipeline: admission (age, kill switch, venue health, risk feed, book cross-check,
 * risk limits: all from memory, see admit), then one Redis round trip for claim + lease + route lock + inventory,
 * then the trade (see runTrade). Every opportunity that is not a duplicate ends in exactly one journaled report.
 */
export class TradeExecutor {
  constructor(private readonly d: ExecutorDeps) {}

  async handle(opp: Opportunity, receivedTs: number): Promise<HandleResult> {
    const d = this.d;
    d.metrics.received.inc();
    const admitted = admit(d.admission, opp);
    if (!admitted.ok) return this.skip(opp, receivedTs, admitted.status, admitted.reason, admitted.detail);
    const { usdRate, deadline } = admitted;
    const semaphore = d.semaphore();
    if (semaphore === null) return this.skip(opp, receivedTs, 'skipped', 'concurrency', 'maxConcurrentTrades is 0');

    const s = d.settings;
    const key = tradeKey(opp.id);
    const holder = holderId(s.executorId, key);
    const reservations = s.inventoryEnabled ? reservationsFor(opp, d.fees.takerFee(opp.buy.venue, opp.symbol)) : [];
    const waitUntil = s.onBusy === 'wait' ? Math.min(d.now() + s.busyWaitMs, deadline) : 0;
    const [buy, sell] = basePlans(opp, key);
    const record: InflightRecord = {
      v: 1, executorId: s.executorId, tradeKey: key, holder, fencingToken: null, receivedTs, sentTs: receivedTs, opp, reservations, legs: [legOf(buy), legOf(sell)],
    };
    d.active.add(opp.id); // before the record exists: the sweeper never mistakes it for an orphan
    let got: Awaited<ReturnType<typeof acquireAll>>;
    try {
      got = await acquireAll(
        {
          idempotency: d.idempotency, semaphore, routeLock: d.routeLock, ledger: d.ledger, now: d.now, sleep: d.sleep,
          ...(d.gate !== undefined ? { gate: d.gate } : {}), ...(d.replicaAck !== undefined ? { replicaAck: d.replicaAck } : {}),
        },
        {
          opp, holder, executorId: s.executorId, dedupTtlMs: s.dedupTtlMs, routeLockTtlMs: s.routeLockTtlMs, reservations, waitUntil, priority: Number(opp.profitUsd),
          writeRecord: () => d.inflight.put(record),
          dropRecord: () => d.inflight.remove(opp.id),
        },
      );
    } finally {
      d.active.delete(opp.id);
    }
    switch (got.kind) {
      case 'duplicate':
        d.metrics.duplicates.inc();
        return { kind: 'duplicate' };
      case 'retry':
        d.metrics.redisErrors.labels('claim').inc();
        return got;
      case 'skip':
        if (got.error instanceof ReplicaAckError) {
          d.metrics.redisErrors.labels('replica-ack').inc();
          d.warn('replica-ack', { err: got.error }, 'coordination keys not acknowledged by the Redis replicas: released, opportunity skipped');
        } else if (got.error !== undefined) {
          d.metrics.redisErrors.labels('acquire').inc();
          d.warn('acquire', { err: got.error }, 'Redis coordination failed: opportunity skipped');
        }
        return this.skip(opp, receivedTs, 'skipped', got.reason);
      case 'ok':
        break;
    }
    // A venue may have refused another trade while this one waited for Redis: check again before anything leaves.
    const now = d.now();
    for (const venue of [opp.buy.venue, opp.sell.venue]) {
      const u = d.admission.health.unavailable(venue, now);
      if (u === null) continue;
      await Promise.allSettled([release(d, { holder, reservations }, got.held.lease, got.held.lock, reservations.length > 0), d.inflight.remove(opp.id)]);
      return this.skip(opp, receivedTs, 'skipped', 'venue-unavailable', `${venue} ${u.reason}: ${u.detail}`);
    }
    if (got.waitedMs > 0) d.metrics.busyWait.observe(got.waitedMs);
    return runTrade(d, { opp, receivedTs, record, plans: [buy, sell], holder, reservations, held: got.held, usdRate, waitedMs: got.waitedMs });
  }

  /** Journals a report for an opportunity that is not traded (expired or skipped). */
  async skip(opp: Opportunity, receivedTs: number, status: 'skipped' | 'expired', reason: string, detail?: string): Promise<HandleResult> {
    const d = this.d;
    if (status === 'expired') d.metrics.expired.inc();
    else d.metrics.skipped.labels(reason).inc();
    const report = buildReport({
      opp,
      executorId: d.settings.executorId,
      status,
      reason: detail === undefined ? reason : `${reason}: ${detail}`,
      legs: [],
      accounts: null,
      usdRate: null,
      fencingToken: null,
      receivedTs,
      ordersSentTs: null,
      acksTs: null,
      finalTs: d.now(),
    });
    return journaled(d, report);
  }
}
