import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buckets, configKeys, type RuntimeConfig } from '@arb/contracts';
import { assignVariant, provisionJetStream, resolveParams, RuntimeConfigStore, type RuntimeConfigWatch } from '@arb/service-kit';
import { startNats, startNatsCluster } from '@arb/testkit';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';

type Nats = Awaited<ReturnType<typeof startNats>>;
interface Run {
  code: number;
  stdout: string;
  stderr: string;
  endedAt: number;
}

const ROOT = resolve(__dirname, '../../..');
const ENTRY = join(ROOT, 'packages/cli/dist/main.js');

/** Env without ARB_* variables (the CLI must not pick up the developer's settings). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ARB_')) env[k] = v;
  return { ...env, ...extra };
}

function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [ENTRY, ...args], { cwd: ROOT, env, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      done({ code, stdout, stderr, endedAt: Date.now() });
    });
  });
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now();
}

describe('arb-config CLI as a real process (real nats-server)', () => {
  let nats: Nats;
  let nc: NatsConnection;
  let store: RuntimeConfigStore;
  let watch: RuntimeConfigWatch;
  let dir: string;
  const seen: Array<{ cfg: RuntimeConfig; revision: number }> = [];
  const cli = (...args: string[]): Promise<Run> => runCli(['--nats', nats.url, ...args]);

  beforeAll(async () => {
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/cli'], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`tsc -b failed:\n${tsc.stdout}${tsc.stderr}`);
    dir = mkdtempSync(join(tmpdir(), 'arb-config-int-'));
    nats = await startNats();
    nc = await connect({ servers: nats.url, name: 'cli-test' });
    await provisionJetStream(nc);
    store = await RuntimeConfigStore.open(nc);
    watch = await store.watch((cfg, change) => {
      seen.push({ cfg, revision: change.revision });
    });
  });

  afterAll(async () => {
    await watch?.stop();
    await nc?.close();
    await nats?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('set: the watcher in this process sees the value within a second of the CLI finishing', async () => {
    const before = seen.length;
    const r = await cli('set', 'params.minProfitPct', '0.25');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('+ params.minProfitPct: "0.25"');
    expect(r.stdout).toMatch(/written: revision \d+ \(was 0\)/);
    const at = await waitFor(() => seen.length > before && watch.current().params.minProfitPct === '0.25', 1_000, 'the change');
    expect(at - r.endedAt).toBeLessThan(1_000);
    expect(seen.at(-1)?.cfg.updatedBy).toMatch(/^cli:/);
    const n = await cli('set', 'params.stalenessMs', '800');
    expect(n.code).toBe(0);
    await waitFor(() => watch.current().params.stalenessMs === 800, 1_000, 'a number field');
  });

  it('rejects bad values (exit 2, message naming path and value) without changing the KV revision', async () => {
    const count = seen.length;
    const rejected = async (args: string[], re: RegExp): Promise<void> => {
      const revision = (await store.get()).revision;
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).toContain('nothing written');
      expect((await store.get()).revision).toBe(revision);
    };
    await rejected(['set', 'params.minProfitPct', 'abc'], /invalid value 'abc' for params.minProfitPct/);
    await rejected(['set', 'params.minConfidence', '1.5'], /invalid value '1.5' for params.minConfidence/);
    await rejected(['set', 'params.noSuchThing', '1'], /unknown path 'params.noSuchThing'/);
    await rejected(['unset', 'killSwitch'], /killSwitch: Expected required property/);
    expect((await cli('variants', 'set', 'a', '0.7')).code).toBe(0); // valid on its own...
    await rejected(['variants', 'set', 'b', '0.7'], /variants: shares sum to more than 1/); // ...this one is not
    expect((await cli('variants', 'rm', 'a')).code).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'killSwitch: false\nparams: { minProfitPct: -0.5 }\nvariants: []\n');
    await rejected(['apply', bad], /bad.yaml is not a valid runtime config: params.minProfitPct: .*\(got "-0.5"\)/);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.length).toBe(count + 2); // only `variants set a` and `variants rm a` were written
  });

  it('a rejected value leaves the revision exactly where it was', async () => {
    const before = await store.get();
    const r = await cli('--json', 'set', 'params.riskLimitPerTrade', '12,5');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, code: 2 });
    const after = await store.get();
    expect(after.revision).toBe(before.revision);
    expect(after.config).toEqual(before.config);
  });

  it('kill on / off reach the watcher', async () => {
    const on = await cli('kill', 'on', '--reason', 'venue outage');
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('~ killSwitch: false → true');
    await waitFor(() => watch.current().killSwitch, 1_000, 'kill on');
    expect(watch.current().killReason).toBe('venue outage');
    const off = await cli('kill', 'off');
    expect(off.code).toBe(0);
    await waitFor(() => !watch.current().killSwitch, 1_000, 'kill off');
    expect(watch.current().killReason).toBeUndefined();
  });

  it('concurrent writers: apply with a stale revision fails clearly (exit 3, nothing written); the retry succeeds', async () => {
    const file = join(dir, 'doc.yaml');
    writeFileSync(file, 'killSwitch: false\nparams:\n  minProfitPct: 0.30\nvariants: []\n');
    const base = await store.get();
    // Another writer gets in first.
    await store.update((c) => ({ ...c, params: { ...c.params, minProfitUsd: '2' } }), { updatedBy: 'other-writer' });
    const stale = await cli('apply', file, '--revision', String(base.revision));
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(new RegExp(`changed concurrently: expected revision ${base.revision}, found ${base.revision + 1}`));
    expect((await store.get()).config.params.minProfitUsd).toBe('2');
    const retry = await cli('apply', file, '--revision', String(base.revision + 1));
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('- params.minProfitUsd: "2"');
    await waitFor(() => watch.current().params.minProfitPct === '0.30' && watch.current().params.minProfitUsd === undefined, 1_000, 'applied doc');
  });

  it('concurrent CLI processes changing different fields all land (read-modify-write retried on conflicts)', async () => {
    const runs = await Promise.all([
      cli('set', 'params.minProfitUsd', '3'),
      cli('set', 'params.minConfidence', '0.65'),
      cli('set', 'params.executionWindowMs', '700'),
      cli('set', 'params.maxConcurrentTrades', '4'),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const params = (await store.get()).config.params;
    expect(params).toMatchObject({ minProfitUsd: '3', minConfidence: 0.65, executionWindowMs: 700, maxConcurrentTrades: 4, minProfitPct: '0.30' });
  });

  it('variants and diff/show: services resolve effective params per assigned variant', async () => {
    const r = await cli('variants', 'set', 'tight', '0.5', '--param', 'minProfitPct=0.5', '--param', 'stalenessMs=300');
    expect(r.code).toBe(0);
    await waitFor(() => watch.current().variants.length === 1, 1_000, 'variant');
    const cfg = watch.current();
    const file = { minProfitPct: '0.1', minProfitUsd: '1', stalenessMs: 1000 };
    let tight = 0;
    for (let i = 0; i < 1000; i++) {
      const variant = assignVariant(`BTC-USDT:binance>coinbase:${i}`, cfg.variants);
      const p = resolveParams(file, cfg, variant);
      if (variant === 'tight') {
        tight++;
        expect(p).toMatchObject({ minProfitPct: '0.5', stalenessMs: 300, minProfitUsd: '3' });
      } else {
        expect(p).toMatchObject({ minProfitPct: '0.30', stalenessMs: 1000, minProfitUsd: '3' });
      }
    }
    expect(tight).toBeGreaterThan(430);
    expect(tight).toBeLessThan(570);

    const show = await cli('show', '--json');
    const shown = JSON.parse(show.stdout) as { ok: boolean; revision: number; config: RuntimeConfig };
    expect(shown).toMatchObject({ ok: true, revision: watch.revision(), config: cfg });

    const file2 = join(dir, 'next.json');
    writeFileSync(file2, JSON.stringify({ ...cfg, killSwitch: true, killReason: 'planned' }));
    const diff = await cli('diff', file2);
    expect(diff.code).toBe(0);
    expect(diff.stdout.split('\n').filter((l) => /^[+~-] /.test(l))).toEqual(['~ killSwitch: false → true', '+ killReason: "planned"']);
    const dry = await cli('apply', file2, '--dry-run');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect((await store.get()).config.killSwitch).toBe(false);
  });

  it('a broken stored document: show/set fail with exit 1 and a hint, services keep the last good one, apply replaces it', async () => {
    const good = watch.current();
    const kv = await new Kvm(nc).open(buckets.config);
    await kv.put(configKeys.runtime, JSON.stringify({ ...good, killSwitch: 'yes' }));
    const show = await cli('show');
    expect(show.code).toBe(1);
    expect(show.stderr).toMatch(/stored runtime config \(revision \d+\) is invalid: \/killSwitch: .*replace it with `arb-config apply <file>`/);
    expect((await cli('set', 'params.minProfitUsd', '9')).code).toBe(1);
    expect(watch.current()).toEqual(good);
    const file = join(dir, 'fix.json');
    writeFileSync(file, JSON.stringify({ ...good, params: { minProfitPct: '0.4' } }));
    const diff = await cli('diff', file);
    expect(diff.stdout).toContain('~ killSwitch: "yes" → false');
    const fix = await cli('apply', file);
    expect(fix.code).toBe(0);
    await waitFor(() => watch.current().params.minProfitPct === '0.4', 1_000, 'fixed document');
  });

  it('takes the NATS URL from ARB__NATS__URL (through the config loader) when --nats is absent', async () => {
    const r = await runCli(['show', '--json'], cleanEnv({ ARB__NATS__URL: nats.url }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, revision: watch.revision() });
  });

  it('provision: creates what is missing (deny_delete, deny_purge), then reports everything unchanged', async () => {
    const fresh = await startNats();
    try {
      const first = await runCli(['--nats', fresh.url, 'provision']);
      expect([first.code, first.stdout.trim().split('\n')]).toEqual([0, ['stream ARB_OPPS: created', 'stream ARB_EXECS: created', 'bucket arb_config: created', 'bucket arb_members: created']]);
      const c = await connect({ servers: fresh.url });
      try {
        const info = (await c.request('$JS.API.STREAM.INFO.ARB_EXECS', '', { timeout: 5000 })).json<{ config: Record<string, unknown> }>();
        expect(info.config).toMatchObject({ deny_delete: true, deny_purge: true });
      } finally {
        await c.close();
      }
      const again = await runCli(['--nats', fresh.url, '--json', 'provision']);
      expect(JSON.parse(again.stdout)).toEqual({ ok: true, streams: { ARB_OPPS: 'unchanged', ARB_EXECS: 'unchanged' }, buckets: { arb_config: 'unchanged', arb_members: 'unchanged' } });
    } finally {
      await fresh.stop();
    }
  });

  it('provision: gives the streams and the bucket nats.replicas copies (ARB__NATS__REPLICAS, as the k8s Job on a cluster)', async () => {
    const cluster = await startNatsCluster({ size: 3 });
    try {
      await cluster.waitHealthy(30_000);
      const r = await runCli(['--nats', cluster.url, '--timeout', '10000', 'provision'], cleanEnv({ ARB__NATS__REPLICAS: '3' }));
      expect([r.code, r.stderr]).toEqual([0, '']);
      for (const stream of ['ARB_OPPS', 'ARB_EXECS', `KV_${buckets.config}`, `KV_${buckets.members}`]) {
        const info = (await cluster.jsApi(`STREAM.INFO.${stream}`)) as { config?: { num_replicas?: number } };
        expect([stream, info.config?.num_replicas]).toEqual([stream, 3]);
      }
      const invalid = await runCli(['--nats', cluster.url, 'provision'], cleanEnv({ ARB__NATS__REPLICAS: '7' }));
      expect(invalid.code).not.toBe(0);
      expect(invalid.stderr).toMatch(/replicas/);
    } finally {
      await cluster.stop();
    }
  }, 90_000);

  it('fails with exit 1 when NATS is unreachable', async () => {
    const r = await runCli(['--nats', 'nats://127.0.0.1:1', '--timeout', '1000', 'show']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to NATS at nats:\/\/127.0.0.1:1/);
  });
});
