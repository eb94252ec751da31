import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { subjects, type FeedStatus } from '@arb/contracts';
import { provisionJetStream } from '@arb/service-kit';
import { startNats, type NatsHandle } from '@arb/testkit';
import type { StatsResponse } from '../src/http-routes';
import { leg, opportunity, report, REPORT_A, REPORT_B, REPORT_C, REPORT_E } from './fixtures';
import { getJson, journal, js, startStatsProcess, until, waitReady, type StatsProcess } from './harness';

/** The parts of /stats that must survive a restart (time-dependent and since-start fields left out). */
function durable(s: StatsResponse): unknown {
  const strip = (scopes: Record<string, unknown>): unknown =>
    Object.fromEntries(Object.entries(scopes).map(([k, v]) => [k, { ...(v as object), profitPerHourUsd: null, opportunities: null }]));
  return {
    journal: s.journal,
    overall: strip({ o: s.overall }),
    venues: strip(s.venues),
    routes: strip(s.routes),
    symbols: strip(s.symbols),
    variants: strip(s.variants),
  };
}

describe('stats service (real process, real NATS)', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let jsc: JetStreamClient;
  let stats: StatsProcess | undefined;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await provisionJetStream(nc);
    jsc = js(nc);
  });

  afterAll(async () => {
    await stats?.proc.stop();
    await nc?.close();
    await nats?.stop();
  });

  let first: StatsResponse;

  it('rebuilds the totals from the journal at start, skipping invalid messages and duplicate reports', async () => {
    await journal(jsc, [REPORT_A, REPORT_B]);
    await jsc.publish(subjects.execution('BTC-USDT'), 'not json at all', { msgID: 'junk-1' });
    await jsc.publish(subjects.execution('BTC-USDT'), JSON.stringify({ ...REPORT_A, id: 'exec_bad', realizedPnlUsd: 12.5 }), { msgID: 'junk-2' });
    await journal(jsc, [REPORT_C, REPORT_E]);
    await journal(jsc, [REPORT_A], '-again'); // stored again by the stream (other msg id), counted once
    stats = await startStatsProcess(nats.url);
    await waitReady(stats.url);
    first = await getJson<StatsResponse>(`${stats.url}/stats`);
    expect(first.journal).toMatchObject({ accepted: 4, duplicates: 1, invalid: 2, lastSeq: 7, targetSeq: 7, caughtUp: true });
    const o = first.overall;
    expect([o.reports, o.executed, o.successful, o.recovered, o.notExecuted]).toEqual([4, 3, 2, 1, 1]);
    expect(o.volumeUsd).toBe('85560.005');
    expect(o.netProfitUsd).toBe('-40.585');
    expect(o.feesUsd).toBe('100.543005');
    expect(o.grossProfitUsd).toBe('59.958005');
    expect(o.residualUsd).toBe('-32.55');
    expect(o.avgProfitPerSuccessfulTradeUsd).toBe('2.2075');
    expect(o.profitRateBps).toBe('-4.74345461');
    expect(first.venues.binance!.volumeUsd).toBe('42747.005');
    expect(first.routes['ETH-USDT:coinbase>binance']!.grossProfitUsd).toBe('-3');
    expect(first.symbols['BTC-USDT']!.residualBase).toBe('-0.0005');
    expect(stats.proc.lines().some((l) => l.includes('invalid ExecutionReport in the journal'))).toBe(true);
  });

  it('serves the statistics as Prometheus metrics', async () => {
    const text = await (await fetch(`${stats!.url}/metrics`)).text();
    expect(text).toMatch(/^stats_net_profit_usd\{scope="overall",service="stats"\} -40\.585$/m);
    expect(text).toMatch(/^stats_volume_usd\{scope="venue",venue="binance",service="stats"\} 42747\.005$/m);
    expect(text).toMatch(/^stats_profit_rate_bps\{scope="overall",service="stats"\} -4\.74345461$/m);
    expect(text).toMatch(/^stats_avg_profit_per_successful_trade_usd\{scope="overall",service="stats"\} 2\.2075$/m);
    expect(text).toMatch(/^stats_uptime_seconds\{service="stats"\} \d/m);
    expect(text).toMatch(/^stats_trades\{scope="route",route="BTC-USDT:binance>coinbase",outcome="success",service="stats"\} 1$/m);
    expect(text).toMatch(/^stats_residual_base\{scope="symbol",symbol="BTC-USDT",service="stats"\} -0\.0005$/m);
    expect(text).toMatch(/^stats_journal_messages_total\{result="invalid",service="stats"\} 2$/m);
    expect(text).toMatch(/^stats_journal_caught_up\{service="stats"\} 1$/m);
  });

  it('counts opportunities (since start) and feed statuses from core subscriptions', async () => {
    nc.publish(subjects.opportunity('BTC-USDT'), JSON.stringify(opportunity({ id: 'opp_live_0001' })));
    nc.publish(subjects.opportunity('BTC-USDT'), JSON.stringify(opportunity({ id: 'opp_live_0002', detectedTs: 1 })));
    nc.publish(subjects.opportunity('BTC-USDT'), '{"v":1,"broken":true}');
    const status: FeedStatus = {
      v: 1,
      venue: 'binance',
      state: 'live',
      ts: Date.now(),
      symbols: { 'BTC-USDT': { state: 'live', bookAgeMs: 3, venueSeq: 10 }, 'ETH-USDT': { state: 'syncing', bookAgeMs: null, venueSeq: null } },
      counters: { updates: 1, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
    };
    nc.publish(subjects.status('binance'), JSON.stringify(status));
    const s = await until('opportunities', async () => {
      const x = await getJson<StatsResponse>(`${stats!.url}/stats`);
      return x.overall.opportunities === 2 && x.feeds.venuesMonitored === 1 ? x : undefined;
    });
    expect(s.routes['BTC-USDT:binance>coinbase']!.opportunities).toBe(2);
    expect(s.venues.coinbase!.opportunities).toBe(2);
    // one venue: two venue/symbol feeds, but no arbitrage pair (a symbol needs two venues)
    expect(s.feeds).toMatchObject({ venuesMonitored: 1, venuesLive: 1, venueSymbolsMonitored: 2, venueSymbolsLive: 1, pairsMonitored: 0, pairsLive: 0 });
    const metrics = await (await fetch(`${stats!.url}/metrics`)).text();
    expect(metrics).toMatch(/^bus_invalid_messages_total\{schema="Opportunity",service="stats"\} 1$/m);
    expect(metrics).toMatch(/^stats_opportunities_total\{scope="overall",service="stats"\} 2$/m);
    expect(metrics).toMatch(/^stats_feeds\{kind="venue_symbols",state="live",service="stats"\} 1$/m);
    expect(metrics).toMatch(/^stats_feeds\{kind="pairs",state="monitored",service="stats"\} 0$/m);
    expect(metrics).toMatch(/^stats_feed_live\{venue="binance",symbol="ETH-USDT",service="stats"\} 0$/m);
  });

  it('after SIGKILL and a restart the totals are the same', async () => {
    expect((await stats!.proc.kill()).signal).toBe('SIGKILL');
    stats = await startStatsProcess(nats.url);
    await waitReady(stats.url);
    const again = await getJson<StatsResponse>(`${stats.url}/stats`);
    expect(durable(again)).toEqual(durable(first));
    expect(again.overall.opportunities).toBe(0); // not durable: counted since start
  });

  it('reports journaled after the restart are added', async () => {
    const now = Date.now();
    const more = [
      report({
        id: 'exec_after_1',
        legs: [
          leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '0.1', avgPrice: '64000', fee: '6.4', feeAsset: 'USDT' }),
          leg({ role: 'sell', venue: 'coinbase', side: 'sell', filledQty: '0.1', avgPrice: '64100.5', fee: '6.41005', feeAsset: 'USDT' }),
        ],
        realizedPnlQuote: '-2.76005',
        realizedPnlUsd: '-2.76005',
        timings: { receivedTs: now, ordersSentTs: now + 0.3, acksTs: now + 20, finalTs: now + 50 },
      }),
      report({ id: 'exec_after_2', status: 'expired', timings: { receivedTs: now, ordersSentTs: null, acksTs: null, finalTs: now + 1 } }),
      // A leg whose venue client rounded the average (3685.7925378942 / 1.053 to 20 places): the exact filledQuote
      // is what counts (filledQty × avgPrice would add 3685.79253789419999999999508).
      report({
        id: 'exec_after_3',
        symbol: 'ETH-USDT',
        status: 'filled',
        legs: [
          leg({ role: 'buy', venue: 'binance', side: 'buy', filledQty: '1.053', avgPrice: '3494', filledQuote: '3679.182' }),
          leg({ role: 'sell', venue: 'coinbase', side: 'sell', filledQty: '1.053', avgPrice: '3500.27781376467236467236', filledQuote: '3685.7925378942' }),
        ],
        realizedPnlQuote: '6.6105378942',
        realizedPnlUsd: '6.6105378942',
        timings: { receivedTs: now, ordersSentTs: now + 0.3, acksTs: now + 20, finalTs: now + 40 },
      }),
    ];
    await journal(jsc, more);
    await journal(jsc, [more[0]!], '-dup');
    const s = await until('new reports', async () => {
      const x = await getJson<StatsResponse>(`${stats!.url}/stats`);
      return x.journal.lastSeq === 11 ? x : undefined;
    });
    expect(s.journal).toMatchObject({ accepted: 7, duplicates: 2, invalid: 2 });
    expect([s.overall.reports, s.overall.executed, s.overall.successful, s.overall.notExecuted]).toEqual([7, 5, 4, 2]);
    expect(s.overall.volumeUsd).toBe('105735.0295378942'); // 85560.005 + 6400 + 6410.05 + 3679.182 + 3685.7925378942
    expect(s.venues.coinbase!.volumeUsd).toBe('52908.8425378942'); // 42813 + 6410.05 + 3685.7925378942
    expect(s.overall.netProfitUsd).toBe('-36.7345121058');
    expect(s.overall.feesUsd).toBe('113.353055');
    expect(s.routes['BTC-USDT:binance>coinbase']!.executed).toBe(2);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    expect(await stats!.proc.stop()).toEqual({ code: 0, signal: null });
    stats = undefined;
  });
});

describe('stats readiness', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let stats: StatsProcess | undefined;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await provisionJetStream(nc);
  });

  afterAll(async () => {
    await stats?.proc.stop();
    await nc?.close();
    await nats?.stop();
  });

  it('is ready only once the replay reached the end of the journal seen at start', async () => {
    const jsc = js(nc);
    const N = 3000;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      const r = report({ id: `bulk_${i}`, realizedPnlQuote: '0.01', realizedPnlUsd: '0.01' });
      pending.push(jsc.publish(subjects.execution(r.symbol), JSON.stringify(r), { msgID: r.id }));
    }
    await Promise.all(pending);
    stats = await startStatsProcess(nats.url);
    await waitReady(stats.url);
    const s = await getJson<StatsResponse>(`${stats.url}/stats`);
    expect(s.journal).toMatchObject({ accepted: N, lastSeq: N, targetSeq: N, caughtUp: true });
    expect(s.overall.netProfitUsd).toBe('30');
  });
});
