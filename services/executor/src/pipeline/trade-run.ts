import type Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import type { InventoryItem } from '../coordination';
import { clientOrderId } from '../ids';
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

export interface TradeParams {
  opp: Opportunity;
  receivedTs: number;
  tradeKey: string;
  holder: string;
  reservations: InventoryItem[];
  held: Acquired;
  usdRate: Big | null;
}

/** The two IOC legs of an opportunity, with deterministic client order ids. */
export function basePlans(opp: Opportunity, key: string): [LegPlan, LegPlan] {
  return [
    { role: 'buy', tag: 'b', venue: opp.buy.venue, symbol: opp.symbol, side: 'buy', qty: opp.size, limitPrice: opp.buy.limitPrice, clientOrderId: clientOrderId(key, 'b') },
    { role: 'sell', tag: 's', venue: opp.sell.venue, symbol: opp.symbol, side: 'sell', qty: opp.size, limitPrice: opp.sell.limitPrice, clientOrderId: clientOrderId(key, 's') },
  ];
}

/**
 * In-flight record (awaited) → both legs on the wire at once → follow to final → leg-risk policy → release lease and
 * lock → journal (retried until stored) → settle inventory and delete the record. A crash anywhere after the record
 * is written leaves it for reconciliation; nothing is ever sent without it.
 */
export async function runTrade(d: ExecutorDeps, p: TradeParams): Promise<HandleResult> {
  const { opp, held } = p;
  const s = d.settings;
  const [buy, sell] = basePlans(opp, p.tradeKey);
  const record: InflightRecord = {
    v: 1,
    executorId: s.executorId,
    tradeKey: p.tradeKey,
    holder: p.holder,
    fencingToken: held.lease.token,
    receivedTs: p.receivedTs,
    sentTs: d.now(),
    opp,
    reservations: p.reservations,
    legs: [legOf(buy), legOf(sell)],
  };
  d.active.add(opp.id);
  d.metrics.localTrades.inc();
  try {
    try {
      await d.inflight.put(record);
    } catch (err) {
      d.metrics.redisErrors.labels('inflight').inc();
      d.warn('inflight', { err }, 'cannot write the in-flight record: opportunity skipped, nothing sent');
      await release(d, p, held.lease, held.lock, p.reservations.length > 0);
      d.metrics.skipped.labels('coordination-unavailable').inc();
      return journaled(d, buildReport({ opp, executorId: s.executorId, status: 'skipped', reason: 'coordination-unavailable', legs: [], accounts: null, usdRate: null, fencingToken: held.lease.token, receivedTs: p.receivedTs, ordersSentTs: null, acksTs: null, finalTs: d.now() }));
    }
    held.lease.startAutoRenew(s.leaseRenewIntervalMs);
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
    d.metrics.hotPath.observe(d.now() - p.receivedTs);
    const base = await both;
    const acks = base.map((l) => l.ackTs).filter((t): t is number => t !== null);
    const acksTs = acks.length === 2 ? Math.max(...acks) : null;

    const resolved = await resolveLegRisk(
      {
        settings: s.legRisk,
        opp,
        tradeKey: p.tradeKey,
        instruments: d.instruments,
        sleep: d.sleep,
        send: async (plan) => {
          record.legs.push(legOf(plan));
          await d.inflight.put(record); // the reconciler must know every order before it leaves
          return runLeg(runner, plan, d.now() + s.orderTimeoutMs);
        },
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

function legOf(p: LegPlan): InflightRecord['legs'][number] {
  return { role: p.role, tag: p.tag, venue: p.venue, symbol: p.symbol, side: p.side, qty: p.qty, limitPrice: p.limitPrice, clientOrderId: p.clientOrderId };
}
