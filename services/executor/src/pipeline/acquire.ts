import type { Opportunity } from '@arb/contracts';
import type { IdempotencyGuard, InventoryItem, InventoryLedger, Lease, RedisSemaphore, ReplicaAck, RouteLock, RouteLockHandle } from '../coordination';
import type { PriorityGate, Waiter } from './priority-gate';

export interface AcquireDeps {
  idempotency: IdempotencyGuard;
  semaphore: RedisSemaphore;
  routeLock: RouteLock;
  ledger: InventoryLedger;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** This process's waiters for a slot, best expected profit first (absent: every waiter retries on its own). */
  gate?: PriorityGate;
  /** Sentinel: replicas must hold what was taken before it counts as held (absent or disabled: no check). */
  replicaAck?: ReplicaAck;
}

export interface AcquireParams {
  opp: Opportunity;
  holder: string;
  executorId: string;
  dedupTtlMs: number;
  routeLockTtlMs: number;
  reservations: readonly InventoryItem[];
  /** Keep retrying a busy semaphore / route until this time (≤ now: no waiting). */
  waitUntil: number;
  /** Rank among this process's opportunities waiting for a slot (expected profit, USD; higher goes first). */
  priority: number;
  /** Writes the in-flight record (sent in the same round trip; deleted again if the trade does not go ahead). */
  writeRecord(): Promise<void>;
  dropRecord(): Promise<unknown>;
}

export interface Acquired {
  lease: Lease;
  lock: RouteLockHandle;
}

export type AcquireResult =
  /** waitedMs: time spent waiting for a busy semaphore/route (not processing). */
  | { kind: 'ok'; held: Acquired; waitedMs: number }
  | { kind: 'duplicate' }
  | { kind: 'skip'; reason: 'concurrency' | 'route-busy' | 'inventory' | 'coordination-unavailable'; claimed: true; error?: unknown }
  /** The idempotency claim itself failed (Redis error): nothing was done; let the message come back later. */
  | { kind: 'retry'; error: unknown };

/**
 * Everything a trade needs from Redis, in ONE round trip (the calls are issued together; with auto-pipelining they
 * leave in one write): the idempotency claim, a semaphore lease, the route lock, the inventory reservation and the
 * in-flight record. What was taken is given back when anything else failed. A busy semaphore or route is retried
 * until `waitUntil`; with a priority gate, only this process's best-ranked waiter retries the semaphore (and a
 * newcomer outranked by a waiter does not try it on arrival), woken at once when this process gives a slot back.
 * With a replica check (Sentinel), `ok` also means the replicas acknowledged it all (else: given back, skipped as
 * coordination-unavailable). When this resolves `ok`, the in-flight record is stored: orders may leave.
 */
export async function acquireAll(d: AcquireDeps, p: AcquireParams): Promise<AcquireResult> {
  const { opp } = p;
  const leaseNow = d.gate === undefined || !d.gate.outranked(p.priority);
  const [claim, lease, lock, reserved, recorded] = await Promise.allSettled([
    d.idempotency.claim(opp.id, p.dedupTtlMs, p.executorId),
    leaseNow ? d.semaphore.acquire(p.holder) : Promise.resolve(null),
    d.routeLock.tryLock(opp.symbol, opp.buy.venue, opp.sell.venue, p.holder, p.routeLockTtlMs),
    p.reservations.length === 0 ? Promise.resolve(true) : d.ledger.reserveAll(p.reservations, p.holder),
    p.writeRecord(),
  ]);
  let heldLease = lease.status === 'fulfilled' ? lease.value : null;
  let heldLock = lock.status === 'fulfilled' ? lock.value : null;
  const heldReservation = reserved.status === 'fulfilled' && reserved.value;
  const giveBack = async (): Promise<void> => {
    await Promise.allSettled([release(d, p, heldLease, heldLock, heldReservation), p.dropRecord()]);
  };

  if (claim.status === 'rejected') {
    await giveBack();
    return { kind: 'retry', error: claim.reason };
  }
  if (!claim.value) {
    await giveBack();
    return { kind: 'duplicate' };
  }
  const failed = [lease, lock, reserved, recorded].find((r) => r.status === 'rejected');
  if (failed !== undefined) {
    await giveBack();
    return { kind: 'skip', reason: 'coordination-unavailable', claimed: true, error: failed.reason };
  }
  if (!heldReservation) {
    await giveBack();
    return { kind: 'skip', reason: 'inventory', claimed: true };
  }
  let pause = 2;
  const waitStart = d.now();
  let waited = false;
  let waiter: Waiter | undefined;
  const gate = d.gate;
  try {
    while (heldLease === null || heldLock === null) {
      waited = true;
      if (d.now() >= p.waitUntil) {
        const reason = heldLock === null ? 'route-busy' : 'concurrency';
        await giveBack();
        return { kind: 'skip', reason, claimed: true };
      }
      if (heldLock === null && heldLease !== null) {
        // Never sit on a cluster-wide slot while waiting for a busy route.
        const idle = heldLease;
        heldLease = null;
        await idle.release().catch(() => undefined);
        gate?.released();
      }
      if (heldLease === null && gate !== undefined) waiter ??= gate.enter(p.priority);
      const nap = Math.min(p.waitUntil - d.now(), pause * (0.5 + Math.random() * 0.5));
      await (gate !== undefined ? gate.sleep(nap) : d.sleep(nap));
      pause = Math.min(pause * 2, 20);
      const myTurn = waiter === undefined || gate === undefined || gate.isFirst(waiter);
      const [l, k] = await Promise.allSettled([
        heldLease ?? (myTurn ? d.semaphore.acquire(p.holder) : Promise.resolve(null)),
        heldLock ?? d.routeLock.tryLock(opp.symbol, opp.buy.venue, opp.sell.venue, p.holder, p.routeLockTtlMs),
      ]);
      if (l.status === 'fulfilled') heldLease = l.value;
      if (k.status === 'fulfilled') heldLock = k.value;
      if (heldLease !== null && waiter !== undefined) {
        gate?.leave(waiter);
        waiter = undefined;
      }
      const err = l.status === 'rejected' ? l.reason : k.status === 'rejected' ? k.reason : undefined;
      if (err !== undefined) {
        await giveBack();
        return { kind: 'skip', reason: 'coordination-unavailable', claimed: true, error: err };
      }
    }
  } finally {
    if (waiter !== undefined) gate?.leave(waiter);
  }
  if (d.replicaAck?.enabled === true) {
    try {
      await d.replicaAck.confirm();
    } catch (error) {
      await giveBack();
      return { kind: 'skip', reason: 'coordination-unavailable', claimed: true, error };
    }
  }
  return { kind: 'ok', held: { lease: heldLease, lock: heldLock }, waitedMs: waited ? d.now() - waitStart : 0 };
}

/** Gives back a lease, lock and reservation (errors swallowed: a lease or lock that could not be given back is retried in the background until it expires; the ledger is re-synced). */
export async function release(
  d: Pick<AcquireDeps, 'ledger' | 'gate'>,
  p: Pick<AcquireParams, 'holder' | 'reservations'>,
  lease: Lease | null,
  lock: RouteLockHandle | null,
  reserved: boolean,
): Promise<void> {
  await Promise.allSettled([
    lease?.release().then(() => d.gate?.released()),
    lock?.release(),
    ...(reserved ? p.reservations.map((r) => d.ledger.release(r.venue, r.asset, r.amount, p.holder)) : []),
  ]);
}
