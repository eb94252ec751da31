import { streams, subjects, validators, type ExecutionReport } from '@arb/contracts';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

export interface JournalFollowerOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Reconnects restart the consumer at once (a server restart loses its ephemeral consumers). */
  nc: Pick<NatsConnection, 'status'>;
  /** Replay reports journaled since this time (epoch ms), then follow new ones. */
  fromTs: number;
  /** The follower's position is compared with the stream's this often. */
  checkIntervalMs: number;
  /** The stream ahead of us and nothing applied for this long: the consumer is re-created. */
  stallMs: number;
  /** Not confirmed at the stream's end for this long: `stale()` says so. */
  maxStaleMs: number;
  now(): number;
  onReport(r: ExecutionReport, seq: number): void;
  onInvalid?(issues: string[]): void;
  onError?(err: unknown): void;
  /** The consumer is being re-created (why: reconnect, stalled, stream re-created, ended). */
  onRestart?(reason: string): void;
}

/**
 * Follows the trade journal (ARB_EXECS), so every executor sees every executor's reports: the cluster-wide daily
 * figures the risk limits need. It owns its position (`cursor` = the stream sequence up to which everything has been
 * applied) instead of trusting the client's ordered consumer to survive everything: after a reconnect, a stall (the
 * stream has more than we applied and nothing arrives), an error, or the stream being deleted and created again, it
 * creates a new consumer starting after the cursor (or, for a new stream, from the day's start), so a report is applied
 * once and none is skipped. `stale(now)` is null only while the follower was confirmed at the stream's end within
 * `maxStaleMs`: trading skips while the figures may be behind.
 */
export class JournalFollower {
  private cursor = 0;
  private streamCreated: string | null = null;
  private confirmedAt = Number.NEGATIVE_INFINITY;
  /** Stream ends seen by the checks (time, last sequence), oldest first, not yet reached by the cursor. */
  private ends: { at: number; seq: number }[] = [];
  private progressAt: number;
  private lastRestartAt = 0;
  private streamMissing = false;
  private restartRequested = false;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private checking = false;
  private wake: (() => void) | undefined;
  private statusIter: AsyncIterable<{ type: string }> & { stop?: () => void } | undefined;
  private markCaughtUp: () => void = () => undefined;
  /** Resolves once the follower first reached the stream's end (the figures are current). */
  readonly caughtUp: Promise<void>;

  constructor(private readonly o: JournalFollowerOptions) {
    this.progressAt = o.now();
    this.caughtUp = new Promise<void>((resolve) => {
      this.markCaughtUp = resolve;
    });
  }

  /** Stream sequence up to which every report has been applied. */
  get position(): number {
    return this.cursor;
  }

  /** Null while the figures are current; else why not. */
  stale(now: number): string | null {
    if (now - this.confirmedAt <= this.o.maxStaleMs) return null;
    if (this.streamMissing) return `journal stream ${streams.executions.name} not found`;
    if (this.confirmedAt === Number.NEGATIVE_INFINITY) return 'journal replay not finished';
    return `journal position not confirmed for ${Math.round(now - this.confirmedAt)} ms (applied up to seq ${this.cursor})`;
  }

  start(): void {
    this.loop = this.run();
    this.watchdog = setInterval(() => void this.check(), this.o.checkIntervalMs);
    this.watchdog.unref();
    void this.followStatus();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.statusIter?.stop?.();
    this.wake?.();
    this.messages?.stop();
    await this.loop;
    this.markCaughtUp();
  }

  /** Ends the current consumer; the loop creates the next one after the cursor. */
  private restart(reason: string): void {
    this.lastRestartAt = this.o.now();
    this.restartRequested = true;
    this.o.onRestart?.(reason);
    this.messages?.stop();
    this.wake?.();
  }

  /** Everything the stream held at `at` is applied: the figures are current as of then. */
  private confirm(at = this.o.now()): void {
    this.confirmedAt = Math.max(this.confirmedAt, at);
    this.markCaughtUp();
  }

