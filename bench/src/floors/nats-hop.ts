import { subjects } from '@arb/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { nowMs, sleep } from '../lib/clock';
import { pace } from '../lib/pacer';
import { BookLatencyTap } from './book-tap';
import { FLOOR_SYMBOL, sampleBookSnapshot } from './book-payload';
import { RemoteSubscriber } from './remote-subscriber';
import type { SliceReport, SubscriberReport } from './subscriber-protocol';

/** Venue token of the floor's own subject, so floor traffic never mixes with a real feed's. */
const FLOOR_SUBJECT_VENUE = 'benchfloor';

export type HopMode = 'same-process' | 'cross-process';

export interface NatsHopResult extends SubscriberReport {
  readonly mode: HopMode;
  readonly sent: number;
  readonly payloadBytes: number;
}

/**
 * The floor of any BookSnapshot path: publisher → one local nats-server → subscriber, payload a realistic ~1.4 KB
 * BookSnapshot whose pubTs/recvTs are stamped right before JSON encoding. The subscriber runs on its own
 * connection in this process, or in a separate process (a real deployment). Traffic goes in slices
 * (`slice(rate, n)`), so a floor can be interleaved with the path it is the floor of: both then see the same
 * background load of a shared machine.
 */
export class FloorSession {
  private sent = 0;
  private readonly snap = sampleBookSnapshot();
  readonly payloadBytes = Buffer.byteLength(JSON.stringify(this.snap));

  private constructor(
    readonly mode: HopMode,
    private readonly subject: string,
    private readonly pub: NatsConnection,
    private readonly local: { nc: NatsConnection; tap: BookLatencyTap } | undefined,
    private remote: RemoteSubscriber | undefined,
  ) {}

  static async start(url: string, mode: HopMode): Promise<FloorSession> {
    const subject = subjects.book(FLOOR_SUBJECT_VENUE, FLOOR_SYMBOL);
    const pub = await connect({ servers: url, name: 'bench-floor-publisher' });
    try {
      if (mode === 'cross-process') return new FloorSession(mode, subject, pub, undefined, await RemoteSubscriber.start(url, subject));
      const nc = await connect({ servers: url, name: 'bench-floor-subscriber' });
      const tap = new BookLatencyTap();
      nc.subscribe(subject, { callback: (err, msg) => (err === null ? tap.onMessage(msg.data) : undefined) });
      await nc.flush();
      return new FloorSession(mode, subject, pub, { nc, tap }, undefined);
    } catch (error) {
      await pub.close();
      throw error;
    }
  }

  /** Publishes `count` snapshots at `ratePerSec` and waits until the last one had time to arrive. */
  async slice(ratePerSec: number, count: number): Promise<void> {
    const snap = this.snap;
    await pace(ratePerSec, count, () => {
      const t = nowMs();
      snap.seq = this.sent;
      snap.venueSeq = this.sent++;
      snap.venueTs = Math.floor(t);
      snap.recvTs = t;
      snap.pubTs = t;
      this.pub.publish(this.subject, JSON.stringify(snap));
    });
    await this.pub.flush();
    await sleep(20);
  }

  /** Forgets latencies recorded so far (end of warm-up). */
  reset(): void {
    this.local?.tap.resetLatencies();
    this.remote?.reset();
  }

  /** Latencies since the previous slice (or reset); starts the next slice. */
  async takeSlice(): Promise<SliceReport> {
    return this.remote !== undefined ? this.remote.slice() : (this.local as { tap: BookLatencyTap }).tap.takeSlice();
  }

  /** The report; closes everything. */
  async finish(): Promise<NatsHopResult> {
    try {
      await sleep(80); // stragglers
      const report = this.remote !== undefined ? await this.remote.stop() : (this.local as { tap: BookLatencyTap }).tap.report();
      this.remote = undefined;
      return { ...report, mode: this.mode, sent: this.sent, payloadBytes: this.payloadBytes };
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    this.remote?.kill();
    this.remote = undefined;
    await this.local?.nc.close();
    if (!this.pub.isClosed()) await this.pub.close();
  }
}

export interface NatsHopOptions {
  readonly url: string;
  readonly mode: HopMode;
  readonly ratePerSec: number;
  readonly count: number;
  /** Messages at the start whose latencies are dropped (connection and JIT warm-up). */
  readonly warmup: number;
}

/** One floor measurement: `warmup` messages, reset, then `count` messages at `ratePerSec`. */
export async function measureNatsHop(opts: NatsHopOptions): Promise<NatsHopResult> {
  const floor = await FloorSession.start(opts.url, opts.mode);
  try {
    await floor.slice(opts.ratePerSec, opts.warmup);
    floor.reset();
    await floor.slice(opts.ratePerSec, opts.count);
    return await floor.finish();
  } finally {
    await floor.close();
  }
}
