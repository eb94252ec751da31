import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';
import { FINAL_SUMMARY_FORMAT, formatProblems, readmeSample } from './final-summary-format';
import { root } from './stack-process';

// scripts/lib/summary.mjs is an ES module (Jest here runs CommonJS): a small driver runs it in a real Node process
// against fake output streams and a fake message stream, and prints what it saw as JSON.
const DRIVER = `
import { SummaryState, SummaryDisplay, chooseSummaryMode, renderFinal, renderFrame, compareWithJournal } from ${JSON.stringify(pathToFileURL(join(root, 'scripts/lib/summary.mjs')).href)};
import { workspace } from ${JSON.stringify(pathToFileURL(join(root, 'scripts/lib/workspace.mjs')).href)};
const { Big, contracts } = workspace();
const statusOrder = [...contracts.EXECUTION_STATUSES];

class FakeOut {
  constructor(isTTY) { this.isTTY = isTTY; this.columns = 100; this.rows = 40; this.text = ''; }
  write(s) { this.text += s; return true; }
}
let t = 1_000_000;
const now = () => t;
const state = new SummaryState({ Big, now });
const status = (venue, state, updates) => JSON.stringify({ v: 1, venue, state, ts: t, symbols: { 'BTC-USDT': { state, bookAgeMs: 12, venueSeq: 1 } },
  counters: { updates, gaps: 0, checksumFailures: 0, resyncs: 1, reconnects: 0, rejected: 0 } });
state.onStatus(new TextEncoder().encode(status('binance', 'live', 1000)));
state.onStatus(status('coinbase', 'syncing', 50));
t += 2000;
state.onStatus(status('binance', 'live', 3000));
state.onStatus(status('coinbase', 'live', 450));
state.onStatus('{not json');
state.onStatus(JSON.stringify({ venue: 'x' }));
const leg = (venue) => ({ venue, limitPrice: '65000', vwap: '65000', size: '0.1' });
state.onOpportunity(JSON.stringify({ v: 1, id: 'opp-00000001', symbol: 'BTC-USDT', buy: leg('binance'), sell: leg('coinbase'), size: '0.1',
  grossEdgeBps: '9', netEdgeBps: '4', profitQuote: '2.6', profitUsd: '2.6', confidence: 0.9, detectedTs: t - 1.5, expiresTs: t + 500,
  books: { buy: { recvTs: t - 2, seq: 1, venueSeq: 1 }, sell: { recvTs: t - 3, seq: 1, venueSeq: 1 } }, variant: 'default' }));
state.onOpportunity('[]');
const report = (id, status, pnl, ms) => JSON.stringify({ v: 1, id, oppId: 'opp-00000001', symbol: 'BTC-USDT', status, legs: [], realizedPnlQuote: pnl,
  realizedPnlUsd: pnl, residualBase: '0', residualUsd: '0', fencingToken: 1, executorId: 'e1', variant: 'default',
  timings: { receivedTs: t, ordersSentTs: t + 1, acksTs: t + 5, finalTs: t + ms } });
state.onExecution(report('r1', 'filled', '0.1', 20));
state.onExecution(report('r2', 'hedged', '0.2', 40));
state.onExecution(report('r3', 'skipped', '0', 0));
state.onExecution(report('r1', 'filled', '0.1', 20)); // duplicate delivery
// A correcting report adds money to r2's trade (none here) but is not another trade: counts stay 3 reports, 2 executed.
state.onExecution(JSON.stringify({ ...JSON.parse(report('r2~c1', 'hedged', '0', 40)), corrects: 'r2' }));
state.onExecution(JSON.stringify({ id: 'r4', status: 'filled', realizedPnlUsd: 12.5 })); // number, not a decimal string
state.event('stack up');

const ctx = { mode: 'sim', statusOrder, services: () => ({ running: 3, died: [] }), logDir: '/tmp/logs', statsUrl: undefined };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const outs = {};
for (const mode of ['tty', 'plain']) {
  const out = new FakeOut(mode === 'tty');
  const display = new SummaryDisplay({ state, ctx, out, mode: chooseSummaryMode(out), refreshMs: 40, plainEveryMs: 100 });
  display.start();
  await sleep(450);
  display.stop();
  outs[mode] = out.text;
}
const final = renderFinal({ state, mode: 'sim', ranMs: 25_000, reason: '--duration 25s elapsed', feeds: state.feeds(), statusOrder,
  services: { started: 3, died: [], unclean: [] }, exitCode: 0 }).join('\\n');
const journal = { lastSeq: 3, invalid: 0, all: { reports: 3, byStatus: { filled: 1, hedged: 1, skipped: 1 }, pnlUsd: new Big('0.3') } };
// A /stats answer (the stats service's MicroArbitrageStats), with an exact volume that needs rounding for display.
const scope = (executed, volumeUsd, netProfitUsd, profitRateBps) => ({ executed, successRate: executed ? 0.5 : null, volumeUsd, netProfitUsd, profitRateBps });
const availability = (tradingMs, observedMs) => ({ tradingPossible: true, blockedBy: [], sinceTs: 0, observedMs, tradingMs, uptimePct: (tradingMs / observedMs) * 100,
  blockedMs: { feeds: observedMs - tradingMs, executor: 0, killSwitch: 0 }, executor: null, killSwitch: false });
const feedsView = { venuesMonitored: 2, venuesLive: 2, pairsMonitored: 1, pairsLive: 1, venueSymbolsMonitored: 3, venueSymbolsLive: 3 };
const stats = { journal: { lastSeq: 3, invalid: 0 }, overall: { reports: 3, opportunities: 1, executed: 2, successful: 1, partial: 0, recovered: 1, failed: 0,
  successRate: 0.5, byStatus: { filled: 1, hedged: 1, skipped: 1 }, volumeUsd: '13000.0150000000000001232', grossProfitUsd: '0.4', feesUsd: '0.1', netProfitUsd: '0.3',
  avgProfitPerTradeUsd: '0.15', avgProfitPerSuccessfulTradeUsd: '0.1', profitRateBps: '0.23076896', profitPerHourUsd: '18', avgExecutionMs: 30, residualUsd: '-0.005' },
  venues: { binance: scope(2, '6500', '0.3', '0.46153846'), coinbase: scope(2, '6500.015', '0.3', '-0.46153739') },
  routes: { 'BTC-USDT:binance>coinbase': scope(2, '13000.015', '0.3', '0.23076896') }, symbols: { 'BTC-USDT': scope(2, '13000.015', '0.3', '0.23076896') },
  variants: { default: scope(2, '13000.015', '0.3', '0.23076896'), b: scope(0, '0', '0', null) },
  feeds: { ...feedsView, venuesLive: 0 }, availability: availability(24_000, 30_000) };
const statsAtStop = { ...stats, feeds: feedsView, availability: availability(23_100, 24_000) };
const finalWithStats = renderFinal({ state, mode: 'sim', ranMs: 25_000, reason: '--duration 25s elapsed', feeds: state.feeds(), statusOrder,
  journal: { exists: true, lastSeq: 3, invalid: 0, duplicates: 0, all: journal.all, run: journal.all }, stats, statsAtStop, statsUrl: 'http://127.0.0.1:9140/stats',
  match: compareWithJournal(stats, journal), services: { started: 7, died: [], unclean: [] }, exitCode: 0 }).join('\\n');
const statsOf = (reports, pnl) => ({ journal: { lastSeq: 3, invalid: 0 }, overall: { reports, byStatus: { filled: 1, hedged: 1, skipped: reports - 2 }, netProfitUsd: pnl } });
state.setStats(stats, undefined);
const frameStats = renderFrame(state, { ...ctx, statsUrl: 'http://127.0.0.1:9140/stats' }, { color: false }).find((l) => l.startsWith('STATS SERVICE'));
console.log(JSON.stringify({
  outs, final, finalWithStats, frameStats, bad: state.bad, duplicates: state.trades.duplicates, pnl: state.trades.pnlUsd.toFixed(), totals: state.tradeTotals(),
  feeds: state.feeds().map((f) => ({ venue: f.venue, live: f.live, rate: f.updatesPerSec })),
  choose: [chooseSummaryMode({ isTTY: true }), chooseSummaryMode({ isTTY: false }), chooseSummaryMode({}), chooseSummaryMode({ isTTY: true }, 'plain')],
  same: compareWithJournal(statsOf(3, '0.30'), journal), differ: compareWithJournal(statsOf(4, '0.3000001'), journal),
}));
`;

