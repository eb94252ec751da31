import { buckets, consumers, streams, subjects } from '@arb/contracts';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNats } from '@arb/testkit';
import { ProvisionError } from '../src/errors';
import { ensureConsumer } from '../src/jetstream/ensure-consumer';
import { provisionJetStream } from '../src/jetstream/provision';
import { readStream } from '../src/jetstream/read-stream';
import { defaultJetStreamSpec, replicatedSpec } from '../src/jetstream/spec';

type Nats = Awaited<ReturnType<typeof startNats>>;
const NS_PER_MS = 1_000_000;

describe('JetStream provisioning (real nats-server)', () => {
  let nats: Nats;
  let ncs: NatsConnection[] = [];
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nats = await startNats();
    ncs = await Promise.all([1, 2, 3].map((i) => connect({ servers: nats.url, name: `provisioner-${i}` })));
    jsm = await jetstreamManager(ncs[0] as NatsConnection);
  });

  afterAll(async () => {
    await Promise.all(ncs.map((nc) => nc.close()));
    await nats?.stop();
  });

  const nc = (i = 0): NatsConnection => ncs[i] as NatsConnection;

  it('creates the streams and bucket, then is idempotent (sequentially and concurrently)', async () => {
    const first = await provisionJetStream(nc());
    expect(first).toEqual({
      streams: { ARB_OPPS: 'created', ARB_EXECS: 'created' },
      buckets: { arb_config: 'created', arb_members: 'created' },
    });
    const second = await provisionJetStream(nc());
    expect(second).toEqual({
      streams: { ARB_OPPS: 'unchanged', ARB_EXECS: 'unchanged' },
      buckets: { arb_config: 'unchanged', arb_members: 'unchanged' },
    });
    const concurrent = await Promise.all([0, 1, 2, 0].map((i) => provisionJetStream(nc(i))));
    for (const r of concurrent) expect(Object.values(r.streams)).toEqual(['unchanged', 'unchanged']);
  });

  it('leaves the streams and bucket configured as specified', async () => {
    const opps = (await jsm.streams.info(streams.opportunities.name)).config;
    expect(opps.subjects).toEqual(['arb.opp.>']);
    expect(opps.retention).toBe(RetentionPolicy.Workqueue);
    expect(opps.storage).toBe(StorageType.File);
    expect(opps.max_age).toBe(defaultJetStreamSpec.opportunities.maxAgeMs * NS_PER_MS);
    expect(opps.max_age).toBe(30_000 * NS_PER_MS);
    expect(opps.duplicate_window).toBeLessThanOrEqual(opps.max_age);

    const execs = (await jsm.streams.info(streams.executions.name)).config;
    expect(execs.subjects).toEqual(['arb.exec.>']);
    expect(execs.retention).toBe(RetentionPolicy.Limits);
    expect(execs.storage).toBe(StorageType.File);
    expect(execs.duplicate_window).toBe(3_600_000 * NS_PER_MS);

    // No message can be removed through the API: a purge or a message delete is refused by the server.
    for (const name of [streams.opportunities.name, streams.executions.name]) {
      const c = (await jsm.streams.info(name)).config;
      expect([name, c.deny_delete, c.deny_purge]).toEqual([name, true, true]);
    }
    // The bucket: no message delete (a KV purge of a key is a roll-up, which needs purge).
    expect((await jsm.streams.info(`KV_${buckets.config}`)).config.deny_delete).toBe(true);
    await jetstream(nc()).publish(subjects.execution('BTC-USDT'), '{"n":0}');
    await expect(jsm.streams.purge(streams.executions.name)).rejects.toThrow(/purge/i);
    await expect(jsm.streams.deleteMessage(streams.executions.name, 1)).rejects.toThrow(/delete/i);
    expect((await jsm.streams.info(streams.executions.name)).state.messages).toBeGreaterThan(0);

    const kv = await new Kvm(nc()).open(buckets.config);
    const status = await kv.status();
    expect(status.history).toBe(16);
    await kv.put('runtime', '{"v":1}');
    expect((await kv.get('runtime'))?.string()).toBe('{"v":1}');

    // The members bucket: one value per key, dead members' keys age out.
    const members = (await jsm.streams.info(`KV_${buckets.members}`)).config;
    expect([members.max_msgs_per_subject, members.max_age, members.deny_delete]).toEqual([1, 300_000 * NS_PER_MS, true]);
  });

  it('creates streams from scratch when several replicas race', async () => {
    await jsm.streams.delete(streams.opportunities.name);
    await jsm.streams.delete(streams.executions.name);
    await jsm.streams.delete(`KV_${buckets.config}`);
    const results = await Promise.all([0, 1, 2].map((i) => provisionJetStream(nc(i))));
    const oppsActions = results.map((r) => r.streams.ARB_OPPS);
    expect(oppsActions).toContain('created');
    for (const a of oppsActions) expect(['created', 'unchanged']).toContain(a);
    expect((await jsm.streams.info('ARB_OPPS')).config.retention).toBe(RetentionPolicy.Workqueue);
  });

  it('updates changed limits, clamps the duplicate window, and applies a new KV history', async () => {
    const r = await provisionJetStream(nc(), {
      opportunities: { maxAgeMs: 5_000, duplicateWindowMs: 60_000 },
      config: { history: 5 },
    });
    expect(r).toEqual({ streams: { ARB_OPPS: 'updated', ARB_EXECS: 'unchanged' }, buckets: { arb_config: 'updated', arb_members: 'unchanged' } });
    const opps = (await jsm.streams.info('ARB_OPPS')).config;
    expect(opps.max_age).toBe(5_000 * NS_PER_MS);
    expect(opps.duplicate_window).toBe(5_000 * NS_PER_MS);
    expect((await jsm.streams.info(`KV_${buckets.config}`)).config.max_msgs_per_subject).toBe(5);
    await provisionJetStream(nc()); // back to defaults
    expect((await jsm.streams.info('ARB_OPPS')).config.max_age).toBe(30_000 * NS_PER_MS);
  });

  it('sets deny_delete/deny_purge on streams provisioned before they existed', async () => {
    await jsm.streams.delete(streams.executions.name);
    await jsm.streams.add({ name: 'ARB_EXECS', subjects: ['arb.exec.>'], storage: StorageType.File, duplicate_window: 3_600_000 * NS_PER_MS });
    expect((await provisionJetStream(nc())).streams.ARB_EXECS).toBe('updated');
    expect((await jsm.streams.info('ARB_EXECS')).config).toMatchObject({ deny_delete: true, deny_purge: true });
  });

  it('refuses, with a clear error, to change what a stream cannot change in place', async () => {
    await jsm.streams.delete(streams.executions.name);
    await jsm.streams.add({ name: 'ARB_EXECS', subjects: ['arb.exec.>'], storage: StorageType.Memory });
    await expect(provisionJetStream(nc())).rejects.toThrow(ProvisionError);
    await expect(provisionJetStream(nc())).rejects.toThrow(/ARB_EXECS exists with a different storage memory → file/);
    await jsm.streams.delete(streams.executions.name);
    expect((await provisionJetStream(nc())).streams.ARB_EXECS).toBe('created');
  });

  it('rejects an invalid spec before touching the server', async () => {
    await expect(provisionJetStream(nc(), { config: { history: 65 } })).rejects.toThrow(/history/);
    await expect(provisionJetStream(nc(), { executions: { replicas: 0 } })).rejects.toThrow(/executions.replicas/);
  });

  it('refuses replicas > 1 on a server outside a cluster, naming the setting', async () => {
    await expect(provisionJetStream(nc(), replicatedSpec(3))).rejects.toThrow(ProvisionError);
    await expect(provisionJetStream(nc(), replicatedSpec(3))).rejects.toThrow(/3 replicas asked for \(nats.replicas\) but the NATS server is not part of a cluster/);
    expect((await jsm.streams.info(streams.executions.name)).config.num_replicas).toBe(1);
  });

  it('ensureConsumer adds a durable, leaves it alone, updates it, and tolerates concurrent calls', async () => {
    const config = {
      durable_name: consumers.executor(),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: subjects.opportunities(),
      ack_wait: 5_000 * NS_PER_MS,
      max_deliver: 3,
    };
    const jsms = await Promise.all(ncs.map((c) => jetstreamManager(c)));
    const racing = await Promise.all(jsms.map((m) => ensureConsumer(m, 'ARB_OPPS', config)));
    expect(racing.map((r) => r.action)).toContain('created');
    expect((await ensureConsumer(jsm, 'ARB_OPPS', config)).action).toBe('unchanged');
    const updated = await ensureConsumer(jsm, 'ARB_OPPS', { ...config, ack_wait: 2_000 * NS_PER_MS });
    expect(updated.action).toBe('updated');
    expect(updated.info.config.ack_wait).toBe(2_000 * NS_PER_MS);
    await expect(
      ensureConsumer(jsm, 'ARB_OPPS', { ...config, ack_wait: 2_000 * NS_PER_MS, deliver_policy: DeliverPolicy.New }),
    ).rejects.toThrow(/cannot update consumer ARB_OPPS\/executor \(deliver_policy differ\)/);
  });

  it('readStream returns every stored message from the first, decoded, and leaves no consumer behind', async () => {
    await provisionJetStream(nc());
    const js = jetstream(nc());
    const before = (await readStream(nc(), streams.executions.name, (d) => new TextDecoder().decode(d))).length;
    for (const i of [1, 2, 3]) await js.publish(subjects.execution('BTC-USDT'), JSON.stringify({ n: i }));
    const all = await readStream(nc(), streams.executions.name, (d) => JSON.parse(new TextDecoder().decode(d)) as { n: number });
    expect(all.slice(before).map((m) => m.n)).toEqual([1, 2, 3]);
    await expect(readStream(nc(), streams.executions.name, () => {
      throw new Error('bad message');
    })).rejects.toThrow('bad message');
    expect((await jsm.streams.info(streams.executions.name)).state.consumer_count).toBe(0);
  });
});