  /** Confirms every stream end the cursor has reached (while reports keep coming, the end a check saw is reached a
   *  little later: the figures are current as of that check). */
  private reached(): void {
    let at: number | undefined;
    while (this.ends.length > 0 && (this.ends[0]?.seq ?? Infinity) <= this.cursor) at = this.ends.shift()?.at;
    if (at !== undefined) this.confirm(at);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.restartRequested = false;
      try {
        await this.consumeOnce();
      } catch (err) {
        if (this.stopped) break;
        this.o.onError?.(err);
      }
      // A requested restart goes at once; an error or a consumer that ended by itself waits a little.
      if (!this.stopped && !this.restartRequested) await this.pause(Math.min(this.o.stallMs, 1_000));
    }
  }

  private async consumeOnce(): Promise<void> {
    const info = await this.o.jsm.streams.info(streams.executions.name);
    this.streamMissing = false;
    if (this.streamCreated !== null && info.created !== this.streamCreated) {
      // Deleted and created again: a new stream numbered from 1. What was applied stays applied (the risk book drops
      // a report it already has by id); the new stream is read from the day's start.
      this.cursor = 0;
      this.ends = [];
    }
    this.streamCreated = info.created;
    const from =
      this.cursor === 0
        ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(this.o.fromTs).toISOString() }
        : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.cursor + 1 };
    const consumer = await this.o.js.consumers.get(streams.executions.name, { filter_subjects: subjects.executions(), ...from });
    if (this.cursor === 0 && (await consumer.info(true)).num_pending === 0) {
      // Nothing journaled since the day's start: everything up to the stream's end (read before) is behind us.
      this.cursor = info.state.last_seq;
      this.confirm();
    }
    const messages = await consumer.consume({ max_messages: 256, expires: 5_000 });
    this.messages = messages;
    this.progressAt = this.o.now();
    if (this.stopped) messages.stop();
    try {
      for await (const m of messages) {
        if (m.seq <= this.cursor) continue;
        try {
          this.o.onReport(validators.ExecutionReport.decode(m.data), m.seq);
        } catch (err) {
          this.o.onInvalid?.([(err as Error).message]);
        }
        this.cursor = m.seq;
        this.progressAt = this.o.now();
        if (m.info.pending === 0) this.confirm();
        else this.reached();
      }
    } finally {
      messages.stop();
      void consumer.delete().catch(() => undefined);
    }
  }

  /** Compares our cursor with the stream's last sequence: confirms, or restarts a stalled / outdated consumer. */
  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      const asked = this.o.now(); // what the stream held then: the figures are current as of this time at best
      const info = await this.o.jsm.streams.info(streams.executions.name);
      this.streamMissing = false;
      const now = this.o.now();
      if (this.streamCreated !== null && info.created !== this.streamCreated) {
        this.restart('journal stream re-created');
      } else if (info.state.last_seq <= this.cursor) {
        this.ends = [];
        this.confirm(asked);
      } else {
        if (this.ends.length < 1000) this.ends.push({ at: asked, seq: info.state.last_seq });
        if (now - this.progressAt > this.o.stallMs && now - this.lastRestartAt > this.o.stallMs) {
          this.restart(`stalled at seq ${this.cursor} while the journal is at ${info.state.last_seq}`);
        }
      }
    } catch (err) {
      if ((err as Error).message === 'stream not found') this.streamMissing = true;
      // NATS away or the stream gone: nothing is confirmed; the consumer loop retries on its own.
    } finally {
      this.checking = false;
    }
  }

  private async followStatus(): Promise<void> {
    const it = this.o.nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
    this.statusIter = it;
    try {
      for await (const s of it) {
        if (this.stopped) break;
        if (s.type === 'reconnect') this.restart('reconnected');
      }
    } catch {
      // the connection closed
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
