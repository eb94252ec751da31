import type { Redis } from 'ioredis';
import { ReplicaAckError } from './errors';

export interface ReplicaAckSettings {
  /** Replicas that must hold this connection's writes (WAIT numreplicas); 0 = no wait. */
  replicas: number;
  /** WAIT timeout. */
  timeoutMs: number;
}

/**
 * Replication check for the coordination keys (Redis Sentinel): `WAIT replicas timeoutMs` on the connection that just
 * wrote them. Redis replicates asynchronously; a lease, route lock or reservation held only by a primary that dies
 * before passing it on is unknown to the replica promoted in its place, which would hand the same slot or route to a
 * second executor. Orders leave only once `replicas` replicas acknowledged every write sent so far on the connection
 * (WAIT counts the connection's latest write offset: with one shared connection that covers the acquire).
 * It narrows the window (a failover while WAIT is answered can still lose the write); it does not close it.
 */
export class ReplicaAck {
  constructor(
    private readonly redis: Redis,
    private readonly s: ReplicaAckSettings,
  ) {}

  get enabled(): boolean {
    return this.s.replicas > 0;
  }

  /** Resolves when enough replicas acknowledged; rejects with ReplicaAckError when fewer did (or on a Redis error). */
  async confirm(): Promise<void> {
    if (!this.enabled) return;
    let acked: number;
    try {
      acked = await this.redis.wait(this.s.replicas, this.s.timeoutMs);
    } catch (cause) {
      throw new ReplicaAckError(`WAIT ${this.s.replicas} ${this.s.timeoutMs} failed`, { cause });
    }
    if (acked < this.s.replicas) {
      throw new ReplicaAckError(`${acked} of ${this.s.replicas} replicas acknowledged the coordination writes within ${this.s.timeoutMs} ms`);
    }
  }
}
