import { subjects, validators, type BookSnapshot, type ExecutionReport, type FeedState, type FeedStatus, type Opportunity } from '@arb/contracts';
import { natsServerList } from '@arb/service-kit';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** A message with the suite's local receive time (epoch ms, the services' clock). */
export interface Seen<T> {
  readonly at: number;
  readonly msg: T;
}

/** A published book's timing (kept for every book) and, while capturing, its levels. */
export interface BookSeen {
  readonly at: number;
  readonly venue: string;
  readonly symbol: string;
  readonly venueSeq: number;
  readonly recvTs: number;
  readonly levels?: Pick<BookSnapshot, 'bids' | 'asks'>;
}

export const now = (): number => performance.timeOrigin + performance.now();

/**
 * Everything the system publishes on core NATS, as an outside observer sees it: books (timing; full levels while
 * `capture` is on), feed statuses, opportunities and execution reports. Its connection reconnects forever, so it
 * keeps recording across a NATS restart. Messages that fail their schema are counted (they would be a bug).
 */
export class Recorder {
  readonly books: BookSeen[] = [];
  readonly statuses: Seen<FeedStatus>[] = [];
  readonly opportunities: Seen<Opportunity>[] = [];
  readonly reports: Seen<ExecutionReport>[] = [];
  invalid = 0;
  capture = false;
  private readonly subs: Subscription[] = [];

  private constructor(private readonly nc: NatsConnection) {}

  static async start(url: string): Promise<Recorder> {
    const nc = await connect({ servers: natsServerList(url), name: 'fault-suite-recorder', maxReconnectAttempts: -1, reconnectTimeWait: 100, pingInterval: 2000 });
    const r = new Recorder(nc);
    r.on(subjects.books(), (m) => {
      const b = validators.BookSnapshot.decode(m);
      r.books.push({ at: now(), venue: b.venue, symbol: b.symbol, venueSeq: b.venueSeq, recvTs: b.recvTs, ...(r.capture ? { levels: { bids: b.bids, asks: b.asks } } : {}) });
    });
    r.on(subjects.statuses(), (m) => r.statuses.push({ at: now(), msg: validators.FeedStatus.decode(m) }));
    r.on(subjects.opportunities(), (m) => r.opportunities.push({ at: now(), msg: validators.Opportunity.decode(m) }));
    r.on(subjects.executions(), (m) => r.reports.push({ at: now(), msg: validators.ExecutionReport.decode(m) }));
    await nc.flush();
    return r;
  }

  private on(subject: string, handle: (data: Uint8Array) => void): void {
    this.subs.push(
      this.nc.subscribe(subject, {
        callback: (err, m) => {
          if (err !== null) return;
          try {
            handle(m.data);
          } catch {
            this.invalid++;
          }
        },
      }),
    );
  }

  /** Books of `venue` published after `since`. */
  booksOf(venue: string, since: number): BookSeen[] {
    return this.books.filter((b) => b.venue === venue && b.at >= since);
  }

  /** Feed states of `venue` since `since`, in order, with repeats collapsed. */
  statesOf(venue: string, since: number): { at: number; state: FeedState; counters: FeedStatus['counters'] }[] {
    const out: { at: number; state: FeedState; counters: FeedStatus['counters'] }[] = [];
    for (const s of this.statuses) {
      if (s.msg.venue !== venue || s.at < since) continue;
      if (out[out.length - 1]?.state !== s.msg.state) out.push({ at: s.at, state: s.msg.state, counters: s.msg.counters });
    }
    return out;
  }

  /** The latest FeedStatus counters of `venue` (gaps, resyncs, reconnects, rejected frames). */
  countersOf(venue: string): FeedStatus['counters'] | undefined {
    for (let i = this.statuses.length - 1; i >= 0; i--) {
      const s = this.statuses[i];
      if (s?.msg.venue === venue) return s.msg.counters;
    }
    return undefined;
  }

  /** Client port of the server the recorder is connected to now (undefined while disconnected). */
  get serverPort(): number | undefined {
    return this.nc.isClosed() ? undefined : this.nc.info?.port;
  }

  reportsSince(since: number): ExecutionReport[] {
    return this.reports.filter((r) => r.at >= since).map((r) => r.msg);
  }

  async close(): Promise<void> {
    for (const s of this.subs) s.unsubscribe();
    if (!this.nc.isClosed()) await this.nc.close();
  }
}
