import { streams, subjects } from '@arb/contracts';
import { natsServerList, provisionJetStream, replicatedSpec } from '@arb/service-kit';
import { startNatsCluster, type NatsClusterHandle, type NatsNodeHandle } from '@arb/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JournalReader } from '../src/journal-reader';
import { until } from './harness';

/** A new journal entry must reach the stats service within this after a NATS node dies (generous on a busy host). */
const BOUND_MS = 25_000;

/**
 * The stats service follows ARB_EXECS with an ordered consumer: an ephemeral, single-replica consumer that lives on one
 * node of a cluster. When that node dies the reader must notice and re-create the consumer elsewhere, after the last
 * sequence it saw, quickly: until then the trading statistics (and the status page) stand still.
 */
describe('JournalReader on a NATS cluster', () => {
  let cluster: NatsClusterHandle;
  let nc: NatsConnection;
  let reader: JournalReader | undefined;
  let killed: NatsNodeHandle | undefined;
  const seen: string[] = [];
  const errors: string[] = [];
  let t0k: number | undefined;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    nc = await connect({ servers: natsServerList(cluster.url), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await provisionJetStream(nc, replicatedSpec(3));
    await cluster.waitForLeader(streams.executions.name);
  });

  afterAll(async () => {
    await reader?.stop();
    await nc?.close();
    await cluster?.stop();
  });

  /** Publishes m<from>..m<to-1>, each retried with its id until acknowledged (as the executor's journal does). */
  const publish = async (from: number, to: number): Promise<void> => {
    const js = jetstream(nc, { timeout: 1000 });
    for (let i = from; i < to; i++) {
      for (;;) {
        try {
          await js.publish(subjects.execution('BTC-USDT'), `m${i}`, { msgID: `m${i}`, timeout: 1000 });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  };

  it(`keeps reading, in order and once, within ${BOUND_MS} ms after the node holding its consumer dies`, async () => {
    await publish(0, 10);
    reader = new JournalReader({
      js: jetstream(nc),
      jsm: await jetstreamManager(nc),
      // As the stats service wires it: when the killed node is the one this client used, the reconnect (not missed
      // heartbeats, which nats.js stops reporting while disconnected) is what re-creates the consumer.
      nc,
      stream: streams.executions.name,
      batch: 500,
      retryMs: 1000,
      onMessage: (d) => seen.push(new TextDecoder().decode(d)),
      onCaughtUp: () => undefined,
      onError: (e) => errors.push(`${Date.now() - (t0k ?? Date.now())}ms ${String(e)}`),
    });
    await reader.start();
    await until('the first 10 entries', async () => (seen.length === 10 ? true : undefined), 10_000);

    const list = await cluster.jsApi(`CONSUMER.LIST.${streams.executions.name}`);
    const hosts = ((list['consumers'] ?? []) as { cluster?: { leader?: string } }[]).map((c) => c.cluster?.leader);
    expect(hosts).toHaveLength(1);
    killed = cluster.node(hosts[0] ?? '');
    await killed.kill();
    t0k = Date.now();
    const t0 = Date.now();
    await publish(10, 20);
    await until('the 10 entries journaled after the kill', async () => (seen.length >= 20 ? true : undefined), BOUND_MS - (Date.now() - t0)).catch((err: unknown) => {
      throw new Error(`${String(err)} (seen ${seen.length}; the reader's errors since the kill: ${errors.join(' | ') || 'none'})`, { cause: err });
    });
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    await killed.start();
  });
});