interface DriverResult {
  outs: { tty: string; plain: string };
  final: string;
  finalWithStats: string;
  frameStats: string;
  bad: { status: number; opportunity: number; execution: number };
  duplicates: number;
  pnl: string;
  totals: { reports: number; executed: number; successful: number; successRate: number | null };
  feeds: { venue: string; live: boolean; rate: number | null }[];
  choose: string[];
  same: { match: boolean; differences: string[] };
  differ: { match: boolean; differences: string[] };
}

describe('scripts/lib/summary.mjs against a fake stream', () => {
  let dir: string;
  let result: DriverResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'arb-summary-test-'));
    const file = join(dir, 'driver.mjs');
    writeFileSync(file, DRIVER);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [file], { cwd: root, timeout: 30_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))),
    );
    result = JSON.parse(stdout) as DriverResult;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('chooses the dashboard for a terminal and log lines otherwise', () => {
    expect(result.choose).toEqual(['tty', 'plain', 'plain', 'plain']);
  });

  it('on a terminal: redraws in place (cursor home, lines cleared) on the alternate screen, and never prints log lines', () => {
    const tty = result.outs.tty;
    expect(tty.startsWith('\x1b[?1049h\x1b[?25l\x1b[H')).toBe(true);
    expect(tty.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    const frames = tty.split('\x1b[H').slice(1);
    expect(frames.length).toBeGreaterThanOrEqual(5); // 450 ms at 40 ms
    for (const frame of frames) expect(frame).toMatch(/\x1b\[K\x1b\[J/); // eslint-disable-line no-control-regex
    const last = frames[frames.length - 1] as string;
    expect(last).toMatch(/arb-system · sim · up 2s · 3 service process\(es\) running/);
    expect(last).toMatch(/ {2}binance {7}\x1b\[32mlive {5}\x1b\[0m 1\/1 {12}1000 {4}12\.0 ms/); // eslint-disable-line no-control-regex
    expect(last).toMatch(/ {2}coinbase .* 1\/1 {13}200 /); // (450 - 50) updates in 2 s
    expect(last).toMatch(/OPPORTUNITIES {6}1 .* book→opportunity p50 0\.50 ms/); // detected 0.5 ms after the newer book
    expect(last).toMatch(/TRADES {13}3 reports, 2 executed: filled 1 · hedged 1 · skipped 1 {3}success 50\.0%/);
    expect(last).toMatch(/PnL {14}\+0\.30 USD/);
    expect(last).toMatch(/status 2 · opportunity 1 · execution 1/);
    expect(last).toMatch(/stack up/);
    expect(tty).not.toContain('[summary]');
  });

  it('elsewhere: one plain [summary] line per interval, without any escape code', () => {
    const plain = result.outs.plain;
    expect(plain).not.toContain('\x1b');
    const lines = plain.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3); // 450 ms at 100 ms
    for (const line of lines) {
      expect(line).toMatch(/^\[summary\] up 2s \| feeds: binance live 1000\/s, coinbase live 200\/s \| opportunities 1 /);
      expect(line).toMatch(/trades 2 executed of 3: filled 1, hedged 1, skipped 1 \| success 50\.0% \| PnL \+0\.30 USD \| exec p50 40\.0 ms \| bad 4$/);
    }
  });

  it('validates loosely: bad JSON and missing fields are counted and dropped, a duplicate report is counted once', () => {
    expect(result.bad).toEqual({ status: 2, opportunity: 1, execution: 1 });
    expect(result.duplicates).toBe(1);
    expect(result.totals).toEqual({ reports: 3, executed: 2, successful: 1, successRate: 0.5 });
    expect(result.pnl).toBe('0.3'); // exact: 0.1 + 0.2
    expect(result.feeds).toEqual([
      { venue: 'binance', live: true, rate: 1000 },
      { venue: 'coinbase', live: true, rate: 200 },
    ]);
  });

  it('renders the final summary from the same state', () => {
    expect(result.final).toMatch(/feeds live: 2\/2 \(binance live, coinbase live\)/);
    expect(result.final).toMatch(/opportunities detected: 1 /);
    expect(result.final).toMatch(/trades executed: 2 of 3 reports \(filled 1, hedged 1, skipped 1\) \[this run, live arb\.exec\.>\]/);
    expect(result.final).toMatch(/success rate: 50\.0% \(filled \/ executed\)/);
    expect(result.final).toMatch(/PnL: \+0\.3 USD/);
    expect(result.final).toMatch(/stats service: not running\nstats match journal: unknown \(no stats service\)/);
    expect(result.final).toMatch(/result: clean run \(exit 0\)$/);
  });

  it('shows the stats service\'s MicroArbitrageStats, money rounded for display only, uptime and feeds as they were at stop', () => {
    const f = result.finalWithStats;
    expect(f).toContain('stats service: 3 reports, net 0.3 USD, success 50.0%, journal seq 3\n');
    expect(f).toContain('  opportunities 1 · executed 2: successful 1, partial 0, recovered 1, failed 0 · success rate 50.0%\n');
    expect(f).toContain('  volume 13000.02 USD · gross profit +0.40 USD · fees 0.10 USD · net profit +0.30 USD\n');
    expect(f).toContain('  avg profit +0.15 USD per executed trade, +0.10 USD per successful trade · profit rate +0.23 bps of volume · +18.00 USD per hour\n');
    expect(f).toContain('  avg execution 30.0 ms · residual exposure -0.01 USD\n');
    // from the snapshot taken before the producers stopped, not the final one (30 s observed, venues no longer live)
    expect(f).toContain('  uptime 96.3%: trading possible 23.1 s of 24.0 s observed (blocked by feeds 0.9 s, executor 0.0 s, kill switch 0.0 s)\n');
    expect(f).toContain('  monitored: 2 venues (2 live), 1 pairs on 2+ venues (1 live), 3 venue·symbol feeds (3 live)\n');
    const table = [
      '  scope                             executed  success    volume USD    net USD  profit bps',
      '  venue binance                            2    50.0%       6500.00      +0.30       +0.46',
      '  venue coinbase                           2    50.0%       6500.02      +0.30       -0.46',
      '  route BTC-USDT:binance>coinbase          2    50.0%      13000.02      +0.30       +0.23',
      '  symbol BTC-USDT                          2    50.0%      13000.02      +0.30       +0.23',
      '  variant default                          2    50.0%      13000.02      +0.30       +0.23',
      '  variant b                                0        -          0.00      +0.00           -',
      'stats match journal: yes',
    ];
    expect(f).toContain(`\n${table.join('\n')}\n`);
  });

  it('the dashboard\'s stats line shows the profit rate and the trading uptime from /stats', () => {
    expect(result.frameStats).toBe(
      'STATS SERVICE      http://127.0.0.1:9140/  reports 3 · net +0.30 USD · success 50.0% · opportunities 1 · profit rate +0.23 bps · uptime 80.0%',
    );
  });

  it('prints the final summary in the documented line format (scripts/test/final-summary-format.ts)', () => {
    // as start.mjs prints it: after an empty line, then `stopped`
    for (const f of [result.final, result.finalWithStats]) {
      const lines = f.split('\n');
      expect(lines[0]).toBe('');
      expect(formatProblems([...lines.slice(1), 'stopped'])).toEqual([]);
    }
  });

  it('the README\'s sample final summary is in that format, line by line', () => {
    const sample = readmeSample(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(sample.length).toBeGreaterThan(15);
    expect(sample.some((l) => l.startsWith('  uptime '))).toBe(true);
    expect(formatProblems(sample)).toEqual([]);
  });

  it('the format check fails on a line that drifted, a missing line or an extra one', () => {
    const lines = [...result.finalWithStats.split('\n').slice(1), 'stopped'];
    const edit = (i: number, line?: string): string[] => [...lines.slice(0, i), ...(line === undefined ? [] : [line]), ...lines.slice(i + 1)];
    const at = (prefix: string): number => lines.findIndex((l) => l.startsWith(prefix));
    expect(formatProblems(edit(at('  avg profit'), (lines[at('  avg profit')] as string).replace('profit rate', 'profit ratio')))).toHaveLength(1);
    expect(formatProblems(edit(at('  volume ')))).toHaveLength(1);
    expect(formatProblems([...lines.slice(0, 3), 'something new', ...lines.slice(3)])).toHaveLength(1);
    expect(formatProblems(lines.slice(0, -1))[0]).toMatch(/unexpected end/);
    expect(FINAL_SUMMARY_FORMAT.length).toBeGreaterThan(10);
  });

  it('compares the stats totals with the journal exactly', () => {
    expect(result.same).toEqual({ match: true, differences: [] });
    expect(result.differ.match).toBe(false);
    expect(result.differ.differences).toEqual([
      'reports: stats 4 vs journal 3',
      'status skipped: stats 2 vs journal 1',
      'net PnL: stats 0.3000001 vs journal 0.3 USD',
    ]);
  });
});
