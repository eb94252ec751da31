import { buckets, memberKeys } from '@arb/contracts';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createLogger, type Logger } from '../log/logger';
import { createRateLimitedLog, type RateLimitedLog } from '../log/rate-limited-log';
import { isStreamNotFound, messageOf } from '../runtime-config/kv-errors';
import { nowMs } from '../time';
import { MembershipError } from './errors';

export interface GroupMembershipOptions {
  /** Replica group, e.g. `detector` (a key token). */
  group: string;
  /** This member's id, unique among live members (a key token): see `memberIdFor`. */
  member: string;
  /** Heartbeat put interval (ms). */
  heartbeatMs: number;
  /** A member whose last heartbeat is older than this (ms) is dead; at least 3 x heartbeatMs. */
  ttlMs: number;
  /** Extra fields stored in the heartbeat value (for operators reading the bucket). */
  info?: Record<string, string | number>;
  /** Default: silent. */
  logger?: Logger;
  /** Local clock (ms); default nowMs. */
  now?: () => number;
}

export type MembersListener = (members: readonly string[]) => void;

type WatchIterator = Awaited<ReturnType<KV['watch']>>;
const RETRY_MS = [100, 250, 500, 1_000];
const encoder = new TextEncoder();

/**
 * Membership of one replica group in the KV bucket `arb_members`: this member puts its key `<group>.<member>` every
 * `heartbeatMs`, watches the group's keys and counts a member live while its last heartbeat is at most `ttlMs` old.
 *
 * Ages are judged by the local clock: a heartbeat seen by the watch counts from its local receive time; entries found
 * when a watch (re)starts count from their server timestamp (clamped to now), so a clock offset between hosts can make
 * a live member look older only until its next heartbeat. This member counts itself live while its last
 * acknowledged heartbeat was sent at most `ttlMs` ago: it drops out of its own view no later than the others drop it
 * (they count from when they received that heartbeat), so a stalled member stops owning before others take over.
 * A member whose watch stops delivering its own heartbeats counts nobody dead meanwhile, counts itself out after
 * ttlMs, stops heartbeating (so the others take its keys rather than leave them dark) and re-opens the watch.
 * Deleted keys (a member that left on shutdown) drop out at once. Keys of dead members age out of the bucket (max
 * age) without an event: a timer set to the next heartbeat's expiry notices deaths (within ~1 ms of ttlMs).
 */
export class GroupMembership {
  readonly key: string;
  private readonly logger: Logger;
  private readonly warn: RateLimitedLog;
  private readonly now: () => number;
  private readonly lastSeen = new Map<string, number>();
  private ackedSentAt = Number.NEGATIVE_INFINITY;
  private lastSentAt = 0;
  /** Local time this member's own heartbeat last came back through the watch (or the watch was (re)opened). */
  private selfSeenAt = Number.NEGATIVE_INFINITY;
  private current: readonly string[] = [];
  private readonly listeners: MembersListener[] = [];
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private iter: WatchIterator | undefined;
  private watching: Promise<void> = Promise.resolve();
  private beating: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private stopped = false;
  private initialLoaded: (() => void) | undefined;

  constructor(
    readonly kv: KV,
    readonly nc: NatsConnection,
    readonly opts: GroupMembershipOptions,
  ) {
    if (!Number.isInteger(opts.heartbeatMs) || opts.heartbeatMs < 10) throw new RangeError(`heartbeatMs must be an integer >= 10 (got ${opts.heartbeatMs})`);
    if (!(opts.ttlMs >= 3 * opts.heartbeatMs)) throw new RangeError(`ttlMs (${opts.ttlMs}) must be at least 3 x heartbeatMs (${opts.heartbeatMs})`);
    this.key = memberKeys.member(opts.group, opts.member);
    this.logger = opts.logger ?? createLogger({ name: 'membership', level: 'silent' });
    this.warn = createRateLimitedLog(this.logger, 10_000, { level: 'warn' });
    this.now = opts.now ?? nowMs;
  }

