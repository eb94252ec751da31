import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { chromium, type Browser } from 'playwright-core';
import { subjects, type ExecutionReport, type FeedStatus } from '@arb/contracts';
import { provisionJetStream } from '@arb/service-kit';
import { startNats, type NatsHandle } from '@arb/testkit';
import type { SeriesPoint } from '../src/timeseries';
import type { StatsResponse } from '../src/http-routes';
import { leg, opportunity, report } from './fixtures';
import { getJson, journal, js, sleep, startStatsProcess, until, waitReady, type StatsProcess } from './harness';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A spread of trades over the last ~100 s, on two routes and two variants. */
function trades(now: number): ExecutionReport[] {
  const out: ExecutionReport[] = [];
  for (let i = 0; i < 24; i++) {
    const t = now - 100_000 + i * 4_000;
    const fwd = i % 3 !== 0;
    const [buy, sell] = fwd ? ['binance', 'coinbase'] : ['coinbase', 'binance'];
    const status = i % 7 === 3 ? 'hedged' : i % 11 === 5 ? 'rejected' : 'filled';
    const pnl = new Big(i % 4 === 0 ? '-0.85' : '1.37').plus(new Big(i).div(100)).toFixed();
    out.push(
      report({
        id: `page_${i}`,
        symbol: i % 2 === 0 ? 'BTC-USDT' : 'ETH-USDT',
        status,
        variant: i % 5 === 0 ? 'tight' : 'default',
        legs:
          status === 'rejected'
            ? [leg({ role: 'buy', venue: buy, side: 'buy', filledQty: '0', requestedQty: '0.1', status: 'rejected' }), leg({ role: 'sell', venue: sell, side: 'sell', filledQty: '0', requestedQty: '0.1', status: 'rejected' })]
            : [
                leg({ role: 'buy', venue: buy, side: 'buy', filledQty: '0.05', avgPrice: '65000.5', fee: '3.2500250', feeAsset: 'USDT' }),
                leg({ role: 'sell', venue: sell, side: 'sell', filledQty: '0.05', avgPrice: '65080', fee: '0.00005', feeAsset: 'BTC' }),
              ],
        realizedPnlQuote: status === 'rejected' ? '0' : pnl,
        realizedPnlUsd: status === 'rejected' ? '0' : pnl,
        residualBase: status === 'hedged' ? '0.001' : '0',
        residualUsd: status === 'hedged' ? '65.08' : '0',
        timings: { receivedTs: t, ordersSentTs: t + 0.4, acksTs: t + 20, finalTs: t + 30 + (i % 6) * 25 },
      }),
    );
  }
  return out;
}

