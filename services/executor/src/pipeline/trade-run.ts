import type Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import type { InventoryItem } from '../coordination';
import type { InflightRecord } from '../inflight/record';
import { account } from '../trade/accounting';
import { classify } from '../trade/classify';
import { runLeg, type LegRunnerDeps } from '../trade/leg-runner';
import { resolveLegRisk } from '../trade/leg-risk';
import { buildReport } from '../trade/report';
import { netBase } from '../trade/fills';
import type { LegPlan } from '../trade/types';
import type { Acquired } from './acquire';
import { release } from './acquire';
import type { ExecutorDeps, HandleResult } from './context';
import { settleInventory } from './inventory-plan';
import { journaled } from './journaled';
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

/**
 * Both legs on the wire at once (the in-flight record is already stored) → follow to final → leg-risk policy →
 * release lease and lock → journal (retried until stored) → settle inventory and delete the record. A crash anywhere
 * leaves the record for reconciliation; no order is ever sent before its record is stored.
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
    held.lease.startAutoRenew(s.leaseRenewIntervalMs);
    record.fencingToken = held.lease.token;
    record.sentTs = ordersSentTs;
    d.inflight.put(record).catch(() => d.metrics.redisErrors.labels('inflight').inc()); // the token, off the hot path
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
        send: recordedSend(d.inflight, record, runner, s.orderTimeoutMs),
      },
      base,
    ).catch((err: unknown) => {
      d.warn('leg-risk', { err, oppId: opp.id }, 'leg-risk resolution stopped (in-flight record not writable)');
      return { legs: [...base], residual: netBase(base), tradeable: true };
    });
    void release(d, { holder: p.holder, reservations: [] }, held.lease, held.lock, false);

    const accounts = account(opp, resolved.legs);
    const verdict = classify(resolved.legs, opp.size, resolved);
    const report = buildReport({
      opp,
      executorId: s.executorId,
      status: verdict.status,
      ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
      legs: resolved.legs,
      accounts,
      usdRate: p.usdRate,
      fencingToken: held.lease.token,
      receivedTs: p.receivedTs,
      ordersSentTs,
      acksTs,
      finalTs: d.now(),
    });
    const result = await journaled(d, report);
    const cleanup = await Promise.allSettled([
      p.reservations.length > 0 ? settleInventory(d.ledger, opp.symbol, p.reservations, accounts, p.holder) : Promise.resolve(),
      d.inflight.remove(opp.id),
    ]);
    if (cleanup.some((c) => c.status === 'rejected')) {
      d.metrics.redisErrors.labels('cleanup').inc();
      d.warn('cleanup', {}, 'settling inventory or deleting the in-flight record failed (the sweeper retries)');
    }
    for (const f of accounts.fees) d.metrics.fees.labels(f.venue, f.asset).inc(Number(f.amount));
    return result;
  } finally {
    d.active.delete(opp.id);
    d.metrics.localTrades.dec();
  }
}
