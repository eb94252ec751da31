import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Opportunity } from '@arb/contracts';
import { assignVariant, nowMs, routeVariantKey, type Bus } from '@arb/service-kit';
import {
  buildDetector,
  closeTestClient,
  FakeFeeds,
  OppCollector,
  openTestClient,
  ROOT,
  sleep,
  startDetectorProcess,
  startServers,
  THRESHOLDS,
  venuesEnv,
  waitFor,
  type DetectorProcess,
  type Servers,
  type Side,
} from './harness';

/**
 * Runtime config applied live by the real detector process: the `arb-config` CLI (a real process) writes the
 * arb_config KV document, the detector's watch swaps its params before the next book update; A/B variants split the
 * routes, each evaluated with its own params. Variant rotation is off here (`variants.bucketMs` 0: a route keeps its
 * variant), so the expected split is deterministic; time buckets are covered by the unit tests.
 */
const BASES = ['NEAR', 'BTC', 'ETH', 'SOL', 'ADA', 'XRP', 'DOT', 'LTC', 'TRX', 'DOGE', 'AVAX', 'LINK', 'ATOM', 'FIL', 'APT'];
const BALANCES = `{USDT: "1000000", ${BASES.map((b) => `${b}: "100"`).join(', ')}}`;
const VENUES = ['alpha', 'beta', 'gamma'];
const WINDOW_MS = 1500;
const CLI = resolve(ROOT, 'packages/cli/dist/main.js');

/** alpha's asks vs beta's (gamma's) bids: profit 1.64755 on 250.15 notional, net edge ≈ 0.659 % (see detector.int.test). */
function dislocation(secondBid: string): Side {
  return { bids: [['101.00', '1.5'], [secondBid, '1'], ['100.30', '10']], asks: [['101.20', '5']] };
}
const CHEAP: Side = { bids: [['99.90', '5']], asks: [['100.00', '1'], ['100.10', '2'], ['100.50', '5']] };
/** Same walk, bids 1.00 higher: profit 254.80 - 250.15 - 0.50495 = 4.14505, net edge ≈ 1.657 %. */
const DEAR_BIG: Side = { bids: [['102.00', '1.5'], ['101.80', '1'], ['100.30', '10']], asks: [['102.20', '5']] };

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Local time (epoch ms) when the CLI process had exited. */
  exitTs: number;
}

function runCli(url: string, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ARB_')) env[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args, '--nats', url], { cwd: ROOT, env, timeout: 20_000 }, (err, stdout, stderr) => {
      const exitTs = nowMs();
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr, exitTs });
    });
  });
}

/** The revision a successful write reports (`written: revision N ...`). */
function writtenRevision(r: CliRun): number {
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const m = /written: revision (\d+)/.exec(r.stdout);
  if (m === null) throw new Error(`no revision in CLI output: ${r.stdout}`);
  return Number(m[1]);
}