  /** Binds to the `arb_members` bucket (MembershipError if it does not exist: provisionJetStream makes it). */
  static async open(nc: NatsConnection, opts: GroupMembershipOptions): Promise<GroupMembership> {
    // Requests give up within ttlMs: a heartbeat that takes longer is as good as missing.
    const kv = await new Kvm(jetstream(nc, { timeout: opts.ttlMs })).open(buckets.members);
    try {
      await kv.status();
    } catch (cause) {
      const why = isStreamNotFound(cause) ? 'does not exist (provisionJetStream creates it)' : `cannot be read: ${messageOf(cause)}`;
      throw new MembershipError(`KV bucket ${buckets.members} ${why}`, { cause });
    }
    return new GroupMembership(kv, nc, opts);
  }

  get member(): string {
    return this.opts.member;
  }

  /** Live members (sorted), this one included while its heartbeats are acknowledged in time. */
  members(): readonly string[] {
    return this.current;
  }

  /**
   * True while this member's last acknowledged heartbeat was sent at most ttlMs ago and its watch delivered its own
   * heartbeat within ttlMs (a member that cannot see the group must not act on a stale view of it).
   */
  selfAlive(now = this.now()): boolean {
    return now - this.ackedSentAt <= this.opts.ttlMs && now - this.selfSeenAt <= this.opts.ttlMs;
  }

  /** `listener` gets the live member list on every change (not the current one: read `members()`). */
  onChange(listener: MembersListener): void {
    this.listeners.push(listener);
  }

