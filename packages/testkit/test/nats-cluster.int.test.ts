import { existsSync } from 'node:fs';
import { RawNats } from './raw-clients';
import { natsRequest, probeNats, startNatsCluster, type NatsClusterHandle, type NatsNodeHandle } from '@arb/testkit';

const STREAM = 'CLUSTER_T';

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await get();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Publishes through `node`'s client port; the PubAck (or an error text). */
async function publish(node: NatsNodeHandle, data: string, timeoutMs = 2000): Promise<{ seq?: number; error?: unknown }> {
  return JSON.parse(await natsRequest(node.host, node.port, 'clt.a', data, timeoutMs)) as { seq?: number; error?: unknown };
}

describe('startNatsCluster (3 local nats-server processes)', () => {
  let cluster: NatsClusterHandle;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    const created = await cluster.jsApi(`STREAM.CREATE.${STREAM}`, { name: STREAM, subjects: ['clt.>'], num_replicas: 3, storage: 'file' }, 5000);
    expect(created['error']).toBeUndefined();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs three JetStream nodes meshed by routes, with a meta leader and an R3 stream', async () => {
    expect(cluster.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(cluster.url).toBe(cluster.urls.join(','));
    const client = await RawNats.connect(cluster.nodes[1]?.host ?? '', cluster.nodes[1]?.port ?? 0, 'raw-client');
    expect(await client.ping()).toBe('PONG');
    const seen = await until('the named client in /connz', async () => (await cluster.clients()).find((c) => c.name === 'raw-client'));
    expect(seen.node).toBe('n2');
    await client.close();
    for (const n of cluster.nodes) {
      const info = await probeNats(n.host, n.port);
      expect(info.jetstream).toBe(true);
      expect(info['cluster']).toBe('arb-test');
      const routes = (await (await fetch(`http://127.0.0.1:${n.monitorPort}/routez`)).json()) as { num_routes: number };
      expect(routes.num_routes).toBe(2);
    }
    expect(await cluster.metaLeader()).toBeDefined();
    const group = await until('every replica current', async () => {
      const g = await cluster.raftGroup(STREAM);
      return g.leader !== undefined && g.replicas.length === 2 && g.replicas.every((r) => r.current) ? g : undefined;
    });
    expect(new Set([group.leader, ...group.replicas.map((r) => r.name)])).toEqual(new Set(['n1', 'n2', 'n3']));
  });

  it('moves the stream leader to a chosen node by step-downs', async () => {
    const target = cluster.node('n2');
    await cluster.moveLeader(target, STREAM);
    expect(await cluster.streamLeader(STREAM)).toBe(target);
  });

  it('kill: the stream leader dies, another node leads with every stored message, the dead one rejoins on start', async () => {
    const first = cluster.node('n1');
    for (let i = 0; i < 5; i++) expect((await publish(first, `before-${i}`)).error).toBeUndefined();
    const leader = await until('a leader', () => cluster.streamLeader(STREAM));
    const pid = leader.pid;
    await leader.kill();
    expect(leader.running).toBe(false);
    expect(pid).toBeDefined();
    const next = await until('a new leader', async () => {
      const l = await cluster.streamLeader(STREAM);
      return l !== undefined && l !== leader ? l : undefined;
    });
    expect(next.running).toBe(true);
    const survivor = cluster.nodes.find((n) => n !== leader) as NatsNodeHandle;
    const ack = await until('a publish acknowledged after the kill', async () => {
      const a = await publish(survivor, 'after-kill');
      return a.seq !== undefined ? a : undefined;
    });
    expect(ack.seq).toBe(6);

    await leader.start();
    expect(leader.pid).not.toBe(pid);
    await cluster.waitHealthy();
    await until('the restarted node caught up', async () => ((await cluster.storedOn(leader, STREAM))?.messages === 6 ? true : undefined));
  });

  it('isolate: a node cut off from the others loses the lead; its clients get no ack; after heal all nodes agree', async () => {
    const lonely = cluster.node('n3');
    await cluster.moveLeader(lonely, STREAM);
    const before = (await cluster.jsApi(`STREAM.INFO.${STREAM}`))['state'] as { messages: number };

    lonely.isolate();
    expect(lonely.isolated).toBe(true);
    const majority = cluster.nodes.filter((n) => n !== lonely);
    const leader = await until('a leader on the majority side', async () => {
      const l = await cluster.streamLeader(STREAM).catch(() => undefined);
      return l !== undefined && l !== lonely ? l : undefined;
    });
    expect(majority).toContain(leader);
    const ack = await until('a publish acknowledged on the majority side', async () => {
      const a = await publish(majority[0] as NatsNodeHandle, 'majority');
      return a.seq !== undefined ? a : undefined;
    });
    expect(ack.seq).toBe(before.messages + 1);
    // The minority node's client gets no acknowledgement: JetStream never confirms a write it could not replicate.
    await expect(publish(lonely, 'minority', 1500).then((a) => (a.seq === undefined ? Promise.reject(new Error(String(a.error))) : a))).rejects.toThrow();

    const version2_9 = ((await probeNats(lonely.host, lonely.port)).version ?? '').startsWith('2.9.');
    lonely.heal();
    expect(lonely.isolated).toBe(false);
    await cluster.waitHealthy();
    // On a loaded host the healed node may need several election timeouts to rejoin: 60 s, and the last counts seen
    // in the failure message. The majority must agree with the stream's state. The healed node must too, except for
    // one known defect of nats-server 2.9 (Debian's; docs/faults.md "diverged replica"): a leader that was cut off
    // may keep the write it never acknowledged, one message more than the others, and nothing repairs it.
    const info = (await cluster.jsApi(`STREAM.INFO.${STREAM}`))['state'] as { messages: number };
    expect(info.messages).toBe(before.messages + 1);
    const settled = await until(
      'the majority storing the stream\'s messages and the healed node caught up',
      async () => {
        const counts = await Promise.all(cluster.nodes.map(async (n) => (await cluster.storedOn(n, STREAM))?.messages));
        const majority = counts.filter((_, i) => cluster.nodes[i] !== lonely);
        const healed = counts[cluster.nodes.indexOf(lonely)];
        const ok = majority.every((c) => c === info.messages) && (healed === info.messages || (healed === info.messages + 1 && version2_9));
        if (!ok) throw new Error(`messages stored per node: ${counts.join(', ')} (stream ${info.messages})`);
        return healed;
      },
      60_000,
    );
    if (settled !== info.messages) process.stdout.write(`nats-server 2.9: the healed former leader kept its unacknowledged write (${settled} vs ${info.messages})\n`);
  }, 120_000);

  it('pause freezes a node (no answer) and resume brings it back', async () => {
    const node = cluster.node('n2');
    node.pause();
    expect(node.paused).toBe(true);
    await expect(probeNats(node.host, node.port, 500)).rejects.toThrow();
    node.resume();
    expect(node.paused).toBe(false);
    await expect(probeNats(node.host, node.port, 2000)).resolves.toMatchObject({ jetstream: true });
  });

  it('stop ends every node and removes the stores', async () => {
    const c = await startNatsCluster({ size: 2, name: 'arb-two' });
    const dirs = c.nodes.map((n) => n.storeDir);
    const pids = c.nodes.map((n) => n.pid);
    expect(pids.every((p) => p !== undefined)).toBe(true);
    await c.stop();
    await c.stop();
    expect(c.nodes.every((n) => !n.running)).toBe(true);
    expect(dirs.some((d) => existsSync(d))).toBe(false);
  });
});
