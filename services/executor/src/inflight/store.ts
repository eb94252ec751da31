import { randomBytes } from 'node:crypto';
import { redisKeys } from '@arb/contracts';
import { nowMs } from '@arb/service-kit';
import type { Redis } from 'ioredis';
import { LuaScript } from '../coordination/lua-script';
import type { InflightRecord } from './record';
import { CLAIM, FENCED_REMOVE, FENCED_UPDATE, HEARTBEAT, HEARTBEAT_FIELD, PUT_IF_ABSENT, RECREATE, STAMP_PREFIX, TAKEOVER } from './store-scripts';

export { HEARTBEAT_FIELD, STAMP_PREFIX };

/** A record taken over or claimed: its JSON and the new fencing token issued for whoever finishes it now. */
export interface Claimed {
  readonly json: string;
  readonly token: number;
}

/**
 * In-flight trade records of one executor (hash `redisKeys.inflight(executorId)`: field = opportunity id → record
 * JSON, `~f:<oppId>` → the stamp of the process instance that owns the record, `~hb` → the owner's heartbeat), and
 * the take-over of dead executors' records.
 *
 * Fencing: only the instance whose stamp a record carries may change or delete it (`update`, `remove`: Lua, atomic
 * with the check). A take-over or claim re-stamps the record and issues a new fencing token, so the previous owner,
 * should it still be alive (paused, partitioned), learns at its next write that the trade is no longer its own, and
 * a record Redis lost (data loss) is never written again by anyone: nobody else can act on that trade either.
 */
export class InflightStore {
  readonly key: string;
  /** This process's stamp (random per start: a restarted executor with the same id is a different owner). */
  readonly instance: string;
  private readonly prefix: string;
  private readonly semaphoreKey: string;
  private readonly fenceKey: string;
  /** Heartbeat history (local clock): send time of the last successful write, end of the last lapse, the TTL. */
  private hbLastSent: number | undefined;
  private hbLapseAt = Number.POSITIVE_INFINITY;
  private hbTtlMs = 0;

  constructor(
    private readonly redis: Redis,
    readonly executorId: string,
    /** The trade semaphore's name: a record whose holder still has a live lease there is never taken over. */
    semaphoreName: string,
    instance = randomBytes(6).toString('hex'),
    /** Local clock (monotonic: `nowMs` of service-kit). */
    private readonly now: () => number = nowMs,
  ) {
    this.key = redisKeys.inflight(executorId);
    this.instance = instance;
    // The key builder is the only source of the prefix: build one and drop its id.
    this.prefix = this.key.slice(0, this.key.length - executorId.length);
    this.semaphoreKey = redisKeys.semaphore(semaphoreName);
    this.fenceKey = redisKeys.semaphoreFence(semaphoreName);
  }

  /** Creates a trade's record (before any order leaves), stamped as ours. */
  async put(record: InflightRecord): Promise<void> {
    await this.redis.hset(this.key, record.opp.id, JSON.stringify(record), stampField(record.opp.id), this.instance);
  }

  /** Creates the record, stamped ours, only if no record of that trade is there; false when one was. */
  async putIfAbsent(record: InflightRecord): Promise<boolean> {
    return (await PUT_IF_ABSENT.run(this.redis, [this.key], [record.opp.id, this.instance, JSON.stringify(record)])) === 1;
  }

  /**
   * Rewrites our record (e.g. before a hedge/unwind order leaves) only while it is still ours: false when it is gone
   * (taken over by another executor, claimed by a newer process of our id, or lost with Redis' data). Rejects on
   * Redis errors (then nothing is known: do not send).
   */
  async update(record: InflightRecord): Promise<boolean> {
    return (await FENCED_UPDATE.run(this.redis, [this.key], [record.opp.id, this.instance, JSON.stringify(record)])) === 1;
  }

  /** Deletes our record (and its stamp) if it is still ours; false when it was not (nothing deleted). */
  async remove(oppId: string): Promise<boolean> {
    return (await FENCED_REMOVE.run(this.redis, [this.key], [oppId, this.instance])) === 1;
  }

