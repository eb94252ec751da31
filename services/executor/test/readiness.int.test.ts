import { loadConfig } from '@arb/service-kit';
import { startBuiltService, startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ExecutorConfig } from '../src/config';
import { tradeKey } from '../src/ids';
import { BookFeed, crossingOpp, executorEnv, httpUrlOf, publishOpp, ROOT, simOrders, sleep, startExecutor, startSim, tradingReady, waitForReports, type SimProcess } from './stack';

const SIM = loadConfig(ExecutorConfig, { env: { ARB_MODE: 'sim' }, dir: `${ROOT}/config` }).credentials;

/**
 * Readiness and endpoints of the executor process: it reports ready and consumes only once every venue accepted its
 * credentials (an authenticated read), and in live mode it trades on the configured venue URLs.
 */
describe('executor credentials and endpoints', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;
  const procs: ServiceProcess[] = [];

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim();
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim);
  });

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    await Promise.all(procs.map((p) => p.stop()));
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  it('with a wrong Binance secret it is not ready, consumes nothing, says why without the secret; a good one trades', async () => {
    const wrong = 'x'.repeat(64);
    const bad = await startBuiltService({
      name: 'executor-bad-credentials',
      entry: 'services/executor/dist/main.js',
      env: executorEnv(nats.url, redis.url, sim, { ARB__CREDENTIALS__BINANCE__SECRET_KEY: wrong }),
      readyLine: /"msg":"executor not ready: venue credentials not verified/,
      readyTimeoutMs: 30_000,
    });
    procs.push(bad);
    expect(bad.lines().some((l) => /"venue":"binance".*credential check failed: binance refused our API credentials/.test(l))).toBe(true);
    expect((await fetch(`${httpUrlOf(bad)}/readyz`)).status).toBe(503);
    const opp = await crossingOpp(sim, { size: '0.002', marginBps: 20 });
    await publishOpp(js, opp);
    await sleep(2_500);
    expect(await simOrders(sim, tradeKey(opp.id))).toEqual([]);
    expect((await waitForReports(nc, () => true)).filter((r) => r.oppId === opp.id)).toEqual([]);
    // Re-checked in the background, still refused, still not ready.
    expect((await fetch(`${httpUrlOf(bad)}/readyz`)).status).toBe(503);
    const logs = bad.lines().join('\n');
    expect(logs.includes(wrong)).toBe(false);
    expect(logs.includes(SIM.binance?.secretKey ?? '?')).toBe(false);
    await bad.stop();

    // The same message, taken by an executor whose credentials work: too old by now (refused, journaled), and fresh
    // ones trade.
    const good = await startExecutor(nats.url, redis.url, sim, {}, 'executor-good');
    procs.push(good);
    expect((await fetch(`${httpUrlOf(good)}/readyz`)).status).toBe(200);
    const stale = (await waitForReports(nc, (rs) => rs.some((r) => r.oppId === opp.id))).find((r) => r.oppId === opp.id);
    expect(stale?.status).toBe('expired');
    await tradingReady(good);
    const fresh = await crossingOpp(sim, { size: '0.002', marginBps: 20 });
    await publishOpp(js, fresh);
    const r = (await waitForReports(nc, (rs) => rs.some((x) => x.oppId === fresh.id))).find((x) => x.oppId === fresh.id);
    expect(r?.legs.length).toBe(2);
    await good.stop();
  }, 90_000);

  it('live mode trades on the configured venues.<v> URLs (here: exchange-sim), credentials from the environment', async () => {
    const live = await startExecutor(
      nats.url,
      redis.url,
      sim,
      {
        ARB_MODE: 'live',
        ARB__VENUES__BINANCE__TRADING_WS_URL: '',
        ARB__VENUES__COINBASE__TRADING_WS_URL: '',
        BINANCE_API_KEY: SIM.binance?.apiKey ?? '',
        BINANCE_API_SECRET: SIM.binance?.secretKey ?? '',
        COINBASE_API_KEY_NAME: SIM.coinbase?.keyName ?? '',
        COINBASE_API_PRIVATE_KEY: SIM.coinbase?.privateKey ?? '',
      },
      'executor-live',
    );
    procs.push(live);
    await tradingReady(live);
    const opp = await crossingOpp(sim, { size: '0.002', marginBps: 20 });
    await publishOpp(js, opp);
    const r = (await waitForReports(nc, (rs) => rs.some((x) => x.oppId === opp.id))).find((x) => x.oppId === opp.id);
    expect(r?.legs.map((l) => [l.venue, l.status])).toEqual([
      ['binance', 'filled'],
      ['coinbase', 'filled'],
    ]);
    expect((await simOrders(sim, tradeKey(opp.id))).length).toBe(2);
    expect(live.lines().some((l) => l.includes('"mode":"live"'))).toBe(true);
    await live.stop();
  }, 60_000);

  it('live mode refuses to start with REST moved off production but the trading WebSocket still on it', async () => {
    await expect(
      startExecutor(nats.url, redis.url, sim, {
        ARB_MODE: 'live',
        BINANCE_API_KEY: 'k', BINANCE_API_SECRET: 's', COINBASE_API_KEY_NAME: 'n', COINBASE_API_PRIVATE_KEY: SIM.coinbase?.privateKey ?? '',
      }, 'executor-live-mixed'),
    ).rejects.toThrow(/EndpointConfigError|trading WebSocket is still/);
  }, 60_000);
});
