import { checkBookInvariants } from '@arb/domain';
import { CoinbaseMarketDataClient, coinbaseSimEndpoints, type MarketDataEvent } from '../src';
import { FakeVenue, waitFor } from './fake-venue';

const FAST = { initialMs: 20, maxMs: 50, factor: 2, jitter: 0 };
/** Resync backoff of the scripted-venue tests: a book in sync at all counts as healthy (each test's resyncs start afresh). */
const FAST_RESYNC = { ...FAST, healthyAfterMs: 0 };
type Lvl = [side: 'bid' | 'offer', price: string, qty: string];

function l2(seq: number, type: 'snapshot' | 'update', product: string, levels: Lvl[]): unknown {
  return {
    channel: 'l2_data',
    client_id: '',
    timestamp: '2023-02-09T20:32:50.714964855Z',
    sequence_num: seq,
    events: [{ type, product_id: product, updates: levels.map(([side, price_level, new_quantity]) => ({ side, event_time: '2023-02-09T20:32:50Z', price_level, new_quantity })) }],
  };
}
const heartbeat = (seq: number): unknown => ({ channel: 'heartbeats', client_id: '', timestamp: '2023-02-09T20:32:50Z', sequence_num: seq, events: [{ current_time: 'x', heartbeat_counter: String(seq) }] });