  /**
   * Renews our heartbeat (server now + ttl). Also keeps its history: a lapse is a successful write that came
   * `ttlMs / 2` or more after the previous one was sent (the process was frozen, or Redis unreachable), i.e. a moment
   * at which another executor may have seen our heartbeat expired and taken our records over.
   */
  async heartbeat(ttlMs: number): Promise<void> {
    const sent = this.now();
    await HEARTBEAT.run(this.redis, [this.key], [ttlMs]);
    const done = this.now();
    if (this.hbLastSent === undefined || done - this.hbLastSent >= ttlMs / 2) this.hbLapseAt = done;
    this.hbLastSent = sent;
    this.hbTtlMs = ttlMs;
  }

  /** True when our heartbeat has not lapsed since `since` (local time) and is fresh now: nobody can have taken our
   *  records over meanwhile (a take-over needs our heartbeat expired). */
  heartbeatHeldSince(since: number): boolean {
    return this.hbLastSent !== undefined && this.hbLapseAt < since && this.now() - this.hbLastSent < this.hbTtlMs / 2;
  }

  /**
   * Writes back a record of ours that Redis lost (the fenced update found it gone), but only when nobody else can be
   * holding that trade: our heartbeat never lapsed since we owned it (`ownedSince`: no take-over was possible, so the
   * record vanished with Redis' data, not to another executor) and, atomically with the write, no record of that
   * trade is in our key and our heartbeat is live at the server. `no-heartbeat`: the heartbeat was lost too and not
   * renewed yet (try again shortly); `fenced`: it may be another's (do not act on the trade any more).
   */
  async recreate(record: InflightRecord, ownedSince: number): Promise<'written' | 'fenced' | 'no-heartbeat'> {
    if (!this.heartbeatHeldSince(ownedSince)) return 'fenced';
    const reply = await RECREATE.run(this.redis, [this.key], [record.opp.id, this.instance, JSON.stringify(record)]);
    return reply === 1 ? 'written' : reply === -1 ? 'no-heartbeat' : 'fenced';
  }

  /** Own records (raw JSON by opportunity id). */
  async own(): Promise<Map<string, string>> {
    const all = await this.redis.hgetall(this.key);
    const out = new Map<string, string>();
    for (const [field, value] of Object.entries(all)) if (!field.startsWith('~')) out.set(field, value);
    return out;
  }

  /**
   * Makes one of our key's records ours to finish (a previous process of our id left it, or it was handed over for a
   * follow-up): re-stamps it and returns a new fencing token; null when the record is gone.
   */
  async claim(oppId: string): Promise<Claimed | null> {
    const reply = await CLAIM.run(this.redis, [this.key, this.fenceKey], [oppId, this.instance]);
    if (!Array.isArray(reply) || typeof reply[0] !== 'string') return null;
    return { json: reply[0], token: Number(reply[1]) };
  }

  /** Every executor's in-flight key except ours. */
  async otherKeys(): Promise<string[]> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 200);
      cursor = next;
      for (const k of batch) if (k !== this.key) keys.add(k);
    } while (cursor !== '0');
    return [...keys];
  }

  /** True when any executor (this one included) has a trade record in flight. */
  async anyInFlight(): Promise<boolean> {
    for (const k of [this.key, ...(await this.otherKeys())]) {
      if ((await this.redis.hkeys(k)).some((f) => !f.startsWith('~'))) return true;
    }
    return false;
  }

  /** The trade semaphore's lease zset and fence counter (the ledger reconciliation checks that no lease moved). */
  get semaphoreKeys(): { zsetKey: string; fenceKey: string } {
    return { zsetKey: this.semaphoreKey, fenceKey: this.fenceKey };
  }

  /**
   * Moves a dead executor's records to us (stamped ours): null while its heartbeat is live (or was missing: then its
   * expiry clock is started, see TAKEOVER). A record whose trade still holds a live semaphore lease stays where it is.
   */
  async takeOver(otherKey: string, heartbeatTtlMs: number): Promise<string[] | null> {
    const reply = await TAKEOVER.run(this.redis, [otherKey, this.key, this.semaphoreKey], [heartbeatTtlMs, this.instance]);
    if (reply === -1) return null;
    return Array.isArray(reply) ? reply.filter((v): v is string => typeof v === 'string') : [];
  }

  /** Loads the scripts into Redis' cache (optional; done lazily otherwise). */
  async prepare(): Promise<void> {
    await Promise.all([FENCED_UPDATE, FENCED_REMOVE, PUT_IF_ABSENT, RECREATE, HEARTBEAT, CLAIM, TAKEOVER].map((s: LuaScript) => s.load(this.redis)));
  }
}

function stampField(oppId: string): string {
  return `${STAMP_PREFIX}${oppId}`;
}
