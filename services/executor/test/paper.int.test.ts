import { resolve } from 'node:path';
import { buckets, configKeys, subjects, validators, type BookSnapshot, type ExecutionReport, type Opportunity } from '@arb/contracts';
import { startNats, startRedis, ServiceProcess, type NatsHandle, type RedisHandle } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { makeOpportunity, publishOpp, sleep, waitForReports, ROOT } from './stack';

const now = (): number => performance.timeOrigin + performance.now();

function book(venue: string, bids: [string, string][], asks: [string, string][], seq: number): BookSnapshot {
  return { v: 1, venue, symbol: 'BTC-USDT', seq, venueSeq: seq, venueTs: null, recvTs: now(), pubTs: now(), bids, asks };
}

describe('paper mode: fills against the live books, risk limits from the journal', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let exec: ServiceProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    exec = await ServiceProcess.start({
      name: 'executor-paper',
      entry: resolve(ROOT, 'services/executor/dist/main.js'),
      cwd: ROOT,
      env: {
        ARB_MODE: 'paper',
        ARB__NATS__URL: nats.url,
        ARB__REDIS__URL: redis.url,
        ARB__HTTP__PORT: '0',
        ARB__SYMBOLS: '[BTC-USDT]',
        ARB__EXECUTOR__PAPER__LATENCY_MS: '4',
        ARB__EXECUTOR__RISK__MAX_NOTIONAL_PER_TRADE: '1000',
        ARB__EXECUTOR__RISK__DAILY_LOSS_LIMIT_USD: '0.5',
      },
      readyLine: /"msg":"executor started"/,
      readyTimeoutMs: 30_000,
    });
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    // The feed: both venues' books, re-published every 100 ms (fresh receive times).
    const publish = (): void => {
      seq++;
      nc.publish(subjects.book('binance', 'BTC-USDT'), JSON.stringify(validators.BookSnapshot.assert(book('binance', [['99', '1']], [['100', '1']], seq))));
      nc.publish(subjects.book('coinbase', 'BTC-USDT'), JSON.stringify(validators.BookSnapshot.assert(book('coinbase', [['102', '1']], [['103', '1']], seq))));
    };
    publish();
    timer = setInterval(publish, 100);
    await sleep(300);
  });

  afterAll(async () => {
    if (timer !== undefined) clearInterval(timer);
    await nc?.close();
    await exec?.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  const run = async (opp: Opportunity): Promise<ExecutionReport> => {
    await publishOpp(js, opp);
    const all = await waitForReports(nc, (rs) => rs.some((r) => r.oppId === opp.id));
    return all.find((r) => r.oppId === opp.id) as ExecutionReport;
  };
  const opp = (buyVenue: string, sellVenue: string, size: string, buyLimit: string, sellLimit: string): Opportunity =>
    makeOpportunity({ symbol: 'BTC-USDT', buyVenue, sellVenue, size, buyLimit, sellLimit, ttlMs: 10_000 });

  it('fills both legs against the books with the configured fees (exact PnL)', async () => {
    const r = await run(opp('binance', 'coinbase', '0.1', '100', '102'));
    expect(r.status).toBe('filled');
    expect(r.legs.map((l) => [l.venue, l.filledQty, l.avgPrice, l.fee, l.feeAsset])).toEqual([
      ['binance', '0.1', '100', '0.01', 'USDT'],
      ['coinbase', '0.1', '102', '0.0612', 'USDT'],
    ]);
    // -10 - 0.01 + 10.2 - 0.0612
    expect(r.realizedPnlQuote).toBe('0.1288');
    expect(r.residualBase).toBe('0');
  });

  it('skips a trade above maxNotionalPerTrade', async () => {
    const r = await run(opp('binance', 'coinbase', '20', '100', '102'));
    expect(r).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^risk-notional: notional 2040.00 USD/), legs: [] });
  });

  it('a realized loss beyond dailyLossLimitUsd trips the kill switch for everyone', async () => {
    const losing = await run(opp('coinbase', 'binance', '0.5', '103', '99'));
    expect(losing.status).toBe('filled');
    // -51.5 - 0.309 + 49.5 - 0.0495
    expect(losing.realizedPnlQuote).toBe('-2.3585');
    const kv = await new Kvm(nc).open(buckets.config);
    let tripped = null as null | { killSwitch: boolean; killReason?: string };
    for (let i = 0; i < 50 && tripped?.killSwitch !== true; i++) {
      const e = await kv.get(configKeys.runtime);
      tripped = e === null ? null : validators.RuntimeConfig.decode(e.value);
      await sleep(100);
    }
    expect(tripped?.killSwitch).toBe(true);
    expect(tripped?.killReason).toMatch(/daily loss limit/);
    const after = await run(opp('binance', 'coinbase', '0.1', '100', '102'));
    expect(after).toMatchObject({ status: 'skipped', legs: [] });
    expect(after.reason).toMatch(/^kill-switch: daily loss limit/);
  });
});