describe('detector applies the runtime config live (real detector and arb-config processes, NATS + Redis)', () => {
  let servers: Servers;
  let det: DetectorProcess;
  let bus: Bus;
  let feeds: FakeFeeds;
  let opps: OppCollector;

  /** Publishes fresh alpha/beta books every 20 ms; the sell side's second level alternates so every tick is a new opportunity. */
  function pumpContinuously(symbol: string): { stop: () => Promise<void>; ticks: () => number } {
    let running = true;
    let n = 0;
    const loop = (async () => {
      while (running) {
        feeds.book('alpha', symbol, CHEAP);
        feeds.book('beta', symbol, dislocation(n % 2 === 0 ? '100.80' : '100.85'));
        n++;
        await bus.flush();
        await sleep(20);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
      },
      ticks: () => n,
    };
  }

  /** The detector's log line for `revision` being applied (its `appliedTs`, and the params in force). */
  async function applied(revision: number): Promise<{ appliedTs: number; params: Record<string, unknown>; variants: Array<{ name: string }> }> {
    const line = await det.proc.waitForLine(new RegExp(`"revision":${revision},.*"detection params applied"`), 5_000);
    return JSON.parse(line) as { appliedTs: number; params: Record<string, unknown>; variants: Array<{ name: string }> };
  }

  beforeAll(async () => {
    buildDetector();
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc -b packages/cli failed:\n${tsc.stdout}${tsc.stderr}`);
    servers = await startServers();
    det = await startDetectorProcess(servers, {
      ...venuesEnv(VENUES, BALANCES),
      ...THRESHOLDS,
      ARB__DETECTOR__EXECUTION_WINDOW_MS: String(WINDOW_MS),
      ARB__DETECTOR__VARIANTS__BUCKET_MS: '0',
      ARB__DETECTOR__MIRROR__ENABLED: 'false',
    });
    ({ bus, opps, feeds } = await openTestClient(servers, 'runtime-config-test-client', VENUES, BASES.map((b) => `${b}-USDT`)));
    await sleep(300);
  });

  afterAll(async () => {
    await closeTestClient({ feeds, opps, bus });
    const exit = await det?.proc.stop();
    await servers?.stop();
    expect(exit?.code).toBe(0);
    expect(det?.proc.lines().filter((l) => l.includes('"message handler failed"') || l.includes('"level":50'))).toEqual([]);
  });

  it('starts with the default document applied (revision 0, file params)', async () => {
    const a = await applied(0);
    expect(a.params).toMatchObject({ minProfitPct: '0.05', variant: 'default' });
    expect(await det.metric('detector_params_revision')).toBe(0);
    expect(await det.metric('runtime_config_revision')).toBe(0);
  });

  it('raising minProfitPct above the edge stops opportunities within 1 s of the CLI exiting; lowering it brings them back', async () => {
    const symbol = 'NEAR-USDT';
    const pump = pumpContinuously(symbol);
    try {
      await waitFor(() => opps.of(symbol).length >= 5, 5_000, 'opportunities to flow');

      // Raise the threshold to 5 % (the edge is ≈ 0.66 %).
      const rejectedBefore = await det.metric('detector_rejections_total', { symbol, reason: 'below-threshold' });
      const raise = await runCli(servers.nats.url, 'set', 'params.minProfitPct', '5');
      const raisedRev = writtenRevision(raise);
      const ticksAtExit = pump.ticks();
      await sleep(1_500);
      const after = opps.of(symbol).filter((o) => o.detectedTs > raise.exitTs);
      const last = Math.max(...opps.of(symbol).map((o) => o.detectedTs));
      const a = await applied(raisedRev);
      const lastAfterExitMs = last - raise.exitTs;
      const appliedAfterExitMs = a.appliedTs - raise.exitTs;
      console.log(
        `minProfitPct 5: applied ${appliedAfterExitMs.toFixed(1)} ms after the CLI exited; last opportunity detected ` +
          `${lastAfterExitMs.toFixed(1)} ms after it (${after.length} after the exit); ${pump.ticks() - ticksAtExit} ticks since`,
      );
      expect(a.params).toMatchObject({ minProfitPct: '5' });
      expect(lastAfterExitMs).toBeLessThan(1_000);
      expect(appliedAfterExitMs).toBeLessThan(1_000);
      // Books kept coming and were evaluated and rejected by the new threshold: no opportunity in the last 500 ms.
      expect(pump.ticks() - ticksAtExit).toBeGreaterThan(20);
      expect(opps.of(symbol).filter((o) => o.detectedTs > raise.exitTs + 1_000)).toEqual([]);
      expect(await det.metric('detector_rejections_total', { symbol, reason: 'below-threshold' })).toBeGreaterThan(rejectedBefore + 20);
      expect(await det.metric('detector_params_revision')).toBe(raisedRev);
      expect(await det.metric('runtime_config_revision')).toBe(raisedRev);

      // Lower it again: the same edge is published again within 1 s.
      const lower = await runCli(servers.nats.url, 'set', 'params.minProfitPct', '0.05');
      writtenRevision(lower);
      await waitFor(() => opps.of(symbol).some((o) => o.detectedTs > lower.exitTs), 2_000, 'opportunities to come back');
      const first = Math.min(...opps.of(symbol).filter((o) => o.detectedTs > lower.exitTs).map((o) => o.detectedTs));
      console.log(`minProfitPct 0.05: first opportunity detected ${(first - lower.exitTs).toFixed(1)} ms after the CLI exited`);
      expect(first - lower.exitTs).toBeLessThan(1_000);
      for (const o of opps.of(symbol)) expect(o.variant).toBe('default');
    } finally {
      await pump.stop();
    }
  });

  it('a confidence parameter changed through the KV changes what passes within 1 s (and the factors say why)', async () => {
    const symbol = 'APT-USDT';
    const pump = pumpContinuously(symbol);
    try {
      await waitFor(() => opps.of(symbol).length >= 5, 5_000, 'opportunities to flow');
      const o = opps.of(symbol)[0] as Opportunity;
      expect(o.factors).toMatchObject({ persistence: expect.any(Number), thresholdBps: expect.any(Number), marketability: { buyTouched: expect.any(String) } });
      // A persistent edge scores 1 on persistence; make persistence take 10 minutes from a new-edge score of 0.5:
      // every route's persistence factor drops to about 0.5, below minConfidence 0.6.
      const lowBefore = await det.metric('detector_low_confidence_total', { symbol, factor: 'persistence' });
      const strict = await runCli(servers.nats.url, 'set', 'params.confidence', '{newEdgeScore: 0.5, persistMs: 600000}');
      const rev = writtenRevision(strict);
      await sleep(1_500);
      const a = await applied(rev);
      expect(a.params).toMatchObject({ confidence: { newEdgeScore: 0.5, persistMs: 600000 } });
      const last = Math.max(...opps.of(symbol).map((x) => x.detectedTs));
      console.log(`confidence.newEdgeScore 0.5: applied ${(a.appliedTs - strict.exitTs).toFixed(1)} ms after the CLI exited; last opportunity ${(last - strict.exitTs).toFixed(1)} ms after it`);
      expect(a.appliedTs - strict.exitTs).toBeLessThan(1_000);
      expect(last - strict.exitTs).toBeLessThan(1_000);
      expect(opps.of(symbol).filter((x) => x.detectedTs > strict.exitTs + 1_000)).toEqual([]);
      expect(await det.metric('detector_low_confidence_total', { symbol, factor: 'persistence' })).toBeGreaterThan(lowBefore + 10);

      // Back to the file's confidence: the same edge publishes again within 1 s.
      const back = await runCli(servers.nats.url, 'unset', 'params.confidence');
      writtenRevision(back);
      await waitFor(() => opps.of(symbol).some((x) => x.detectedTs > back.exitTs), 2_000, 'opportunities to come back');
      const first = Math.min(...opps.of(symbol).filter((x) => x.detectedTs > back.exitTs).map((x) => x.detectedTs));
      expect(first - back.exitTs).toBeLessThan(1_000);
    } finally {
      await pump.stop();
    }
  });

  it('the kill switch is recorded but does not stop detection', async () => {
    const symbol = 'FIL-USDT';
    const on = await runCli(servers.nats.url, 'kill', 'on', '--reason', 'drill');
    await applied(writtenRevision(on));
    expect(await det.metric('runtime_config_kill_switch')).toBe(1);
    const pump = pumpContinuously(symbol);
    try {
      await waitFor(() => opps.of(symbol).length >= 3, 5_000, 'opportunities while the kill switch is on');
    } finally {
      await pump.stop();
    }
    const stats = (await (await fetch(`${det.url}/stats`)).json()) as { params: { killSwitch: boolean } };
    expect(stats.params.killSwitch).toBe(true);
    const off = await runCli(servers.nats.url, 'kill', 'off');
    await applied(writtenRevision(off));
    expect(await det.metric('runtime_config_kill_switch')).toBe(0);
  });

  it('A/B variants split the routes; each route is evaluated with its variant params and stamped with its name', async () => {
    const r = await runCli(servers.nats.url, 'variants', 'set', 'b', '0.5', '--param', 'minProfitPct=1', '--param', 'executionWindowMs=777');
    const rev = writtenRevision(r);
    expect((await applied(rev)).variants.map((v) => v.name)).toEqual(['b']);
    const variants = [{ name: 'b', share: 0.5 }];
    const expected = (s: string, buy: string, sell: string): string => assignVariant(routeVariantKey(s, buy, sell), variants);
    const routesOf = (symbols: string[]) => symbols.flatMap((s) => ['beta', 'gamma'].map((sell) => ({ symbol: s, sell, variant: expected(s, 'alpha', sell) })));
    const key = (o: { symbol: string; sell: string }): string => `${o.symbol}>${o.sell}`;
    const variantsOfOpps = (symbols: string[]): Opportunity[] => opps.seen.filter((o) => symbols.includes(o.symbol));

    // Phase A: an edge of ≈ 1.66 % passes both thresholds (default 0.05 %, b 1 %): every route publishes.
    const bigSymbols = ['BTC', 'ETH', 'SOL', 'ADA', 'XRP', 'DOT'].map((b) => `${b}-USDT`);
    const bigRoutes = routesOf(bigSymbols);
    // The symbols are chosen so that both variants get routes (deterministic: bucketMs 0).
    expect(new Set(bigRoutes.map((x) => x.variant))).toEqual(new Set(['default', 'b']));
    for (let i = 0; i < 12; i++) {
      for (const s of bigSymbols) {
        feeds.book('alpha', s, CHEAP);
        feeds.book('beta', s, DEAR_BIG);
        feeds.book('gamma', s, DEAR_BIG);
      }
      await bus.flush();
      await sleep(25);
    }
    await waitFor(() => new Set(variantsOfOpps(bigSymbols).map((o) => `${o.symbol}>${o.sell.venue}`)).size === bigRoutes.length, 5_000, 'every big-edge route');
    const big = variantsOfOpps(bigSymbols);
    for (const o of big) {
      expect(o.buy.venue).toBe('alpha');
      expect(o.variant).toBe(expected(o.symbol, 'alpha', o.sell.venue));
      expect(o.expiresTs - o.detectedTs).toBeCloseTo(o.variant === 'b' ? 777 : WINDOW_MS, 6);
    }
    expect(new Set(big.map((o) => o.variant))).toEqual(new Set(['default', 'b']));

    // Phase B: an edge of ≈ 0.66 %: default's routes publish, b's (threshold 1 %) reject it.
    const midSymbols = ['LTC', 'TRX', 'DOGE', 'AVAX', 'LINK', 'ATOM'].map((b) => `${b}-USDT`);
    const midRoutes = routesOf(midSymbols);
    expect(new Set(midRoutes.map((x) => x.variant))).toEqual(new Set(['default', 'b']));
    for (let i = 0; i < 20; i++) {
      for (const s of midSymbols) {
        feeds.book('alpha', s, CHEAP);
        feeds.book('beta', s, dislocation('100.80'));
        feeds.book('gamma', s, dislocation('100.80'));
      }
      await bus.flush();
      await sleep(25);
    }
    const wanted = midRoutes.filter((x) => x.variant === 'default').map(key).sort();
    await waitFor(() => new Set(variantsOfOpps(midSymbols).map((o) => `${o.symbol}>${o.sell.venue}`)).size >= wanted.length, 5_000, "default's routes");
    await sleep(200);
    const mid = variantsOfOpps(midSymbols);
    expect([...new Set(mid.map((o) => `${o.symbol}>${o.sell.venue}`))].sort()).toEqual(wanted);
    for (const o of mid) expect(o).toMatchObject({ variant: 'default', buy: { venue: 'alpha' } });
    for (const s of midSymbols.filter((x) => midRoutes.some((r) => r.symbol === x && r.variant === 'b'))) {
      expect(await det.metric('detector_rejections_total', { symbol: s, reason: 'below-threshold' })).toBeGreaterThan(0);
    }

    // Metrics by variant agree with what was published; /stats shows the variant params.
    const all = opps.seen;
    expect(await det.metric('detector_variant_opportunities_total', { variant: 'b' })).toBe(all.filter((o) => o.variant === 'b').length);
    expect(await det.metric('detector_variant_opportunities_total', { variant: 'default' })).toBe(all.filter((o) => o.variant === 'default').length);
    expect(await det.metric('detector_variant_share', { variant: 'b' })).toBe(0.5);
    const stats = (await (await fetch(`${det.url}/stats`)).json()) as { params: { revision: number }; variants: Array<{ name: string; params: Record<string, unknown> }> };
    expect(stats.params.revision).toBe(rev);
    expect(stats.variants).toEqual([{ name: 'b', share: 0.5, params: expect.objectContaining({ minProfitPct: '1', executionWindowMs: 777 }) }]);

    // Removing the variant gives every route the default params again.
    await applied(writtenRevision(await runCli(servers.nats.url, 'variants', 'rm', 'b')));
    expect(await det.metric('detector_variant_share', { variant: 'b' })).toBe(0);
  });
});
