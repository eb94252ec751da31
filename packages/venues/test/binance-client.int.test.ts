import { checkBookInvariants } from '@arb/domain';
import { BinanceMarketDataClient, binanceSimEndpoints, type MarketDataEvent } from '../src';
import { FakeVenue, waitFor } from './fake-venue';

const FAST = { initialMs: 20, maxMs: 50, factor: 2, jitter: 0 };
/** Resync backoff of these tests: quick, and a book in sync at all counts as healthy (each test's resyncs start afresh). */
const FAST_RESYNC = { ...FAST, healthyAfterMs: 0 };

function depth(U: number, u: number, b: [string, string][] = [], a: [string, string][] = [], s = 'BTCUSDT'): unknown {
  return { stream: `${s.toLowerCase()}@depth@100ms`, data: { e: 'depthUpdate', E: 1_700_000_000_000 + u, s, U, u, b, a } };
}

describe('BinanceMarketDataClient against a scripted venue', () => {
  let venue: FakeVenue;
  let client: BinanceMarketDataClient;
  let events: MarketDataEvent[];
  let snapshotId: number;

  beforeEach(async () => {
    venue = await new FakeVenue().listen();
    snapshotId = 12;
    venue.rest = (url) => {
      if (url.pathname === '/api/v3/depth') {
        return [200, { lastUpdateId: snapshotId, bids: [['100.00', '1.0'], ['99.50', '2.0']], asks: [['100.50', '1.5']] }];
      }
      return [404, { code: -1121, msg: 'Invalid symbol.' }];
    };
    client = new BinanceMarketDataClient(
      { ...binanceSimEndpoints(venue.port), symbols: ['BTC-USDT', 'ETH-USDT'], depthSpeed: '0ms', staleAfterMs: 5000 },
      { resyncBackoff: FAST_RESYNC, reconnectBackoff: FAST },
    );
    events = [];
    client.onEvent((e) => events.push(e));
    client.start();
    await waitFor(() => venue.ws !== undefined, 5000, 'connection');
  });

  afterEach(async () => {
    await client.stop();
    await venue.close();
  });

  const books = (): Extract<MarketDataEvent, { kind: 'book' }>[] => events.filter((e): e is Extract<MarketDataEvent, { kind: 'book' }> => e.kind === 'book');

  it('subscribes the combined stream, syncs from buffered diffs + snapshot and emits valid books', async () => {
    expect(venue.connectUrls[0]).toBe('/stream?streams=btcusdt@depth@0ms/ethusdt@depth@0ms');
    // The server sees the socket before the client's 'open' event has run: wait for it, don't race it.
    await waitFor(() => client.state() === 'syncing', 5000, 'syncing');
    venue.send(depth(10, 11, [['99.50', '0']]));
    venue.send(depth(12, 13, [['100.25', '3']]));
    await waitFor(() => books().length > 0, 5000, 'first book');
    expect(venue.requests).toEqual(['/api/v3/depth?symbol=BTCUSDT&limit=1000']);
    const b = books()[0];
    expect(b).toMatchObject({ venue: 'binance', symbol: 'BTC-USDT', venueSeq: 13, venueTs: 1_700_000_000_013 });
    expect(b?.book.top(10)).toEqual({ bids: [['100.25', '3'], ['100.00', '1.0'], ['99.50', '2.0']], asks: [['100.50', '1.5']] });
    expect(checkBookInvariants(b!.book.top(10))).toEqual([]);
    expect(client.status()['BTC-USDT']?.state).toBe('live');
    expect(client.status()['ETH-USDT']?.state).toBe('syncing');
    expect(client.state()).toBe('syncing');

    venue.send(depth(14, 14, [], [['100.50', '0'], ['100.75', '2']]));
    await waitFor(() => books().length > 1);
    expect(client.book('BTC-USDT')?.top(1).asks).toEqual([['100.75', '2']]);
    expect(client.counters()).toMatchObject({ updates: 2, gaps: 0, resyncs: 0, rejected: 0 });
  });

  it('a sequence gap triggers a new snapshot and the book recovers', async () => {
    venue.send(depth(13, 13));
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
    snapshotId = 20;
    venue.send(depth(16, 17, [['100.10', '1']])); // 14..15 lost
    await waitFor(() => client.counters().gaps === 1 && client.status()['BTC-USDT']?.state === 'live');
    expect(venue.requests.length).toBe(2);
    expect(client.counters().resyncs).toBe(1);
    const states = events.filter((e) => e.kind === 'status' && e.symbol === 'BTC-USDT').map((e) => (e.kind === 'status' ? e.state : ''));
    expect(states).toEqual(['connecting', 'syncing', 'live', 'resyncing', 'live']);
    // snapshot 20 is newer than the buffered 16..17: book = snapshot
    expect(client.book('BTC-USDT')?.bestBid()).toEqual(['100.00', '1.0']);
  });

  it('a snapshot older than the first buffered diff is fetched again', async () => {
    snapshotId = 5;
    venue.send(depth(10, 10));
    await waitFor(() => venue.requests.length >= 2);
    snapshotId = 10;
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
    expect(client.counters().rejected).toBe(0);
  });

  it('malformed or crossing diffs are rejected, counted, and force a resync', async () => {
    venue.send(depth(13, 13));
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
    venue.send(depth(14, 14, [['100.1', '-5']])); // negative size
    await waitFor(() => client.counters().rejected === 1);
    expect(events.some((e) => e.kind === 'rejected' && e.symbol === 'BTC-USDT')).toBe(true);
    await waitFor(() => venue.requests.length === 2 && client.status()['BTC-USDT']?.state === 'live');
    snapshotId = 30;
    venue.send(depth(13, 31, [['101', '1']])); // crosses the ask at 100.50
    await waitFor(() => client.counters().rejected === 2);
    await waitFor(() => venue.requests.length === 3);
    venue.send('{"stream":"btcusdt@depth@0ms","data":{"e":"depthUp'); // truncated JSON: attributed by sniffing
    await waitFor(() => client.counters().rejected === 3);
    expect(client.counters().resyncs).toBe(3);
  });

  it('reconnects after the connection drops and resyncs every symbol', async () => {
    venue.send(depth(13, 13));
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
    venue.dropConnections();
    await waitFor(() => client.status()['BTC-USDT']?.state === 'down');
    await waitFor(() => venue.sockets.length === 2 && venue.ws !== undefined);
    await waitFor(() => client.counters().reconnects === 1 && client.status()['BTC-USDT']?.state === 'syncing');
    expect(client.book('BTC-USDT')?.isEmpty).toBe(true);
    venue.send(depth(13, 13));
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
  });

  it('retries a failing snapshot request with backoff', async () => {
    let fails = 2;
    const ok = venue.rest;
    venue.rest = (url) => (fails-- > 0 ? [503, 'down'] : ok(url));
    venue.send(depth(13, 13));
    await waitFor(() => client.status()['BTC-USDT']?.state === 'live');
    expect(venue.requests.length).toBe(3);
    expect(events.filter((e) => e.kind === 'error' && e.symbol === 'BTC-USDT').length).toBe(2);
  });

  it('fetches instrument rules from exchangeInfo', async () => {
    venue.rest = (url) => {
      expect(url.pathname).toBe('/api/v3/exchangeInfo');
      expect(url.searchParams.get('symbols')).toBe('["BTCUSDT","ETHUSDT"]');
      return [
        200,
        {
          symbols: [
            {
              symbol: 'BTCUSDT',
              status: 'TRADING',
              baseAsset: 'BTC',
              quoteAsset: 'USDT',
              filters: [
                { filterType: 'PRICE_FILTER', tickSize: '0.01000000' },
                { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
              ],
            },
          ],
        },
      ];
    };
    await expect(client.fetchInstruments()).resolves.toEqual([
      expect.objectContaining({ symbol: 'BTC-USDT', tickSize: '0.01000000', stepSize: '0.00001000', minNotional: '0', maxNotional: null }),
    ]);
  });
});

describe('BinanceMarketDataClient resync under a venue serving bad snapshots', () => {
  let venue: FakeVenue;
  let client: BinanceMarketDataClient | undefined;
  const good = { lastUpdateId: 12, bids: [['100.00', '1.0']], asks: [['100.50', '1.5']] };
  const crossed = { lastUpdateId: 12, bids: [['101.00', '1.0'], ['100.00', '1.0']], asks: [['100.50', '1.5']] };

  beforeEach(async () => {
    venue = await new FakeVenue().listen();
  });

  afterEach(async () => {
    await client?.stop();
    await venue.close();
  });

  const start = (deps: ConstructorParameters<typeof BinanceMarketDataClient>[1], config: { snapshotLimit?: number; snapshotWeightPerMinute?: number; symbols?: string[] } = {}): BinanceMarketDataClient => {
    const c = new BinanceMarketDataClient({ ...binanceSimEndpoints(venue.port), symbols: config.symbols ?? ['BTC-USDT'], depthSpeed: '0ms', staleAfterMs: 10_000, ...config }, deps);
    c.start();
    client = c;
    return c;
  };

  it('backs off on crossed snapshots (exponential, counted) and is live at the first good one', async () => {
    let serveCrossed = true;
    venue.rest = () => [200, serveCrossed ? crossed : good];
    const c = start({ resyncBackoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0, healthyAfterMs: 5000 }, reconnectBackoff: FAST });
    await waitFor(() => venue.ws !== undefined && c.state() === 'syncing', 5000, 'syncing');
    venue.send(depth(13, 13));
    await waitFor(() => c.counters().rejected >= 5, 5000, 'five crossed snapshots refused');
    // Requests at 0, +100, +200, +400, +400 ms: never the immediate re-request of issue 16.
    const t = venue.requestTimes;
    const gaps = t.slice(1).map((x, i) => x - (t[i] as number));
    const wanted = [100, 200, 400, 400];
    expect(gaps.slice(0, 4).map((g, i) => g >= (wanted[i] as number) - 20)).toEqual([true, true, true, true]);
    expect(c.status()['BTC-USDT']).toMatchObject({ state: 'syncing', resyncFailures: expect.any(Number) });
    expect(c.status()['BTC-USDT']?.resyncFailures).toBeGreaterThanOrEqual(4);
    const before = venue.requests.length;
    serveCrossed = false;
    const goodAt = Date.now();
    await waitFor(() => c.status()['BTC-USDT']?.state === 'live', 2000, 'live after the venue is good');
    // The next scheduled attempt (at most maxMs away) takes the good snapshot.
    expect(Date.now() - goodAt).toBeLessThan(400 + 300);
    expect(venue.requests.length).toBe(before + 1);
    expect(c.status()['BTC-USDT']?.resyncFailures).toBe(0);
  });

  it('keeps its snapshots within snapshotWeightPerMinute (the IP budget it shares with the executors)', async () => {
    venue.rest = () => [200, crossed];
    // limit 1000 costs weight 50: a budget of 150 per minute is three snapshots, however short the backoff.
    const c = start({ resyncBackoff: { initialMs: 1, maxMs: 1, factor: 1, jitter: 0, healthyAfterMs: 5000 }, reconnectBackoff: FAST }, { snapshotLimit: 1000, snapshotWeightPerMinute: 150 });
    await waitFor(() => venue.ws !== undefined && c.state() === 'syncing', 5000, 'syncing');
    venue.send(depth(13, 13));
    await waitFor(() => venue.requests.length >= 3, 5000, 'three requests');
    await new Promise((r) => setTimeout(r, 500));
    expect(venue.requests.length).toBe(3);
  });

  it('a 429 pauses every snapshot for its Retry-After', async () => {
    let first = true;
    venue.rest = () => {
      if (!first) return [200, good];
      first = false;
      return [429, { code: -1003, msg: 'Too much request weight used' }, { 'retry-after': '1' }];
    };
    const c = start({ resyncBackoff: FAST_RESYNC, reconnectBackoff: FAST }, { symbols: ['BTC-USDT', 'ETH-USDT'] });
    await waitFor(() => venue.ws !== undefined && c.state() === 'syncing', 5000, 'syncing');
    venue.send(depth(13, 13));
    await waitFor(() => c.status()['BTC-USDT']?.state === 'live', 5000, 'live after the pause');
    venue.send(depth(13, 13, [], [], 'ETHUSDT'));
    await waitFor(() => c.status()['ETH-USDT']?.state === 'live', 5000, 'ETH live');
    const t = venue.requestTimes;
    expect((t[1] as number) - (t[0] as number)).toBeGreaterThanOrEqual(950);
  });
});
