import type { Opportunity } from '@arb/contracts';
import { clientOrderId } from '../ids';
import type { InflightRecord } from '../inflight/record';
import type { InflightStore } from '../inflight/store';
import { runLeg, type LegRunnerDeps } from '../trade/leg-runner';
import type { LegOutcome, LegPlan } from '../trade/types';

/** The two IOC legs of an opportunity, with deterministic client order ids. */
export function basePlans(opp: Opportunity, key: string): [LegPlan, LegPlan] {
  return [
    { role: 'buy', tag: 'b', venue: opp.buy.venue, symbol: opp.symbol, side: 'buy', qty: opp.size, limitPrice: opp.buy.limitPrice, clientOrderId: clientOrderId(key, 'b') },
    { role: 'sell', tag: 's', venue: opp.sell.venue, symbol: opp.symbol, side: 'sell', qty: opp.size, limitPrice: opp.sell.limitPrice, clientOrderId: clientOrderId(key, 's') },
  ];
}

/** A plan as stored in the in-flight record. */
export function legOf(p: LegPlan): InflightRecord['legs'][number] {
  return { role: p.role, tag: p.tag, venue: p.venue, symbol: p.symbol, side: p.side, qty: p.qty, limitPrice: p.limitPrice, clientOrderId: p.clientOrderId };
}

/**
 * Sends a hedge/unwind plan the way leg-risk resolution must: added to the in-flight record and stored before it
 * leaves (the reconciler must know every order, should this process die), then followed until `timeoutMs`.
 */
export function recordedSend(store: InflightStore, record: InflightRecord, runner: LegRunnerDeps, timeoutMs: number): (plan: LegPlan) => Promise<LegOutcome> {
  return async (plan) => {
    record.legs.push(legOf(plan));
    await store.put(record);
    return runLeg(runner, plan, runner.now() + timeoutMs);
  };
}