function feedStatus(venue: string, state: FeedStatus['state']): FeedStatus {
  return {
    v: 1,
    venue,
    state,
    ts: Date.now(),
    symbols: { 'BTC-USDT': { state, bookAgeMs: 4, venueSeq: 7 }, 'ETH-USDT': { state: 'live', bookAgeMs: 9, venueSeq: 8 } },
    counters: { updates: 100, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
  };
}

describe('status page in headless Chromium', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let stats: StatsProcess | undefined;
  let browser: Browser | undefined;
  let keepLive: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup.mjs does it as root)`);
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    await provisionJetStream(nc);
  });

  afterAll(async () => {
    clearInterval(keepLive);
    await browser?.close();
    await stats?.proc.stop();
    await nc?.close();
    await nats?.stop();
  });

  it('renders the numbers of /stats and charts with points', async () => {
    await journal(js(nc), trades(Date.now()));
    stats = await startStatsProcess(nats.url, { ARB__STATS__TIMESERIES__INTERVAL_MS: '2000', ARB__STATS__TIMESERIES__POINTS: '90' });
    await waitReady(stats.url);
    // Live traffic: feed statuses and opportunities spread over a few intervals.
    for (let i = 0; i < 12; i++) {
      nc.publish(subjects.status('binance'), JSON.stringify(feedStatus('binance', 'live')));
      nc.publish(subjects.status('coinbase'), JSON.stringify(feedStatus('coinbase', i < 6 ? 'resyncing' : 'live')));
      for (let k = 0; k <= i % 4; k++) {
        nc.publish(subjects.opportunity('BTC-USDT'), JSON.stringify(opportunity({ id: `opp_page_${i}_${k}`, detectedTs: Date.now() - 1.5 - k })));
      }
      await sleep(400);
    }
    // Both venues stay live while the browser starts (a status older than 5 s would count as stale).
    keepLive = setInterval(() => {
      for (const venue of ['binance', 'coinbase']) nc.publish(subjects.status(venue), JSON.stringify(feedStatus(venue, 'live')));
    }, 500);
    const expected = await until('opportunities', async () => {
      const s = await getJson<StatsResponse>(`${stats!.url}/stats`);
      return s.overall.opportunities === 30 && s.feeds.venuesLive === 2 ? s : undefined;
    });

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1500 } });
    const external: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(stats!.url)) external.push(req.url());
    });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${stats.url}/?refresh=1000`);
    // Polled from here: page.waitForFunction polls inside the page with eval, which the page's CSP (no 'unsafe-eval',
    // rightly) refuses whenever the first render is not there yet at the first check (a loaded host).
    await until('the first render', async () => (Number((await page.locator('body').getAttribute('data-renders')) ?? 0) >= 1 ? true : undefined));

    // Money cards: the exact value of /stats, shown rounded half-up to 2 places.
    const o = expected.overall;
    const moneyCards = ['netProfitUsd', 'grossProfitUsd', 'feesUsd', 'volumeUsd', 'residualUsd', 'avgProfitPerTradeUsd', 'avgProfitPerSuccessfulTradeUsd', 'profitRateBps'] as const;
    for (const k of moneyCards) {
      const el = page.locator(`#m-${k}`);
      expect(await el.getAttribute('data-value')).toBe(o[k]);
      expect((await el.textContent())!.replace(/,/g, '')).toBe(new Big(o[k]!).round(2, Big.roundHalfUp).toFixed(2));
    }
    for (const k of ['opportunities', 'executed', 'successful', 'recovered', 'failed'] as const) {
      expect(await page.locator(`#m-${k}`).textContent()).toBe(String(o[k]));
    }
    expect(await page.locator('#m-successRate').textContent()).toBe(`${((o.successRate ?? 0) * 100).toFixed(1)}%`);
    expect(o.executed).toBe(24);
    expect(o.opportunities).toBe(30);

    // Tables list every scope of /stats.
    const keys = async (table: string): Promise<string[]> => page.locator(`#${table} tr[data-key]`).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
    expect(await keys('t-venues')).toEqual(Object.keys(expected.venues));
    expect(await keys('t-routes')).toEqual(Object.keys(expected.routes));
    expect(await keys('t-symbols')).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(await keys('t-variants')).toEqual(['default', 'tight']);
    expect(await keys('t-feeds')).toEqual(['binance', 'coinbase']);
    expect(await page.locator('#feeds-summary').textContent()).toBe('2/2 venues live, 2/2 pairs, 4/4 venue·symbol feeds');
    expect([await page.locator('#m-pairsLive').textContent(), await page.locator('#m-pairsMonitored').textContent()]).toEqual(['2', '2']);
    // Uptime: no executor consumes opportunities in this test, so trading was never possible.
    expect(await page.locator('#m-uptimePct').textContent()).toBe('0.0%');
    expect(await page.locator('#trading').textContent()).toMatch(/^blocked by executor · 0m 0s of \d+m \d+s$/);

    // Charts: polylines with points; the PnL line ends at the overall net profit.
    const series = await getJson<{ intervalMs: number; points: SeriesPoint[] }>(`${stats.url}/stats/timeseries`);
    expect(series.points).toHaveLength(90);
    for (const chart of ['chart-pnl', 'chart-opps', 'chart-latency']) {
      const count = await page.locator(`#${chart} polyline`).first().evaluate((el) => (el.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length);
      expect(count).toBeGreaterThan(1);
    }
    expect(await page.locator('#chart-pnl').getAttribute('data-last')).toBe(o.netProfitUsd);
    expect(Number(await page.locator('#chart-opps').getAttribute('data-total'))).toBe(30);
    expect(external).toEqual([]);
    expect(consoleErrors).toEqual([]);

    const dir = mkdtempSync(join(tmpdir(), 'stats-page-'));
    const file = join(dir, 'status-page.png');
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`status page screenshot: ${file}\n`);
  });
});
