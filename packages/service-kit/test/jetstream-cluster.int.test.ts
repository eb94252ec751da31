import { buckets, streams, subjects, validators } from '@arb/contracts';
import { startNatsCluster, type NatsClusterHandle } from '@arb/testkit';
import { Registry } from 'prom-client';
import { connectBus, type Bus } from '../src/bus/bus';
import { provisionJetStream } from '../src/jetstream/provision';
import { readStream } from '../src/jetstream/read-stream';
import { replicatedSpec } from '../src/jetstream/spec';
import { book, memoryLogger } from './helpers';

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const NAMES = [streams.opportunities.name, streams.executions.name, `KV_${buckets.config}`, `KV_${buckets.members}`];

describe('JetStream on a 3-node cluster (nats.url lists every server, nats.replicas = 3)', () => {
  let cluster: NatsClusterHandle;
  let bus: Bus;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    bus = await connectBus({ url: cluster.url, name: 'cluster-test', logger: memoryLogger().logger, registry: new Registry() });
  });

  afterAll(async () => {
    await bus?.close();
    await cluster?.stop();
  });

  it('connects through a comma-separated server list', () => {
    expect(bus.nc.info?.cluster).toBe('arb-test');
    expect(cluster.urls.map((u) => new URL(u).port)).toContain(String(bus.nc.info?.port));
  });

  it('provisions R1 first, then scales the streams and the bucket up to R3 in place', async () => {
    const r1 = await provisionJetStream(bus.nc);
    expect(r1).toEqual({ streams: { ARB_OPPS: 'created', ARB_EXECS: 'created' }, buckets: { arb_config: 'created', arb_members: 'created' } });
    const r3 = await provisionJetStream(bus.nc, replicatedSpec(3));
    expect(r3).toEqual({ streams: { ARB_OPPS: 'updated', ARB_EXECS: 'updated' }, buckets: { arb_config: 'updated', arb_members: 'updated' } });
    expect(await provisionJetStream(bus.nc, replicatedSpec(3))).toEqual({
      streams: { ARB_OPPS: 'unchanged', ARB_EXECS: 'unchanged' },
      buckets: { arb_config: 'unchanged', arb_members: 'unchanged' },
    });
    const jsm = await bus.jetstreamManager();
    for (const name of NAMES) {
      expect((await jsm.streams.info(name)).config.num_replicas).toBe(3);
      await cluster.waitForLeader(name);
      const group = await cluster.raftGroup(name);
      expect(group.replicas).toHaveLength(2);
    }
  });

  it('journal writes retried with their Nats-Msg-Id lose nothing and store nothing twice when the stream (and meta) leader is killed; readStream reads through the election', async () => {
    const stream = streams.executions.name;
    // Worst case: the node leading the stream also leads the meta group (consumer creation waits for its election).
    const leader = await until('the meta leader', () => cluster.metaLeader());
    await cluster.moveLeader(leader, stream);
    await cluster.waitForLeader(stream);
    const total = 60;
    let retries = 0;
    let duplicates = 0;
    for (let i = 0; i < total; i++) {
      if (i === 20) await leader.kill();
      // What the executor's journal does: publish with msgId = report id, retry the same id until acknowledged
      // (any valid message will do as the payload here: numbered books).
      for (;;) {
        try {
          const ack = await bus.publishJs(subjects.execution('BTC-USDT'), validators.BookSnapshot, book(i), { msgId: `r-${i}`, timeoutMs: 1000 });
          if (ack.duplicate) duplicates++;
          break;
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    const stored = await readStream(bus.nc, stream, (d) => validators.BookSnapshot.decode(d).seq);
    expect(stored).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(retries).toBeGreaterThan(0); // the kill was felt
    expect(duplicates).toBeLessThanOrEqual(retries);
    const next = await cluster.streamLeader(stream);
    expect(next).not.toBe(leader);

    await leader.start();
    await cluster.waitHealthy();
    // The restarted node rejoins the stream's group (the first STREAM.INFO after a restart may list no peers yet).
    const names = await until('the restarted node back among the stream replicas', async () => {
      const g = await cluster.raftGroup(stream);
      const all = [g.leader, ...g.replicas.map((r) => r.name)];
      return all.includes(leader.name) ? all : undefined;
    });
    expect(names).toContain(leader.name);
  });
});
