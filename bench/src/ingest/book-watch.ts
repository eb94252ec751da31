import { connect, type NatsConnection } from '@nats-io/transport-node';
import { nowMs } from '../lib/clock';

const decoder = new TextDecoder();

interface Waiter {
  readonly venueSeq: number;
  readonly sample: () => number | undefined;
  readonly resolve: (r: Reached) => void;
}

/** When the watched feed first published a book at or past a venueSeq, which venueSeq that book had, and an optional sample taken right then. */
export interface Reached {
  readonly at: number;
  readonly venueSeq: number;
  readonly sample: number | undefined;
}

/**
 * Follows the BookSnapshots of one subject in this process: how many arrived, the highest venueSeq, the last
 * message; resolves waiters synchronously on the message that reaches their venueSeq (so a CPU sample taken then is
 * aligned with the progress it measures).
 */
export class BookWatch {
  received = 0;
  maxVenueSeq = -1;
  invalid = 0;
  lastMessage: unknown;
  private waiters: Waiter[] = [];

  private constructor(private readonly nc: NatsConnection) {}

  static async start(url: string, subject: string): Promise<BookWatch> {
    const nc = await connect({ servers: url, name: 'bench-book-watch' });
    const watch = new BookWatch(nc);
    nc.subscribe(subject, { callback: (err, msg) => (err === null ? watch.onMessage(msg.data) : undefined) });
    await nc.flush();
    return watch;
  }

  /** Resolves when a book with venueSeq >= `venueSeq` arrives, calling `sample` synchronously at that moment. */
  reach(venueSeq: number, sample: () => number | undefined = () => undefined): Promise<Reached> {
    if (this.maxVenueSeq >= venueSeq) return Promise.resolve({ at: nowMs(), venueSeq: this.maxVenueSeq, sample: sample() });
    return new Promise((resolve) => this.waiters.push({ venueSeq, sample, resolve }));
  }

  async close(): Promise<void> {
    this.waiters = [];
    await this.nc.close();
  }

  private onMessage(data: Uint8Array): void {
    const at = nowMs();
    this.received++;
    let msg: unknown;
    try {
      msg = JSON.parse(decoder.decode(data));
    } catch {
      this.invalid++;
      return;
    }
    const seq = typeof msg === 'object' && msg !== null ? (msg as Record<string, unknown>).venueSeq : undefined;
    if (typeof seq !== 'number') {
      this.invalid++;
      return;
    }
    this.lastMessage = msg;
    if (seq <= this.maxVenueSeq) return;
    this.maxVenueSeq = seq;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (seq >= w.venueSeq) w.resolve({ at, venueSeq: seq, sample: w.sample() });
      else still.push(w);
    }
    this.waiters = still;
  }
}
