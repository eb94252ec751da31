import type { BookSnapshot, FeedCounters, FeedState, FeedStatus } from '@arb/contracts';
import { OrderBook } from '@arb/domain';
import { createMetricsRegistry } from '@arb/service-kit';
import { emptyCounters, FeedTracker, type MarketDataListener, type VenueMarketData } from '@arb/venues';
import { BookFeed } from './book-feed';
import { createFeedMetrics } from './metrics';

/** A venue client driven by hand: the real FeedTracker and OrderBook, no socket. */
class HandClient implements VenueMarketData {
  readonly venue = 'binance';
  readonly symbols = ['BTC-USDT'];
  readonly tracker = new FeedTracker(this.venue, this.symbols);
  readonly ob = new OrderBook();
  start(): void {}
  async stop(): Promise<void> {}
  onEvent(l: MarketDataListener): () => void {
    return this.tracker.onEvent(l);
  }
  status() {
    return this.tracker.status();
  }
  state(): FeedState {
    return this.tracker.overall();
  }
  counters(): FeedCounters {
    return this.tracker.counters ?? emptyCounters();
  }
  book(): OrderBook {
    return this.ob;
  }
  change(seq: number, bid: string, ask: string, t: number): void {
    this.ob.replace([[bid, '1']], [[ask, '2']]);
    this.tracker.book('BTC-USDT', this.ob, seq, null, t);
  }
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup() {
  const client = new HandClient();
  const registry = createMetricsRegistry({ service: 'test', defaultMetrics: false });
  const books: BookSnapshot[] = [];
  const statuses: FeedStatus[] = [];
  let now = 1000;
  const feed = new BookFeed({
    client,
    depth: 5,
    staleAfterMs: 100,
    statusIntervalMs: 1000,
    metrics: createFeedMetrics(registry),
    publishBook: (b) => books.push(b),
    publishStatus: (s) => statuses.push(s),
    warn: () => undefined,
    now: () => now,
  });
  return { client, registry, books, statuses, feed, advance: (ms: number) => (now += ms) };
}

describe('BookFeed', () => {
  it('publishes only the latest of several changes in one loop turn, with its venue sequence', async () => {
    const { client, books, feed } = setup();
    feed.start();
    client.change(1, '100', '101', 1000);
    client.change(2, '100.5', '101', 1000);
    client.change(3, '100.7', '101', 1000);
    await turn();
    expect(books).toHaveLength(1);
    expect(books[0]).toMatchObject({ venueSeq: 3, seq: 1, bids: [['100.7', '1']], asks: [['101', '2']] });
    await feed.stop();
  });

  it('never publishes a book that fails the invariant check, and counts it', async () => {
    const { client, books, feed, registry } = setup();
    feed.start();
    client.change(1, '102', '101', 1000); // crossed
    await turn();
    expect(books).toHaveLength(0);
    const metric = await registry.getSingleMetric('feed_invalid_books_total')?.get();
    expect(metric?.values.find((v) => v.labels.rule === 'crossed')?.value).toBe(1);
    await feed.stop();
  });

  it('does not publish a change pending when the symbol leaves live', async () => {
    const { client, books, feed } = setup();
    feed.start();
    client.change(1, '100', '101', 1000);
    client.tracker.setState('BTC-USDT', 'resyncing', 'gap');
    await turn();
    expect(books).toHaveLength(0);
    await feed.stop();
  });
});
