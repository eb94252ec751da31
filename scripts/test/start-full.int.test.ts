import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@arb/testkit';
import { formatProblems } from './final-summary-format';
import { cleanEnv, Stack } from './stack-process';

const DURATION_S = 25;

/**
 * The real product: `node scripts/start.mjs --duration 25` with every built service (scripts/stack.mjs) in sim mode
 * and the default configuration, on free ports, data in a temp dir: the sim's jumps (config/sim.yaml sim.jumps, about
 * 8 a minute over both symbols, windows of 0.4-2 s) must turn into opportunities and trades within the run.
 */
/**
 * Besides the sim's random jumps, a 30 bps window (the same /control/dislocate the jumps use) every 5 s once the
 * stack is up: the random ones alone leave a 25 s run without a tradeable window now and then, more so on a CI host
 * busy with other suites.
 */
async function openWindows(stack: Stack, control: string): Promise<void> {
  await stack.waitFor(/stack up:/, 60_000).catch(() => undefined);
  for (let i = 0; stack.running; i++) {
    await Promise.race([new Promise((r) => setTimeout(r, 5000).unref()), stack.exited]);
    if (!stack.running) break;
    const body = { symbol: i % 2 === 0 ? 'BTC-USDT' : 'ETH-USDT', venue: i % 4 < 2 ? 'binance' : 'coinbase', bps: 30, durationMs: 2000 };
    await fetch(`${control}/control/dislocate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
  }
}

describe('npm start (the whole stack, sim mode)', () => {
  let dir: string;
  let stack: Stack | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-start-full-'));
  });

  afterAll(async () => {
    await stack?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`runs for ${DURATION_S} s, stops by itself with exit 0 and a final summary: feeds live, opportunities, trades, stats = journal`, async () => {
    const env: Record<string, string> = {
      ARB__NATS__URL: `nats://127.0.0.1:${await freePort()}`,
      ARB__REDIS__URL: `redis://127.0.0.1:${await freePort()}`,
      ARB__SIM__CONTROL__PORT: String(await freePort()),
    };
    for (const venue of ['BINANCE', 'COINBASE']) {
      const port = await freePort();
      env[`ARB__SIM__VENUES__${venue}__PORT`] = String(port);
      env[`ARB__VENUES__${venue}__WS_URL`] = `ws://127.0.0.1:${port}`;
      env[`ARB__VENUES__${venue}__REST_URL`] = `http://127.0.0.1:${port}`;
    }
    stack = new Stack(['--duration', String(DURATION_S), '--data-dir', join(dir, 'data')], { ...cleanEnv(), ...env });
    const windows = openWindows(stack, `http://127.0.0.1:${env.ARB__SIM__CONTROL__PORT}`);
    const { code } = await stack.exited;
    await windows;
    const out = stack.output;
    const final = stack.finalSummary();
    const context = `final summary:\n${final || out.slice(-5000)}`;

    expect({ code, context }).toEqual({ code: 0, context });
    expect(out).toMatch(/stack up: 7 service process\(es\) \(exchange-sim, feed-ingestor-binance, feed-ingestor-coinbase, detector, executor-1, executor-2, stats\)/);
    expect(out).not.toMatch(/SERVICE DIED/);
    // not a terminal: plain [summary] lines every 5 s, no escape codes
    expect((out.match(/^\[summary\] up \d+s \| feeds: /gm) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(out).not.toContain('\x1b[');

    expect(final).toMatch(/feeds live: 2\/2 \(binance live, coinbase live\)/);
    const opportunities = Number(/opportunities detected: (\d+)/.exec(final)?.[1]);
    const executed = Number(/trades executed: (\d+) of (\d+) reports/.exec(final)?.[1]);
    expect(opportunities).toBeGreaterThan(0);
    expect(executed).toBeGreaterThan(0);
    expect(final).toMatch(/success rate: \d+\.\d% \(filled \/ executed\)/);
    expect(final).toMatch(/PnL: [+-]\d+(\.\d+)? USD \(realized, this run\)/);
    expect(final).toMatch(/journal ARB_EXECS: up to seq [1-9]\d*; .* 0 invalid/);
    expect(final).toMatch(/stats service: \d+ reports/);
    expect(final).toMatch(/stats match journal: yes/);
    expect(final).toMatch(/bad messages: 0 /);
    expect(final).toMatch(/services: 7 started, 0 died, all stopped cleanly/);
    expect(final).toMatch(/result: clean run \(exit 0\)\nstopped\n$/);
    // the line format the README's sample shows (scripts/test/final-summary-format.ts), uptime and profit rate included
    expect(formatProblems(final.trimEnd().split('\n'))).toEqual([]);
    expect(final).toMatch(/\n {2}uptime \d+\.\d%: trading possible /);
  }, 120_000);
});
