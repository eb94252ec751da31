import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import { consumers, streams, subjects, type FeedStatus } from '@arb/contracts';
import { provisionJetStream, RuntimeConfigStore } from '@arb/service-kit';
import { startNats, type NatsHandle } from '@arb/testkit';
import type { StatsResponse } from '../src/http-routes';
import { getJson, startStatsProcess, until, waitReady, type StatsProcess } from './harness';

const status = (venue: string): FeedStatus => ({
  v: 1,
  venue,
  state: 'live',
  ts: Date.now(),
  symbols: { 'BTC-USDT': { state: 'live', bookAgeMs: 3, venueSeq: 1 }, 'ETH-USDT': { state: 'live', bookAgeMs: 4, venueSeq: 1 } },
  counters: { updates: 1, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
});

/** An executor stand-in: its own connection pulling from the shared ARB_OPPS consumer, as the executor does. */
async function startPuller(url: string): Promise<{ stop(): Promise<void> }> {
  const nc = await connect({ servers: url });
  const messages: ConsumerMessages = await (await jetstream(nc).consumers.get(streams.opportunities.name, consumers.executor())).consume({ max_messages: 5 });
  const loop = (async () => {
    for await (const m of messages) m.ack();
  })();
  return {
    async stop() {
      await messages.close();
      await loop;
      await nc.close();
    },
  };
}

describe('stats: trading availability (uptime %) from feeds, the executors\' consumer and the kill switch', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let stats: StatsProcess | undefined;
  let feeds: NodeJS.Timeout | undefined;
  let puller: { stop(): Promise<void> } | undefined;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await provisionJetStream(nc);
  });

  afterAll(async () => {
    clearInterval(feeds);
    await puller?.stop();
    await stats?.proc.stop();
    await nc?.close();
    await nats?.stop();
  });

  const read = (): Promise<StatsResponse> => getJson<StatsResponse>(`${stats!.url}/stats`);
  const metrics = async (): Promise<string> => (await fetch(`${stats!.url}/metrics`)).text();

  it('counts no time as possible while no executor consumes opportunities', async () => {
    stats = await startStatsProcess(nats.url);
    await waitReady(stats.url);
    const publish = (): void => {
      for (const venue of ['binance', 'coinbase']) nc.publish(subjects.status(venue), JSON.stringify(status(venue)));
    };
    publish();
    feeds = setInterval(publish, 500);
    const s = await until('feeds live', async () => {
      const x = await read();
      return x.feeds.allLive && x.availability.sinceTs !== null && x.availability.observedMs > 0 ? x : undefined;
    });
    expect(s.feeds).toMatchObject({ pairsMonitored: 2, pairsLive: 2, venueSymbolsMonitored: 4, venueSymbolsLive: 4 });
    expect(s.availability).toMatchObject({ tradingPossible: false, blockedBy: ['executor'], tradingMs: 0, killSwitch: false });
    // observation starts after the default 2 s warm-up
    expect(s.availability.sinceTs! - s.startedTs).toBeGreaterThan(1900); // timers may fire a fraction of a ms early
    expect(s.availability.uptimePct).toBe(0);
    expect(s.availability.executor).toMatchObject({ ready: false, error: 'no executor consumer on ARB_OPPS' });
    expect(await metrics()).toMatch(/^stats_trading_possible\{service="stats"\} 0$/m);
  });

  it('is possible while an executor pulls, and the uptime share grows', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(streams.opportunities.name, { durable_name: consumers.executor(), ack_policy: AckPolicy.Explicit });
    puller = await startPuller(nats.url);
    const first = await until('trading possible', async () => {
      const x = await read();
      return x.availability.tradingPossible ? x : undefined;
    });
    expect(first.availability.executor).toMatchObject({ ready: true, error: null });
    expect(first.availability.executor!.waiting).toBeGreaterThanOrEqual(1);
    const later = await until('uptime grows', async () => {
      const x = await read();
      return x.availability.tradingMs >= first.availability.tradingMs + 1500 ? x : undefined;
    });
    const a = later.availability;
    expect(a.uptimePct).toBeGreaterThan(0);
    expect(a.uptimePct).toBeLessThan(100); // the first seconds had no executor
    expect(a.uptimePct).toBeCloseTo((a.tradingMs / a.observedMs) * 100, 6);
    expect(a.observedMs).toBeLessThanOrEqual(later.uptimeMs + 1);
    const text = await metrics();
    expect(text).toMatch(/^stats_trading_possible\{service="stats"\} 1$/m);
    expect(text).toMatch(/^stats_trading_uptime_ratio\{service="stats"\} 0\.\d+$/m);
    const blocked = /^stats_trading_blocked_seconds\{condition="executor",service="stats"\} (\S+)$/m.exec(text)?.[1];
    expect(Number(blocked)).toBeGreaterThan(0);
    expect(Number(blocked)).toBeCloseTo(a.blockedMs.executor / 1000, 0);
    expect(text).toMatch(/^stats_feeds\{kind="pairs",state="live",service="stats"\} 2$/m);
    expect(text).toMatch(/^stats_feeds\{kind="venue_symbols",state="monitored",service="stats"\} 4$/m);
  });

  it('the kill switch blocks trading, and lifting it allows it again', async () => {
    const store = await RuntimeConfigStore.open(nc);
    await store.update((cur) => ({ ...cur, killSwitch: true, killReason: 'test' }), { updatedBy: 'availability-test' });
    const killed = await until('kill switch seen', async () => {
      const x = await read();
      return x.availability.killSwitch === true ? x : undefined;
    });
    expect(killed.availability).toMatchObject({ tradingPossible: false, blockedBy: ['killSwitch'] });
    await store.update((cur) => ({ ...cur, killSwitch: false }), { updatedBy: 'availability-test' });
    await until('kill switch lifted', async () => ((await read()).availability.tradingPossible ? true : undefined));
  });

  it('an executor that goes away (its connection closes) blocks trading again', async () => {
    await puller!.stop();
    puller = undefined;
    const s = await until('executor gone', async () => {
      const x = await read();
      return x.availability.blockedBy.includes('executor') ? x : undefined;
    });
    expect(s.availability.executor).toMatchObject({ ready: false, waiting: 0 });
  });

  it('silent feeds block trading', async () => {
    clearInterval(feeds);
    feeds = undefined;
    // Each venue's last status times out on its own: trading is blocked once the first is stale, both soon after.
    const s = await until('feeds stale', async () => {
      const x = await read();
      return x.availability.blockedBy.includes('feeds') && x.feeds.venuesLive === 0 ? x : undefined;
    });
    expect(s.feeds.allLive).toBe(false);
    expect(s.feeds.venuesLive).toBe(0);
  });
});
