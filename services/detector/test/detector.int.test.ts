import Big from 'big.js';
import { Redis } from 'ioredis';
import { redisKeys, streams, subjects, validators, type BookSnapshot, type Opportunity } from '@arb/contracts';
import type { Bus } from '@arb/service-kit';
import {
  buildDetector,
  closeTestClient,
  FakeFeeds,
  OppCollector,
  openTestClient,
  sleep,
  startDetectorProcess,
  startServers,
  THRESHOLDS,
  venuesEnv,
  waitFor,
  type DetectorProcess,
  type Servers,
  type Side,
} from './harness';

/**
 * The real detector process (`node services/detector/dist/main.js`) against real nats-server and redis-server.
 * Two venues with any names ("alpha", "beta"), taker fee 10 bps each, lot 0.001, tick 0.01, min notional 10;
 * thresholds: net edge >= 0.05 % (plus the volatility add-on), profit >= 1 USD.
 */
const BALANCES = '{USDT: "1000000", BTC: "100", ETH: "100", SOL: "100", ADA: "100", DOGE: "100", XRP: "100", TRX: "100", LTC: "100"}';
const WINDOW_MS = 1500;

/**
 * alpha's asks are below beta's bids. Per unit, after fees: 101 x 0.999 - 100 x 1.001 = 0.799, then
 * 101 x 0.999 - 100.10 x 1.001 = 0.6989 (to 1.5), 100.80 x 0.999 - 100.10 x 1.001 = 0.4991 (to 2.5), and
 * 100.30 x 0.999 - 100.10 x 1.001 = -0.0004 beyond: the profit-maximizing size is 2.5, which takes all of beta's
 * 100.80 level; the haircut (detector.marketability.lastLevelShare 0.8) keeps 80 % of it: size 2.3.
 * buy notional 100 x 1 + 100.10 x 1.3 = 230.13 (VWAP 100.0565...); sell 101 x 1.5 + 100.80 x 0.8 = 232.14;
 * fees 0.001 x (230.13 + 232.14) = 0.46227; profit 232.14 - 230.13 - 0.46227 = 1.54773 USDT.
 * Touched levels 100.10 (buy) and 100.80 (sell) would net 2.3 x (100.8 x 0.999 - 100.1 x 1.001) = 1.14793: the
 * allowance may spend what is above minProfitUsd (1); rounded outward a tick would overspend, so the limits are
 * 100.13 / 100.77 (net 1.00993 if both fill there). The reverse direction has no edge.
 */
const DISLOCATION: Record<string, Side> = {
  alpha: { bids: [['99.90', '5']], asks: [['100.00', '1'], ['100.10', '2'], ['100.50', '5']] },
  beta: { bids: [['101.00', '1.5'], ['100.80', '1'], ['100.30', '10']], asks: [['101.20', '5']] },
};

