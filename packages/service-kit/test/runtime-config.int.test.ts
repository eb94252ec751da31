import { buckets, configKeys, type RuntimeConfig } from '@arb/contracts';
import { startNats } from '@arb/testkit';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { provisionJetStream } from '../src/jetstream/provision';
import { createMetricsRegistry } from '../src/metrics/registry';
import { defaultRuntimeConfig } from '../src/runtime-config/document';
import { RuntimeConfigConflictError, RuntimeConfigInvalidError, RuntimeConfigUnavailableError } from '../src/runtime-config/errors';
import { RuntimeConfigStore } from '../src/runtime-config/store';
import type { RuntimeConfigChange, RuntimeConfigWatch } from '../src/runtime-config/watch';
import { memoryLogger, metricValue, waitFor } from './helpers';

type Nats = Awaited<ReturnType<typeof startNats>>;

const doc = (over: Partial<RuntimeConfig>): RuntimeConfig => ({ ...defaultRuntimeConfig(), updatedBy: 'test', updatedTs: 1, ...over });

describe('RuntimeConfigStore (real nats-server)', () => {
  let nats: Nats;
  let nc: NatsConnection;
  let kv: KV;
  let store: RuntimeConfigStore;
  const registry = createMetricsRegistry({ service: 'rc-test', defaultMetrics: false });
  const log = memoryLogger();
  const watches: RuntimeConfigWatch[] = [];

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url, name: 'rc-test', maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  });

  afterEach(async () => {
    await Promise.all(watches.splice(0).map((w) => w.stop()));
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  async function watch(): Promise<{ w: RuntimeConfigWatch; seen: Array<{ cfg: RuntimeConfig; change: RuntimeConfigChange }> }> {
    const seen: Array<{ cfg: RuntimeConfig; change: RuntimeConfigChange }> = [];
    const w = await store.watch((cfg, change) => {
      seen.push({ cfg, change });
    });
    watches.push(w);
    return { w, seen };
  }

  it('refuses to open before the bucket exists', async () => {
    await expect(RuntimeConfigStore.open(nc)).rejects.toThrow(RuntimeConfigUnavailableError);
    await expect(RuntimeConfigStore.open(nc)).rejects.toThrow(/arb_config does not exist/);
    await provisionJetStream(nc);
    store = await RuntimeConfigStore.open(nc, { logger: log.logger, registry, invalidLogIntervalMs: 60_000 });
    kv = await new Kvm(nc).open(buckets.config);
  });

  it('returns the default document while the key is absent, and delivers it to a watcher at once', async () => {
    expect(await store.get()).toEqual({ config: defaultRuntimeConfig(), revision: 0, exists: false });
    const { w, seen } = await watch();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.change).toMatchObject({ initial: true, source: 'default', revision: 0 });
    expect(w.current()).toEqual(defaultRuntimeConfig());
    await w.stop();
  });

  it('delivers writes to watchers within a second, in order, and serves current() from memory', async () => {
    const { w, seen } = await watch();
    const t0 = Date.now();
    const r1 = await store.put(doc({ params: { minProfitPct: '0.1' } }), { expectedRevision: 0 });
    await waitFor(() => w.revision() === r1, 1_000, 'first change');
    const r2 = await store.put(doc({ params: { minProfitPct: '0.2' } }), { expectedRevision: r1 });
    await waitFor(() => w.revision() === r2, 1_000, 'second change');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(seen.map((s) => s.cfg.params.minProfitPct)).toEqual([undefined, '0.1', '0.2']);
    expect(seen[2]?.change.changes).toEqual([{ path: 'params.minProfitPct', op: 'change', before: '0.1', after: '0.2' }]);
    expect(w.current().params.minProfitPct).toBe('0.2');
    expect(await store.get()).toMatchObject({ revision: r2, exists: true });
    expect(await metricValue(registry, 'runtime_config_revision')).toBe(r2);
  });

  it('delivers the stored document as the initial value of a new watcher', async () => {
    const { seen } = await watch();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.cfg.params.minProfitPct).toBe('0.2');
    expect(seen[0]?.change).toMatchObject({ initial: true, source: 'kv' });
  });

  it('ignores invalid stored documents (counted, logged once), keeps the last good one, then applies the next good one', async () => {
    const { w, seen } = await watch();
    const good = w.current();
    const invalidBefore = await metricValue(registry, 'runtime_config_invalid_total');
    await kv.put(configKeys.runtime, '{not json');
    await kv.put(configKeys.runtime, JSON.stringify({ ...good, params: { minProfitPct: '-1' } }));
    const rev = await kv.put(configKeys.runtime, JSON.stringify({ ...good, variants: [{ name: 'a', share: 0.7, params: {} }, { name: 'b', share: 0.7, params: {} }] }));
    await waitFor(async () => (await metricValue(registry, 'runtime_config_invalid_total')) === invalidBefore + 3, 2_000, 'invalid counted');
    expect(seen).toHaveLength(1);
    expect(w.current()).toEqual(good);
    expect(log.lines.filter((l) => l.msg === 'invalid runtime config ignored, last good one stays')).toHaveLength(1);
    await expect(store.get()).rejects.toMatchObject({ name: 'RuntimeConfigInvalidError', revision: rev });
    // A writer can still replace the broken document (apply uses the revision from the error).
    const fixed = await store.put(doc({ params: { minProfitPct: '0.3' } }), { expectedRevision: rev });
    await waitFor(() => w.revision() === fixed, 1_000, 'fixed document');
    expect(w.current().params.minProfitPct).toBe('0.3');
  });

  it('validates before writing: an invalid document is rejected and the revision does not move', async () => {
    const before = await store.get();
    const bad = doc({ params: { minConfidence: 2 } });
    await expect(store.put(bad, { expectedRevision: before.revision })).rejects.toThrow(RuntimeConfigInvalidError);
    await expect(store.put(bad, { expectedRevision: before.revision })).rejects.toThrow(/\/params\/minConfidence/);
    expect((await store.get()).revision).toBe(before.revision);
  });

  it('detects conflicting writers (expectedRevision) with a clear error; a retry on the new revision succeeds', async () => {
    const seenA = await store.get();
    const seenB = await store.get();
    await store.put({ ...seenA.config, params: { ...seenA.config.params, stalenessMs: 700 } }, { expectedRevision: seenA.revision });
    const err = await store.put({ ...seenB.config, killSwitch: true }, { expectedRevision: seenB.revision }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeConfigConflictError);
    expect((err as RuntimeConfigConflictError).message).toMatch(/expected revision \d+, found \d+; read it again and retry/);
    expect((err as RuntimeConfigConflictError).actualRevision).toBe(seenA.revision + 1);
    const fresh = await store.get();
    await store.put({ ...fresh.config, killSwitch: true }, { expectedRevision: fresh.revision });
    expect((await store.get()).config).toMatchObject({ killSwitch: true, params: { stalenessMs: 700 } });
    // expectedRevision 0 means "never written": fails now.
    await expect(store.put(doc({}), { expectedRevision: 0 })).rejects.toThrow(RuntimeConfigConflictError);
  });

  it('update() retries read-modify-write on conflicts: 12 concurrent increments all land', async () => {
    await store.update((c) => ({ ...c, params: { ...c.params, stalenessMs: 1 } }), { updatedBy: 'reset' });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.update((c) => ({ ...c, params: { ...c.params, stalenessMs: (c.params.stalenessMs ?? 0) + 1 } }), {
          updatedBy: `writer-${i}`,
          maxAttempts: 50,
        }),
      ),
    );
    expect(results.every((r) => r.written)).toBe(true);
    expect((await store.get()).config.params.stalenessMs).toBe(13);
    const noop = await store.update((c) => c, { updatedBy: 'noop' });
    expect(noop.written).toBe(false);
  });

  it('falls back to the default document when the key is deleted', async () => {
    const { w, seen } = await watch();
    await kv.delete(configKeys.runtime);
    await waitFor(() => seen.length === 2, 1_000, 'delete seen');
    expect(seen[1]?.change.source).toBe('default');
    expect(w.current()).toEqual(defaultRuntimeConfig());
    const entry = await store.get();
    expect(entry.exists).toBe(false);
    // Writing after a delete uses the delete's revision.
    await store.put(doc({ killSwitch: false }), { expectedRevision: entry.revision });
  });

  it('keeps going when a listener throws (counted and logged)', async () => {
    let calls = 0;
    const before = await metricValue(registry, 'runtime_config_handler_errors_total');
    const w = await store.watch(() => {
      calls++;
      throw new Error('listener bug');
    });
    watches.push(w);
    const rev = await store.put(doc({ params: { minProfitUsd: '5' } }));
    await waitFor(() => w.revision() === rev, 1_000, 'change after a throwing listener');
    expect(calls).toBe(2);
    expect(await metricValue(registry, 'runtime_config_handler_errors_total')).toBe(before + 2);
  });

  it('survives a nats-server restart and follows changes made after it', async () => {
    const { w } = await watch();
    await nats.restart();
    let rev = 0;
    await waitFor(
      async () => {
        try {
          rev = await store.put(doc({ params: { minProfitUsd: '7' } }));
          return true;
        } catch {
          return false;
        }
      },
      10_000,
      'write after restart',
    );
    await waitFor(() => w.revision() === rev, 5_000, 'watcher after restart');
    expect(w.current().params.minProfitUsd).toBe('7');
  });
});
