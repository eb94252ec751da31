import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, ServiceProcess } from '@arb/testkit';
import { BOOK_RUNS, rows } from '../src/suite';
import type { SuiteReport } from '../src/types';

const ENTRY = join(REPO_ROOT, 'conformance', 'dist', 'main.js');

/**
 * The short form of the conformance suite through its real entry point (`npm run conformance -- --short` runs the
 * same file): nats-server, exchange-sim and both feed-ingestors as processes, an unmodified ccxt against the sim.
 */
describe('conformance suite (ccxt against exchange-sim), short form', () => {
  const out = mkdtempSync(join(tmpdir(), 'arb-conformance-'));
  let proc: ServiceProcess | undefined;

  afterAll(async () => {
    await proc?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('every call passes on both venues and the table is printed', async () => {
    proc = await ServiceProcess.start({ name: 'conformance', entry: ENTRY, args: ['--short', '--out', out], cwd: REPO_ROOT, keepLines: 500 });
    await proc.waitForLine(/^report: /, 300_000);
    for (let i = 0; i < 300 && proc.exit === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as SuiteReport;
    const calls = rows('short', { nc: undefined as never, control: undefined as never }).map((r) => r.call);

    expect(report.form).toBe('short');
    expect(report.venues).toEqual(['binance', 'coinbase']);
    expect(report.results.map((r) => `${r.venue} ${r.call}`)).toEqual(['binance', 'coinbase'].flatMap((v) => calls.map((c) => `${v} ${c}`)));
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.venue} ${r.call}: ${r.detail}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(proc.exit).toEqual({ code: 0, signal: null });
    // The order books matched the feed-ingestor's at real update ids, not vacuously.
    for (const r of report.results.filter((x) => x.call.startsWith('watchOrderBook'))) expect(Number(/^(\d+) book states equal/.exec(r.detail)?.[1] ?? 0)).toBeGreaterThan(0);
    expect(BOOK_RUNS.short.symbols).toEqual(['BTC/USDT']);
    const printed = proc.lines().join('\n');
    expect(printed).toMatch(/\| call +\| binance \| coinbase \|/);
    expect(printed).toContain(`conformance (short form, ccxt ${report.ccxtVersion}): ${report.results.length}/${report.results.length} pass → PASS`);
    expect(readFileSync(join(out, 'latest.md'), 'utf8')).toContain('# Conformance: ccxt against exchange-sim (short form): PASS');
  }, 360_000);
});