describe('detector (real process, NATS + Redis)', () => {
  let servers: Servers;
  let det: DetectorProcess;
  let bus: Bus;
  let feeds: FakeFeeds;
  let opps: OppCollector;
  let redis: Redis;

  beforeAll(async () => {
    buildDetector();
    servers = await startServers();
    det = await startDetectorProcess(servers, {
      ...venuesEnv(['alpha', 'beta'], BALANCES),
      ...THRESHOLDS,
      ARB__DETECTOR__EXECUTION_WINDOW_MS: String(WINDOW_MS),
      ARB__DETECTOR__MIRROR__FLUSH_INTERVAL_MS: '20',
    });
    const symbols = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'ADA-USDT', 'DOGE-USDT', 'XRP-USDT', 'TRX-USDT', 'LTC-USDT'];
    ({ bus, opps, feeds } = await openTestClient(servers, 'detector-test-client', ['alpha', 'beta'], symbols));
    redis = new Redis(servers.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await sleep(300);
  });

  afterAll(async () => {
    await closeTestClient({ feeds, opps, bus });
    const exit = await det?.proc.stop();
    redis?.disconnect();
    await servers?.stop();
    expect(exit?.code).toBe(0);
    // No handler ever threw (a throw would be counted and logged, not crash: still a bug).
    expect(det?.proc.lines().filter((l) => l.includes('"message handler failed"'))).toEqual([]);
  });

  it('is ready once subscribed', async () => {
    expect((await fetch(`${det.url}/readyz`)).status).toBe(200);
  });

  it('publishes the hand-computed opportunity for a known dislocation, through JetStream with Nats-Msg-Id', async () => {
    const last = await feeds.pump('BTC-USDT', DISLOCATION, { durationMs: 600 });
    await waitFor(() => opps.of('BTC-USDT').length > 0, 5_000, 'an opportunity');
    await sleep(100);
    const seen = opps.of('BTC-USDT');
    expect(seen).toHaveLength(1); // re-published ticks of the same edge are suppressed
    const o = seen[0] as Opportunity;
    expect(o.buy.venue).toBe('alpha');
    expect(o.sell.venue).toBe('beta');
    expect(o.symbol).toBe('BTC-USDT');
    const eq = (a: string, b: string): boolean => new Big(a).eq(b);
    expect(eq(o.size, '2.3') && eq(o.buy.size, '2.3') && eq(o.sell.size, '2.3')).toBe(true);
    expect(eq(o.buy.limitPrice, '100.13')).toBe(true);
    expect(eq(o.sell.limitPrice, '100.77')).toBe(true);
    expect(o.factors?.marketability).toEqual({ buyTouched: '100.1', sellTouched: '100.8', buyBps: 2.997003, sellBps: 2.97619, netAtLimitsQuote: '1.00993' });
    expect(o.factors?.sizeBeforeHaircut).toBe('2.5');
    expect(new Big(o.buy.vwap).minus(new Big('230.13').div('2.3')).abs().lt('0.000000000001')).toBe(true);
    expect(new Big(o.sell.vwap).minus(new Big('232.14').div('2.3')).abs().lt('0.000000000001')).toBe(true);
    expect(eq(o.profitQuote, '1.54773')).toBe(true);
    expect(eq(o.profitUsd, '1.54773')).toBe(true);
    // Net edge = profit / buy notional; gross = (sell - buy notional) / buy notional.
    expect(new Big(o.netEdgeBps).minus(new Big('1.54773').div('230.13').times(10_000)).abs().lt('0.001')).toBe(true);
    expect(new Big(o.grossEdgeBps).minus(new Big('2.01').div('230.13').times(10_000)).abs().lt('0.001')).toBe(true);
    expect(o.confidence).toBeGreaterThanOrEqual(0.6);
    expect(o.expiresTs - o.detectedTs).toBeCloseTo(WINDOW_MS, 6);
    expect(o.variant).toBe('default');
    expect(o.books.buy.seq).toBeGreaterThan(0);
    expect(o.books.buy.seq).toBeLessThanOrEqual((last.alpha as BookSnapshot).seq);
    expect(o.detectedTs - Math.max(o.books.buy.recvTs, o.books.sell.recvTs)).toBeLessThan(250);

    const jsm = await bus.jetstreamManager();
    const stored = await jsm.streams.getMessage(streams.opportunities.name, { last_by_subj: subjects.opportunity('BTC-USDT') });
    expect(stored).not.toBeNull();
    expect(stored?.header.get('Nats-Msg-Id')).toBe(o.id);
    expect(validators.Opportunity.decode(stored?.data ?? new Uint8Array()).id).toBe(o.id);
    expect(await det.metric('detector_opportunities_total', { symbol: 'BTC-USDT', buy: 'alpha', sell: 'beta' })).toBe(1);
    expect(await det.metric('detector_opportunities_total', { symbol: 'BTC-USDT', buy: 'beta', sell: 'alpha' })).toBe(0);
    await waitFor(async () => (await det.metric('detector_publish_acks_total', { result: 'ok' })) >= 1, 5_000, 'the PubAck');
  });

  it('publishes nothing when the net edge after fees is below the threshold', async () => {
    // Top of book: 100.23 x 0.999 - 100 x 1.001 = 0.02977 per unit, about 3 bps: positive, but below 5 bps.
    await feeds.pump(
      'ETH-USDT',
      {
        alpha: { bids: [['99.50', '5']], asks: [['100.00', '5']] },
        beta: { bids: [['100.23', '5']], asks: [['100.80', '5']] },
      },
      { durationMs: 500 },
    );
    await sleep(100);
    expect(opps.of('ETH-USDT')).toHaveLength(0);
    expect(await det.metric('detector_rejections_total', { symbol: 'ETH-USDT', reason: 'below-threshold' })).toBeGreaterThan(0);
    expect(await det.metric('detector_evaluations_total', { symbol: 'ETH-USDT' })).toBeGreaterThan(0);
  });

  it('leaves out a stale book (by local receive time); the same books fresh are published', async () => {
    await feeds.pump('SOL-USDT', DISLOCATION, { durationMs: 400, ageMs: 1500 });
    await sleep(100);
    expect(opps.of('SOL-USDT')).toHaveLength(0);
    expect(await det.metric('detector_rejections_total', { symbol: 'SOL-USDT', reason: 'stale' })).toBeGreaterThan(0);
    await feeds.pump('SOL-USDT', DISLOCATION, { durationMs: 500 });
    await waitFor(() => opps.of('SOL-USDT').length === 1, 5_000, 'the fresh opportunity');
  });

  it('leaves out a venue whose FeedStatus is not live for the symbol; once live, the edge is published', async () => {
    feeds.setState('beta', 'ADA-USDT', 'resyncing');
    feeds.publishStatuses();
    await bus.flush();
    await sleep(100);
    await feeds.pump('ADA-USDT', DISLOCATION, { durationMs: 400 });
    await sleep(100);
    expect(opps.of('ADA-USDT')).toHaveLength(0);
    expect(await det.metric('detector_rejections_total', { symbol: 'ADA-USDT', reason: 'not-live' })).toBeGreaterThan(0);
    feeds.setState('beta', 'ADA-USDT', 'live');
    feeds.publishStatuses();
    await bus.flush();
    await feeds.pump('ADA-USDT', DISLOCATION, { durationMs: 500 });
    await waitFor(() => opps.of('ADA-USDT').length === 1, 5_000, 'the opportunity once live');
  });

  it('does not re-publish an unchanged opportunity; a changed limit or an expired one is published again', async () => {
    await feeds.pump('DOGE-USDT', DISLOCATION, { durationMs: 900 });
    await waitFor(() => opps.of('DOGE-USDT').length === 1, 5_000, 'the first opportunity');
    await feeds.pump('DOGE-USDT', DISLOCATION, { durationMs: 300 });
    expect(opps.of('DOGE-USDT')).toHaveLength(1);
    expect(await det.metric('detector_opportunities_suppressed_total', { symbol: 'DOGE-USDT' })).toBeGreaterThan(5);

    // The second bid level moves up: the sell limit (worst level touched) changes → a new opportunity at once.
    const moved = { ...DISLOCATION, beta: { bids: [['101.00', '1.5'], ['100.85', '1'], ['100.30', '10']], asks: [['101.20', '5']] } } as Record<string, Side>;
    await feeds.pump('DOGE-USDT', moved, { durationMs: 200 });
    await waitFor(() => opps.of('DOGE-USDT').length === 2, 5_000, 'the changed opportunity');
    const changed = opps.of('DOGE-USDT')[1] as Opportunity;
    expect(changed.factors?.marketability.sellTouched).toBe('100.85');
    expect(new Big(changed.sell.limitPrice).lte('100.85')).toBe(true);

    // Unchanged until it expires, then published again.
    const published = Date.now();
    await feeds.pump('DOGE-USDT', moved, { durationMs: WINDOW_MS + 300 });
    await waitFor(() => opps.of('DOGE-USDT').length === 3, 5_000, 'the re-published opportunity after expiry');
    const all = opps.of('DOGE-USDT');
    expect(all).toHaveLength(3);
    const [, second, third] = all as [Opportunity, Opportunity, Opportunity];
    expect(third.detectedTs).toBeGreaterThanOrEqual(second.expiresTs);
    expect(Date.now() - published).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(new Set(all.map((o) => o.id)).size).toBe(3);
  });

  it('mirrors books to Redis write-behind; a Redis outage does not stop detection, and the mirror resumes after', async () => {
    const key = redisKeys.book('alpha', 'XRP-USDT');
    let last = await feeds.pump('XRP-USDT', DISLOCATION, { durationMs: 200 });
    const mirrored = async (k: string, seq: number): Promise<boolean> => {
      const text = await redis.get(k).catch(() => null);
      return text !== null && validators.BookSnapshot.decode(text).seq === seq;
    };
    await waitFor(() => mirrored(key, (last.alpha as BookSnapshot).seq), 5_000, 'the mirrored book');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);

    // Redis hangs (process frozen): flushes stall and time out; detection must not wait for them.
    const pid = servers.redis.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      await feeds.pump('XRP-USDT', DISLOCATION, { durationMs: 300 });
      last = await feeds.pump('LTC-USDT', DISLOCATION, { durationMs: 700 });
      await waitFor(() => opps.of('LTC-USDT').length === 1, 5_000, 'an opportunity while Redis hangs');
      const hung = opps.of('LTC-USDT')[0] as Opportunity;
      expect(hung.detectedTs - Math.max(hung.books.buy.recvTs, hung.books.sell.recvTs)).toBeLessThan(250);
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    // Redis goes down (process killed; testkit's restart() brings it back on the same port, empty).
    process.kill(pid, 'SIGTERM');
    await waitFor(() => servers.redis.pid === undefined, 10_000, 'redis-server to exit');
    const before = opps.seen.length;
    last = await feeds.pump('TRX-USDT', DISLOCATION, { durationMs: 700 });
    await waitFor(() => opps.of('TRX-USDT').length === 1, 5_000, 'an opportunity while Redis is down');
    expect(opps.seen.length).toBe(before + 1);
    const o = opps.of('TRX-USDT')[0] as Opportunity;
    expect(o.detectedTs - Math.max(o.books.buy.recvTs, o.books.sell.recvTs)).toBeLessThan(250);
    expect(await det.metric('detector_books_received_total', { venue: 'alpha', symbol: 'TRX-USDT' })).toBeGreaterThanOrEqual((last.alpha as BookSnapshot).seq);
    expect(await det.metric('detector_mirror_skipped_flushes_total', { reason: 'not-ready' })).toBeGreaterThan(0);

    await servers.redis.restart();
    const trxKey = redisKeys.book('alpha', 'TRX-USDT');
    // Held values are written once Redis is back; keep publishing like a live feed and expect the latest content.
    await waitFor(
      async () => {
        last = await feeds.pump('TRX-USDT', DISLOCATION, { durationMs: 50 });
        return mirrored(trxKey, (last.alpha as BookSnapshot).seq);
      },
      15_000,
      'the mirror to resume after the restart',
    );
    expect(await redis.pttl(trxKey)).toBeGreaterThan(0);
    expect(await mirrored(redisKeys.book('beta', 'TRX-USDT'), (last.beta as BookSnapshot).seq)).toBe(true);
  });

  it('counts and drops invalid messages without dying', async () => {
    bus.nc.publish(subjects.book('alpha', 'BTC-USDT'), '{"v":1,"oops":true}');
    bus.nc.publish(subjects.book('alpha', 'BTC-USDT'), 'not json');
    await bus.flush();
    await waitFor(async () => (await det.metric('bus_invalid_messages_total', { schema: 'BookSnapshot' })) >= 2, 5_000, 'invalid count');
    expect((await fetch(`${det.url}/healthz`)).status).toBe(200);
    const stats = (await (await fetch(`${det.url}/stats`)).json()) as { books: number };
    expect(stats.books).toBeGreaterThanOrEqual(16);
  });
});
