import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjects, validators } from '@arb/contracts';
import { expandQuery, parseLabelValues, readDashboards, type Dashboard } from './observability-dashboards';
import { PrometheusServer, sleep } from './observability-prometheus';
import { ObservedStack, renderLocalConfig } from './observability-stack';

/**
 * The whole stack of scripts/stack.mjs (real processes, sim mode) scraped by a real Prometheus every second with the
 * config rendered from deploy/prometheus/scrape-config.mjs. The run goes through what the dashboards show: feed
 * faults (gaps, resyncs, reconnects, rejected frames), bad bus input, dislocations that the executors trade, and the
 * kill switch. Then every query of every provisioned dashboard is run the way Grafana runs it over the run's time
 * range, and each must return data.
 */
const SCRAPE_S = 1;
const STEP_S = 2;
const BOOKS = 4; // 2 venues x 2 symbols (config symbols)

describe('Prometheus + Grafana dashboards against the running stack', () => {
  let stack: ObservedStack;
  let prom: PrometheusServer;
  let dir: string;
  let start = 0;
  let end = 0;
  const dashboards: Dashboard[] = readDashboards();

  /** Where the flow stopped: the pipeline's counters and the services' last output lines. */
  const diagnose = async (): Promise<string> => {
    const exprs = [
      'sum by (symbol, buy, sell) (detector_opportunities_total)',
      'sum by (reason) (detector_rejections_total)',
      'sum(executor_opportunities_received_total)',
      'sum by (reason) (executor_opportunities_skipped_total)',
      'sum by (status) (executor_trades_total)',
      'sum by (venue) (sim_trading_orders_total)',
    ];
    const lines: string[] = [];
    for (const e of exprs) {
      const r = await prom.instant(e).catch((error: Error) => error.message);
      lines.push(`${e} = ${typeof r === 'string' ? r : JSON.stringify(r.map((x) => [x.metric, x.values[0]?.[1]]))}`);
    }
    for (const p of stack.procs) lines.push(...p.lines().slice(-5));
    return lines.join('\n');
  };

  /** Sum of an instant query (0 when it has no series yet). */
  const total = async (expr: string): Promise<number> => (await prom.instant(expr)).reduce((acc, x) => acc + Number(x.values[0]?.[1] ?? 0), 0);

  /**
   * Sim dislocations of BTC-USDT (one venue jumps 15 bps, the other follows after durationMs), alternating venues,
   * until `done()` holds. Small jumps on purpose: each one raises the detector's volatility estimate (which lowers
   * confidence); with the default detector config ETH-USDT, more volatile in the sim, rarely passes minConfidence.
   */
  const dislocateUntil = async (what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
    const rotation = [
      { symbol: 'BTC-USDT', venue: 'binance' },
      { symbol: 'BTC-USDT', venue: 'coinbase' },
    ];
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      await stack.simControl('/control/dislocate', { ...rotation[i % rotation.length], bps: 15, durationMs: 2000 });
      for (let t = 0; t < 8; t++) {
        await sleep(500);
        if (await done()) return;
      }
      if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms of dislocations:\n${await diagnose()}`);
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-observability-'));
    // Random sim jumps off: the dislocations below are the arbitrage windows.
    stack = await ObservedStack.start({ ARB__SIM__JUMPS__PER_MINUTE: '0' });
    const config = join(dir, 'prometheus.yml');
    renderLocalConfig(stack.ports, `${SCRAPE_S}s`, config);
    prom = await PrometheusServer.start(config);
    start = Date.now() / 1000;

    await prom.waitFor('count(up == 1) == bool count(up)', (v) => v === 1, 'every target up', 30_000);
    await prom.waitFor('sum(feed_book_live)', (v) => v === BOOKS, 'all books live', 30_000);
    await sleep(3_000); // the detector's volatility estimators warm up

    // Bad input on the bus: not JSON (counted as invalid), and a valid book of a venue without a market config
    // (dropped by the detector as unknown-market).
    await stack.publishRaw(subjects.book('binance', 'BTC-USDT'), '{"not":"a book"');
    const now = performance.timeOrigin + performance.now();
    const stray = validators.BookSnapshot.assert({
      v: 1,
      venue: 'nowhere',
      symbol: 'BTC-USDT',
      seq: 1,
      venueSeq: 1,
      venueTs: null,
      recvTs: now,
      pubTs: now,
      bids: [['100', '1']],
      asks: [['101', '1']],
    });
    await stack.publishRaw(subjects.book('nowhere', 'BTC-USDT'), JSON.stringify(stray));

    // Trades with fills on both venues (trades by status, fees, PnL, leg latency, semaphore).
    await dislocateUntil(
      'two trades with fills',
      async () => (await total('sum(executor_trades_total)')) >= 2 && (await total('sum(executor_fees_total)')) > 0,
      120_000,
    );

    // Kill switch through the operator CLI: the executors report it and skip what still comes.
    stack.arbConfig(['kill', 'on', '--reason', 'observability test']);
    await prom.waitFor('max(executor_kill_switch)', (v) => v === 1, 'kill switch seen by the executors', 15_000);
    // Nothing trades now, so an edge stays unchanged while it lasts: the detector suppresses its re-publication.
    await dislocateUntil(
      'an opportunity skipped under the kill switch, and a suppressed re-publication',
      async () =>
        (await total('sum(executor_opportunities_skipped_total{reason="kill-switch"})')) > 0 && (await total('sum(detector_opportunities_suppressed_total)')) > 0,
      60_000,
    );

    // Feed incidents: dropped and corrupt frames (gaps, rejected frames, resyncs), forced disconnects (reconnects).
    await stack.simControl('/control/faults', { venue: 'binance', faults: { dropRate: 0.05, corruptRate: 0.02 } });
    await stack.simControl('/control/faults', { venue: 'coinbase', faults: { dropRate: 0.05, disconnectEveryS: 2 } });
    await sleep(5_000);
    for (const venue of ['binance', 'coinbase']) await stack.simControl('/control/faults', { venue, reset: true });
    await prom.waitFor('sum(feed_book_live)', (v) => v === BOOKS, 'books live again after the faults', 30_000);

    await sleep(4 * SCRAPE_S * 1000); // a few scrapes after the last change
    end = Date.now() / 1000;
  }, 360_000);

  afterAll(async () => {
    await prom?.stop();
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('scrapes every service of the stack', async () => {
    const targets = await prom.targets();
    const expected = Object.values(stack.ports).flat().length;
    expect(targets.filter((t) => t.health !== 'up')).toEqual([]);
    expect(targets).toHaveLength(expected);
    expect(new Set(targets.map((t) => t.job))).toEqual(new Set(['exchange-sim', 'feed-ingestor', 'detector', 'executor', 'stats']));
  });

  it('every dashboard variable lists values', async () => {
    const empty: string[] = [];
    for (const d of dashboards) {
      for (const v of d.variables) {
        const { metric, label } = parseLabelValues(v.query);
        const values = await prom.labelValues(label, metric, start, end);
        if (values.length === 0) empty.push(`${d.title} $${v.name}: ${v.query}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it('every query of every dashboard panel returns data over the run', async () => {
    const range = `${Math.ceil(end - start)}s`;
    // Grafana: $__rate_interval = max($__interval + scrape interval, 4 x scrape interval); $__interval ~ the step.
    const builtins = { rateInterval: `${Math.max(STEP_S + SCRAPE_S, 4 * SCRAPE_S)}s`, interval: `${STEP_S}s`, range };
    const failures: string[] = [];
    let checked = 0;
    for (const d of dashboards) {
      for (const t of d.targets) {
        const expr = expandQuery(t.expr, d.variables, builtins);
        try {
          const result = t.instant ? await prom.instant(expr, end) : await prom.range(expr, start, end, STEP_S);
          if (result.length === 0 || result.every((s) => s.values.length === 0)) failures.push(`${d.title} / ${t.panel} / ${t.refId}: no data for ${expr}`);
        } catch (error) {
          failures.push(`${d.title} / ${t.panel} / ${t.refId}: ${(error as Error).message}`);
        }
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('trades happened and the dashboards show them (not just zeros)', async () => {
    const trades = await prom.instant('sum(increase(executor_trades_total[10m]))', end);
    expect(Number(trades[0]?.values[0]?.[1])).toBeGreaterThan(0);
    const legs = await prom.instant('sum by (venue) (executor_leg_ack_latency_ms_count)', end);
    expect(new Set(legs.map((s) => s.metric.venue))).toEqual(new Set(['binance', 'coinbase']));
    const incidents = await prom.instant('sum by (kind) (feed_venue_events_total)', end);
    expect(incidents.map((s) => s.metric.kind)).toEqual(expect.arrayContaining(['gaps', 'resyncs', 'reconnects']));
    const journal = await prom.instant('max(stats_reports{scope="overall"})', end);
    expect(Number(journal[0]?.values[0]?.[1])).toBeGreaterThan(0);
  });
});