  /**
   * Puts the first heartbeat and loads the group's members (MembershipError when either fails); then heartbeats,
   * watches and sweeps until `stop`. Resolves with the live members.
   */
  async start(): Promise<readonly string[]> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.heartbeat(true);
      const iter = await this.openWatch();
      const loaded = new Promise<void>((resolve, reject) => {
        this.initialLoaded = resolve;
        timer = setTimeout(
          () => reject(new MembershipError(`the watch of group ${this.opts.group} did not deliver the members within ${this.opts.ttlMs} ms`)),
          this.opts.ttlMs,
        );
      });
      this.watching = this.follow(iter);
      await loaded;
    } catch (cause) {
      this.stopped = true;
      this.iter?.stop();
      await this.watching;
      throw cause instanceof MembershipError ? cause : new MembershipError(`cannot join group ${this.opts.group}: ${messageOf(cause)}`, { cause });
    } finally {
      clearTimeout(timer);
    }
    this.scheduleHeartbeat();
    this.evaluate();
    return this.current;
  }

  /** Stops heartbeats and the watch, then deletes this member's key (others drop it at once). Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.sweepTimer);
    this.iter?.stop();
    this.wake?.();
    // A heartbeat still in flight could land after the delete and revive the key: wait for it (its request gives up
    // within ttlMs anyway).
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.opts.ttlMs)));
    await Promise.allSettled([this.watching, Promise.race([this.beating, bound])]);
    clearTimeout(timer);
    if (this.nc.isClosed()) return;
    try {
      await this.kv.delete(this.key);
    } catch (err) {
      this.logger.warn({ err: messageOf(err), key: this.key }, 'could not delete the membership key on leave (it ages out)');
    }
  }

  private async heartbeat(first = false): Promise<void> {
    const sentAt = this.now();
    if (!first && sentAt - this.selfSeenAt > this.opts.ttlMs) {
      // The watch went silent: stop heartbeating (the others take this member's keys after ttlMs instead of leaving
      // them dark) and re-open the watch; heartbeats resume once it delivers again.
      this.warn('membership-watch-silent', { key: this.key, silentMs: Math.round(sentAt - this.selfSeenAt) }, 'membership watch silent: not heartbeating, re-opening it');
      this.iter?.stop();
      return;
    }
    this.lastSentAt = sentAt;
    const value = { v: 1, group: this.opts.group, member: this.opts.member, heartbeatMs: this.opts.heartbeatMs, ttlMs: this.opts.ttlMs, ts: sentAt, ...this.opts.info };
    try {
      await this.kv.put(this.key, encoder.encode(JSON.stringify(value)));
      if (sentAt > this.ackedSentAt) this.ackedSentAt = sentAt;
    } catch (err) {
      if (first) throw err;
      if (!this.stopped) this.warn('membership-heartbeat', { err: messageOf(err), key: this.key }, 'membership heartbeat failed');
    }
  }

  /** The next heartbeat heartbeatMs after the last one was sent (at once when the last put took longer). */
  private scheduleHeartbeat(): void {
    if (this.stopped) return;
    this.heartbeatTimer = setTimeout(() => {
      this.beating = this.heartbeat().then(() => {
        this.evaluate();
        this.scheduleHeartbeat();
      });
    }, Math.max(0, this.opts.heartbeatMs - (this.now() - this.lastSentAt)));
  }

  private async openWatch(): Promise<WatchIterator> {
    const iter = await this.kv.watch({ key: memberKeys.group(this.opts.group) });
    this.iter = iter;
    this.selfSeenAt = Math.max(this.selfSeenAt, this.now());
    return iter;
  }

  private async follow(first: WatchIterator): Promise<void> {
    let iter: WatchIterator | undefined = first;
    for (let failures = 0; !this.stopped; ) {
      if (iter !== undefined) {
        try {
          for await (const e of iter) {
            if (this.stopped) break;
            failures = 0;
            this.observe(e);
            // The watch first replays the keys present (own heartbeat included), the last one with delta 0.
            if (this.initialLoaded !== undefined && (e.isUpdate || (e.delta ?? 0) === 0)) {
              this.initialLoaded();
              this.initialLoaded = undefined;
            }
            if (this.initialLoaded === undefined) this.evaluate();
          }
        } catch (err) {
          if (!this.stopped) this.warn('membership-watch', { err: messageOf(err) }, 'membership watch failed, re-establishing it');
        }
      }
      if (this.stopped || this.nc.isClosed()) return;
      await this.pause(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)] ?? 1_000);
      if (this.stopped) return;
      try {
        iter = await this.openWatch();
      } catch (err) {
        iter = undefined;
        this.warn('membership-watch', { err: messageOf(err) }, 'membership watch failed, re-establishing it');
      }
    }
  }

  private observe(e: KvWatchEntry): void {
    const dot = e.key.indexOf('.');
    const member = dot < 0 ? '' : e.key.slice(dot + 1);
    if (member === '') return;
    if (member === this.opts.member) {
      if (e.operation === 'PUT') this.selfSeenAt = this.now();
      return;
    }
    if (e.operation !== 'PUT') {
      this.lastSeen.delete(member);
      return;
    }
    const now = this.now();
    const seen = e.isUpdate ? now : Math.min(now, e.created.getTime());
    this.lastSeen.set(member, Math.max(this.lastSeen.get(member) ?? seen, seen));
  }

  /** Recomputes the live members; tells the listeners when they changed. */
  private evaluate(): void {
    if (this.stopped) return;
    const now = this.now();
    const live: string[] = [];
    // Another member's silence means death only while this watch demonstrably delivers (own heartbeat seen within
    // 1.5 heartbeats): a stalled watch must not make this member take everything before it fences itself.
    const watchFresh = now - this.selfSeenAt <= 1.5 * this.opts.heartbeatMs;
    for (const [m, seen] of this.lastSeen) {
      if (now - seen <= this.opts.ttlMs || (!watchFresh && this.current.includes(m))) live.push(m);
      else if (now - seen > 2 * this.opts.ttlMs) this.lastSeen.delete(m);
    }
    if (this.selfAlive(now)) live.push(this.opts.member);
    this.scheduleSweep(now);
    live.sort();
    if (live.length === this.current.length && live.every((m, i) => m === this.current[i])) return;
    this.current = live;
    for (const l of this.listeners) l(live);
  }

  /** Evaluates again just after the next heartbeat (own or another's) expires, or within heartbeatMs anyway. */
  private scheduleSweep(now: number): void {
    const ttl = this.opts.ttlMs;
    let next = now + this.opts.heartbeatMs;
    for (const seen of this.lastSeen.values()) if (seen + ttl >= now && seen + ttl < next) next = seen + ttl;
    for (const own of [this.ackedSentAt, this.selfSeenAt]) if (own + ttl >= now && own + ttl < next) next = own + ttl;
    clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => this.evaluate(), Math.max(1, next - now + 1));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** A member id unique per process: the instance name made a key token, plus a random suffix. */
export function memberIdFor(instance: string): string {
  const base = instance.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 48) || 'member';
  return `${base}-${Math.random().toString(36).slice(2, 8)}`;
}
