import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './stack-process';

// scripts/lib/summary.mjs is an ES module (Jest here runs CommonJS): a small driver runs it in a real Node process
// against fake output streams and a fake message stream, and prints what it saw as JSON.
const DRIVER = `
import { SummaryState, SummaryDisplay, chooseSummaryMode, renderFinal, compareWithJournal } from ${JSON.stringify(pathToFileURL(join(root, 'scripts/lib/summary.mjs')).href)};
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
const statsOf = (reports, pnl) => ({ journal: { lastSeq: 3, invalid: 0 }, overall: { reports, byStatus: { filled: 1, hedged: 1, skipped: reports - 2 }, netProfitUsd: pnl } });
console.log(JSON.stringify({
  outs, final, bad: state.bad, duplicates: state.trades.duplicates, pnl: state.trades.pnlUsd.toFixed(), totals: state.tradeTotals(),
  feeds: state.feeds().map((f) => ({ venue: f.venue, live: f.live, rate: f.updatesPerSec })),
  choose: [chooseSummaryMode({ isTTY: true }), chooseSummaryMode({ isTTY: false }), chooseSummaryMode({}), chooseSummaryMode({ isTTY: true }, 'plain')],
  same: compareWithJournal(statsOf(3, '0.30'), journal), differ: compareWithJournal(statsOf(4, '0.3000001'), journal),
}));
`;

interface DriverResult {
  outs: { tty: string; plain: string };
  final: string;
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