describe('CoinbaseMarketDataClient against a scripted venue', () => {
  let venue: FakeVenue;
  let client: CoinbaseMarketDataClient;
  let events: MarketDataEvent[];

  const subs = (): { type: string; channel: string; product_ids?: string[] }[] => venue.received.map((t) => JSON.parse(t) as { type: string; channel: string; product_ids?: string[] });
  const books = (): Extract<MarketDataEvent, { kind: 'book' }>[] => events.filter((e): e is Extract<MarketDataEvent, { kind: 'book' }> => e.kind === 'book');
  const live = (s: string) => (): boolean => client.status()[s]?.state === 'live';

  beforeEach(async () => {
    venue = await new FakeVenue().listen();
    client = new CoinbaseMarketDataClient(
      { ...coinbaseSimEndpoints(venue.port), symbols: ['BTC-USD', 'ETH-USD'], staleAfterMs: 5000, snapshotTimeoutMs: 300, minResubscribeIntervalMs: 0 },
      { reconnectBackoff: FAST, resyncBackoff: FAST_RESYNC },
    );
    events = [];
    client.onEvent((e) => events.push(e));
    client.start();
    await waitFor(() => venue.received.length >= 2, 5000, 'subscriptions');
  });

  afterEach(async () => {
    await client.stop();
    await venue.close();
  });

  async function syncBoth(): Promise<void> {
    venue.send(l2(100, 'snapshot', 'BTC-USD', [['bid', '100.00', '1'], ['bid', '99.5', '2'], ['offer', '100.5', '1']]));
    venue.send(l2(101, 'snapshot', 'ETH-USD', [['bid', '10', '1'], ['offer', '11', '1']]));
    await waitFor(() => client.state() === 'live', 5000, 'live');
  }

  it('subscribes heartbeats and level2 within the first moments, syncs from snapshots, applies updates', async () => {
    expect(subs()).toEqual([
      { type: 'subscribe', channel: 'heartbeats' },
      { type: 'subscribe', channel: 'level2', product_ids: ['BTC-USD', 'ETH-USD'] },
    ]);
    await syncBoth();
    venue.send(heartbeat(102));
    venue.send(l2(103, 'update', 'BTC-USD', [['bid', '99.5', '0'], ['offer', '100.25', '4']]));
    await waitFor(() => books().length === 3);
    const b = books()[2];
    expect(b).toMatchObject({ venue: 'coinbase', symbol: 'BTC-USD', venueSeq: 103, venueTs: Date.parse('2023-02-09T20:32:50.714Z') });
    expect(b?.book.top(5)).toEqual({ bids: [['100.00', '1']], asks: [['100.25', '4'], ['100.5', '1']] });
    expect(checkBookInvariants(b!.book.top(5))).toEqual([]);
    expect(client.counters()).toMatchObject({ updates: 1, gaps: 0, resyncs: 0, rejected: 0 });
  });

  it('a sequence jump (even on heartbeats) resubscribes level2 and waits for fresh snapshots', async () => {
    await syncBoth();
    const before = venue.received.length;
    venue.send(heartbeat(104)); // 102..103 lost
    await waitFor(() => client.counters().gaps === 1);
    expect(client.status()['BTC-USD']?.state).toBe('resyncing');
    await waitFor(() => venue.received.length >= before + 2);
    expect(subs().slice(before)).toEqual([
      { type: 'unsubscribe', channel: 'level2', product_ids: ['BTC-USD', 'ETH-USD'] },
      { type: 'subscribe', channel: 'level2', product_ids: ['BTC-USD', 'ETH-USD'] },
    ]);
    venue.send(l2(105, 'update', 'BTC-USD', [['bid', '1', '1']])); // ignored until the snapshot
    venue.send(l2(106, 'snapshot', 'BTC-USD', [['bid', '200', '1'], ['offer', '201', '1']]));
    await waitFor(live('BTC-USD'));
    expect(client.book('BTC-USD')?.top(5)).toEqual({ bids: [['200', '1']], asks: [['201', '1']] });
    expect(client.status()['ETH-USD']?.state).toBe('resyncing');
  });

  it('a rejected update resubscribes just that product; a crossing update too', async () => {
    await syncBoth();
    const before = venue.received.length;
    venue.send(l2(102, 'update', 'ETH-USD', [['bid', '10', '-1']]));
    await waitFor(() => client.counters().rejected === 1 && venue.received.length >= before + 2);
    expect(subs().slice(before).map((s) => s.product_ids)).toEqual([['ETH-USD'], ['ETH-USD']]);
    expect(client.status()['BTC-USD']?.state).toBe('live');
    expect(client.counters().gaps).toBe(0); // the bad frame's number was consumed, not lost
    venue.send(l2(103, 'update', 'BTC-USD', [['offer', '99', '1']])); // crosses the 100.00 bid
    await waitFor(() => client.counters().rejected === 2 && venue.received.length >= before + 4);
    expect(client.status()['BTC-USD']?.state).toBe('resyncing');
    expect(client.counters().resyncs).toBe(2);
  });

  it('a corrupt frame with a wild sequence_num costs one resync, not the feed until reconnect', async () => {
    await syncBoth();
    // A rejected update whose sequence_num is far ahead (found by the parser fuzz suite): a jump, then the real
    // sequence carries on. Before, every later frame counted as a duplicate and the feed froze until stale.
    venue.send(l2(9_000_000_000, 'update', 'BTC-USD', [['bid', '100', 'x']]));
    await waitFor(() => client.counters().rejected === 1 && client.counters().gaps === 1);
    venue.send(heartbeat(103));
    await waitFor(() => client.counters().gaps === 2);
    venue.send(l2(104, 'snapshot', 'BTC-USD', [['bid', '300', '1'], ['offer', '301', '1']]));
    venue.send(l2(105, 'snapshot', 'ETH-USD', [['bid', '30', '1'], ['offer', '31', '1']]));
    await waitFor(() => client.state() === 'live', 2000, 'live again');
    expect(client.book('BTC-USD')?.top(5)).toEqual({ bids: [['300', '1']], asks: [['301', '1']] });
    venue.send(l2(106, 'update', 'ETH-USD', [['bid', '30.5', '2']]));
    await waitFor(() => client.book('ETH-USD')?.top(1).bids[0]?.[0] === '30.5', 2000, 'update applied');
    expect(client.counters()).toMatchObject({ reconnects: 0, gaps: 2 }); // the wild jump, and the way back
  });

  it('resubscribes when no snapshot arrives in time', async () => {
    const before = venue.received.length;
    await waitFor(() => venue.received.length >= before + 2, 3000, 'resubscribe');
    expect(subs()[before]).toEqual({ type: 'unsubscribe', channel: 'level2', product_ids: ['BTC-USD', 'ETH-USD'] });
  });

  it('reconnects, resubscribes and accepts the new connection numbering', async () => {
    await syncBoth();
    venue.dropConnections();
    await waitFor(() => client.counters().reconnects === 1 && venue.received.length >= 4);
    expect(client.state()).toBe('syncing');
    venue.send(l2(5000, 'snapshot', 'BTC-USD', [['bid', '1', '1']]));
    venue.send(l2(5001, 'snapshot', 'ETH-USD', [['offer', '2', '1']]));
    await waitFor(() => client.state() === 'live');
    expect(client.counters().gaps).toBe(0);
  });

  it('fetches instrument rules from the products endpoint', async () => {
    venue.rest = (url) => {
      expect(url.pathname).toBe('/api/v3/brokerage/market/products');
      expect(url.searchParams.getAll('product_ids')).toEqual(['BTC-USD', 'ETH-USD']);
      return [200, { products: [{ product_id: 'BTC-USD', base_increment: '0.00000001', quote_increment: '0.01', base_min_size: '0.00000001', base_max_size: '3400', quote_min_size: '1', status: 'online', trading_disabled: false }] }];
    };
    await expect(client.fetchInstruments()).resolves.toEqual([expect.objectContaining({ symbol: 'BTC-USD', tickSize: '0.01', trading: true })]);
  });
});

