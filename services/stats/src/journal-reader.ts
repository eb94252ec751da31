import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Idle heartbeat of the journal consumer (ms). */
const HEARTBEAT_MS = 1_000;
/** Heartbeats missed in a row after which the consumer is given up and re-created (its node died or was cut off). */
const SILENT_HEARTBEATS = 3;

/** The journal consumer went silent: it is re-created after the last sequence seen. */
export class JournalConsumerSilentError extends Error {
  override readonly name = 'JournalConsumerSilentError';
}

export interface JournalReaderOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The journal stream (ARB_EXECS). */
  stream: string;
  /** Messages per pull request. */
  batch: number;
  /** Pause before re-creating the consumer after an error. */
  retryMs: number;
  /** Its reconnects re-create the consumer at once (a restarted server has lost it; waiting for missed heartbeats took
   *  tens of seconds). */
  nc?: Pick<NatsConnection, 'status'>;
  /** Each journal message in stream order, exactly once per process (decoding is the caller's). */
  onMessage(data: Uint8Array, seq: number): void;
  /** The replay reached the stream's last sequence at start. */
  onCaughtUp(info: { seq: number; targetSeq: number }): void;
  onError(err: unknown): void;
}

/**
 * Reads the whole journal from its first message with an ordered consumer (ephemeral, no acks, flow-controlled), then
 * keeps streaming new messages. Rebuilding from the start on every process start is the point: in-memory totals never
 * depend on an ack floor, so a restart loses nothing. After an error, and at once after a reconnect, the consumer is
 * re-created after the last sequence seen, so no message is counted twice and none waits for missed heartbeats.
 */
export class JournalReader {
  private lastSeqSeen = 0;
  private target = 0;
  private done = false;
  private stopped = false;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private restartNow = false;
  private statusIter: (AsyncIterable<{ type: string }> & { stop?: () => void }) | undefined;

  constructor(private readonly o: JournalReaderOptions) {}

  /** Stream sequence of the last message processed. */
  get lastSeq(): number {
    return this.lastSeqSeen;
  }

  /** The stream's last sequence when the reader started. */
  get targetSeq(): number {
    return this.target;
  }

  get caughtUp(): boolean {
    return this.done;
  }

  /** Reads the stream's position (throws if the stream is missing), then starts consuming in the background. */
  async start(): Promise<void> {
    const info = await this.o.jsm.streams.info(this.o.stream);
    this.target = info.state.messages === 0 ? 0 : info.state.last_seq;
    if (this.target === 0) this.markCaughtUp();
    this.loop = this.run();
    if (this.o.nc !== undefined) void this.followStatus(this.o.nc);
  }

  /** Stops consuming; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.statusIter?.stop?.();
    this.wake?.();
    // stop(), not close(): close() also waits until the iterator is drained, which only the loop does.
    this.messages?.stop();
    await this.loop;
  }

  private markCaughtUp(): void {
    if (this.done) return;
    this.done = true;
    this.o.onCaughtUp({ seq: this.lastSeqSeen, targetSeq: this.target });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.restartNow = false;
      try {
        const from =
          this.lastSeqSeen === 0
            ? { deliver_policy: DeliverPolicy.All }
            : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeqSeen + 1 };
        const consumer = await this.o.js.consumers.get(this.o.stream, from);
        const messages = await consumer.consume({ max_messages: this.o.batch, idle_heartbeat: HEARTBEAT_MS });
        this.messages = messages;
        if (this.stopped) messages.stop();
        this.stopWhenSilent(messages);
        for await (const m of messages) {
          if (this.stopped) break;
          if (m.seq <= this.lastSeqSeen) continue;
          this.lastSeqSeen = m.seq;
          this.o.onMessage(m.data, m.seq);
          if (!this.done && (m.seq >= this.target || m.info.pending === 0)) this.markCaughtUp();
        }
      } catch (err) {
        if (this.stopped) break;
        this.o.onError(err);
      }
      if (!this.stopped && !this.restartNow) await this.pause(this.o.retryMs);
    }
  }

  private async followStatus(nc: Pick<NatsConnection, 'status'>): Promise<void> {
    const it = nc.status() as AsyncIterable<{ type: string }> & { stop?: () => void };
    this.statusIter = it;
    try {
      for await (const s of it) {
        if (this.stopped) break;
        if (s.type !== 'reconnect') continue;
        this.restartNow = true;
        this.messages?.stop();
        this.wake?.();
      }
    } catch {
      // the connection closed
    }
  }

  /**
   * An ordered consumer is one replica on one NATS node. If that node dies, nats.js keeps asking it for the consumer's
   * info (no answer while it is down) and never re-creates the consumer: a few missed heartbeats end this consumer, and
   * the loop creates a new one (placed on a live node) after the last sequence seen.
   */
  private stopWhenSilent(messages: ConsumerMessages): void {
    void (async () => {
      for await (const s of messages.status()) {
        if (s.type === 'heartbeats_missed' && s.count >= SILENT_HEARTBEATS) {
          if (!this.stopped) this.o.onError(new JournalConsumerSilentError(`journal consumer silent (${s.count} heartbeats missed): re-creating it`));
          messages.stop();
          return;
        }
      }
    })().catch(() => undefined);
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
