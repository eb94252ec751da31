import type { Opportunity } from '@arb/contracts';
import { clientOrderId } from '../ids';
import type { InflightRecord } from '../inflight/record';
import type { InflightStore } from '../inflight/store';
import { OrderNotSentError } from '../trade/errors';
import { runLeg, type LegRunnerDeps } from '../trade/leg-runner';
import type { LegOutcome, LegPlan } from '../trade/types';

/** The two IOC legs of an opportunity, with deterministic client order ids. */
export function basePlans(opp: Opportunity, key: string): [LegPlan, LegPlan] {
  return [
    { role: 'buy', tag: 'b', venue: opp.buy.venue, symbol: opp.symbol, side: 'buy', qty: opp.size, limitPrice: opp.buy.limitPrice, clientOrderId: clientOrderId(key, 'b') },
    { role: 'sell', tag: 's', venue: opp.sell.venue, symbol: opp.symbol, side: 'sell', qty: opp.size, limitPrice: opp.sell.limitPrice, clientOrderId: clientOrderId(key, 's') },
  ];
}

/** A plan as stored in the in-flight record (`ts`: when it was recorded, right before it left). */
export function legOf(p: LegPlan, ts?: number): InflightRecord['legs'][number] {
  return {
    role: p.role, tag: p.tag, venue: p.venue, symbol: p.symbol, side: p.side, qty: p.qty, limitPrice: p.limitPrice, clientOrderId: p.clientOrderId,
    ...(ts !== undefined ? { ts } : {}),
  };
}

export interface RecordedSendOptions {
  /** How long Redis errors of the record write are retried before the order is given up (not sent). */
  writeRetryMs: number;
  sleep(ms: number): Promise<void>;
  /** Since when (local time) this process holds the record: a record Redis lost is written back only if our
   *  heartbeat never lapsed since (InflightStore.recreate). */
  ownedSince: number;
  /** Told of each failed write attempt (counted as a Redis error; the write is retried). */
  onWriteError?(err: unknown): void;
}

/**
 * Sends a hedge/unwind plan the way leg-risk resolution must: added to the in-flight record with a FENCED write (only
 * while the record is still this process's: see InflightStore.update) before it leaves, then followed until
 * `timeoutMs`. A record found gone is written back only when it can only have been lost with Redis' data (our
 * heartbeat never lapsed, so no executor can have taken it over). When the record is not ours any more, or Redis
 * stays unwritable for `writeRetryMs`, nothing is sent: OrderNotSentError (leg-risk resolution stops there and the
 * report holds what was sent).
 */
export function recordedSend(
  store: InflightStore,
  record: InflightRecord,
  runner: LegRunnerDeps,
  timeoutMs: number,
  o: RecordedSendOptions,
): (plan: LegPlan) => Promise<LegOutcome> {
  return async (plan) => {
    record.legs.push(legOf(plan, runner.now()));
    let written: boolean;
    try {
      written = await retried(() => store.update(record), runner.now, o);
      if (!written) written = await writeBack(store, record, runner.now, o);
    } catch (err) {
      record.legs.pop();
      throw new OrderNotSentError('unwritable', `in-flight record of ${record.opp.id} not writable: ${plan.clientOrderId} not sent`, { cause: err });
    }
    if (!written) {
      record.legs.pop();
      throw new OrderNotSentError('fenced', `in-flight record of ${record.opp.id} is no longer this process's (taken over, or lost with Redis' data): ${plan.clientOrderId} not sent`);
    }
    return runLeg(runner, plan, runner.now() + timeoutMs);
  };
}

/** Writes back a record Redis lost (see InflightStore.recreate), waiting up to `writeRetryMs` for our heartbeat. */
async function writeBack(store: InflightStore, record: InflightRecord, now: () => number, o: RecordedSendOptions): Promise<boolean> {
  const end = now() + o.writeRetryMs;
  for (;;) {
    const r = await retried(() => store.recreate(record, o.ownedSince), now, o);
    if (r !== 'no-heartbeat') return r === 'written';
    if (now() >= end) return false;
    await o.sleep(100);
  }
}

/** Runs `op` until it resolves, retrying rejections with doubling pauses (from 50 ms) for up to `writeRetryMs`. */
export async function retried<T>(op: () => Promise<T>, now: () => number, o: RecordedSendOptions): Promise<T> {
  const end = now() + o.writeRetryMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    try {
      return await op();
    } catch (err) {
      o.onWriteError?.(err);
      const left = end - now();
      if (left <= 0) throw err;
      await o.sleep(Math.min(pause, left));
    }
  }
}