describe('CoinbaseMarketDataClient resync under a venue serving crossed snapshots', () => {
  let venue: FakeVenue;
  let client: CoinbaseMarketDataClient;

  beforeEach(async () => {
    venue = await new FakeVenue().listen();
  });

  afterEach(async () => {
    await client.stop();
    await venue.close();
  });

  it('spaces the resubscribes of a product whose snapshots keep crossing (exponential, counted) and is live at the first good one', async () => {
    client = new CoinbaseMarketDataClient(
      { ...coinbaseSimEndpoints(venue.port), symbols: ['BTC-USD'], staleAfterMs: 10_000, snapshotTimeoutMs: 10_000, minResubscribeIntervalMs: 0 },
      { reconnectBackoff: FAST, resyncBackoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0, healthyAfterMs: 5000 } },
    );
    client.start();
    // The venue answers every level2 subscribe with a snapshot: crossed until `good`.
    let good = false;
    let seq = 1;
    let answered = 0;
    const subscribeTimes: number[] = [];
    const responder = setInterval(() => {
      const subs = venue.received.map((t) => JSON.parse(t) as { type: string; channel: string });
      const level2 = subs.filter((x) => x.type === 'subscribe' && x.channel === 'level2').length;
      for (; answered < level2; answered++) {
        subscribeTimes.push(Date.now());
        venue.send(l2(seq++, 'snapshot', 'BTC-USD', good ? [['bid', '100', '1'], ['offer', '101', '1']] : [['bid', '102', '1'], ['offer', '101', '1']]));
      }
    }, 2);
    try {
      await waitFor(() => subscribeTimes.length >= 5, 5000, 'five level2 subscribes');
      const gaps = subscribeTimes.slice(1).map((t, i) => t - (subscribeTimes[i] as number));
      const wanted = [100, 200, 400, 400];
      expect(gaps.slice(0, 4).map((g, i) => g >= (wanted[i] as number) - 20)).toEqual([true, true, true, true]);
      expect(client.status()['BTC-USD']?.resyncFailures).toBeGreaterThanOrEqual(4);
      good = true;
      const goodAt = Date.now();
      await waitFor(() => client.status()['BTC-USD']?.state === 'live', 2000, 'live after the venue is good');
      expect(Date.now() - goodAt).toBeLessThan(400 + 300);
      expect(client.status()['BTC-USD']?.resyncFailures).toBe(0);
    } finally {
      clearInterval(responder);
    }
  });
});
