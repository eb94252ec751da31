import { subjects, validators, type FeedStatus } from '@arb/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { nowMs, sleep } from '../lib/clock';
import { pace } from '../lib/pacer';
import { EDGE_SYMBOL, EDGE_VENUES, EdgeBooks } from './edge-books';

const STATUS_EVERY_MS = 200;

/** The FeedStatus a live feed-ingestor would publish for `venue` (the detector trades only live venues). */
export function liveStatus(venue: string, symbol: string): FeedStatus {
  return validators.FeedStatus.assert({
    v: 1,
    venue,
    state: 'live',
    ts: nowMs(),
    symbols: { [symbol]: { state: 'live', bookAgeMs: 1, venueSeq: 1 } },
    counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
  });
}

/**
 * Stand-in for two feed-ingestors in front of the detector: EdgeBooks updates on `md.book.<venue>.BTC-USDT` at a
 * paced rate (slices), and a live FeedStatus per venue every 200 ms.
 */
export class EdgeFeed {
  private readonly books: EdgeBooks;
  private readonly subjects: readonly [string, string];
  private readonly timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly nc: NatsConnection,
    venueNames: readonly [string, string],
    subjectOf: (venue: string) => string,
    withStatus: boolean,
  ) {
    this.books = new EdgeBooks(venueNames);
    this.subjects = [subjectOf(venueNames[0]), subjectOf(venueNames[1])];
    const publishStatus = (): void => {
      for (const v of venueNames) nc.publish(subjects.status(v), JSON.stringify(liveStatus(v, EDGE_SYMBOL)));
    };
    if (withStatus) publishStatus();
    this.timer = withStatus ? setInterval(publishStatus, STATUS_EVERY_MS) : undefined;
  }

  /**
   * The detector's feed (default: venues alpha/beta on their book subjects, with FeedStatus), or a floor's: other
   * venue names on other subjects, no FeedStatus.
   */
  static async start(
    url: string,
    o: { venueNames?: readonly [string, string]; subjectOf?: (venue: string) => string; withStatus?: boolean } = {},
  ): Promise<EdgeFeed> {
    const nc = await connect({ servers: url, name: 'bench-edge-feed' });
    const feed = new EdgeFeed(nc, o.venueNames ?? EDGE_VENUES, o.subjectOf ?? ((v) => subjects.book(v, EDGE_SYMBOL)), o.withStatus ?? true);
    await nc.flush();
    return feed;
  }

  bookSubjects(): readonly string[] {
    return this.subjects;
  }

  get sent(): number {
    return this.books.sent;
  }

  /** Publishes `count` updates at `ratePerSec`, then waits until the last one had time to be handled. */
  async slice(ratePerSec: number, count: number, settleMs = 20): Promise<void> {
    await pace(ratePerSec, count, () => {
      const u = this.books.next();
      this.nc.publish(this.subjects[u.venueIndex], u.json);
    });
    await this.nc.flush();
    await sleep(settleMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (!this.nc.isClosed()) await this.nc.close();
  }
}
