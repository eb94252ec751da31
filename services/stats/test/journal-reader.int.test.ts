import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { streams, subjects } from '@arb/contracts';
import { provisionJetStream } from '@arb/service-kit';
import { startNats, type NatsHandle } from '@arb/testkit';
import { JournalReader } from '../src/journal-reader';
import { until } from './harness';

describe('JournalReader against real NATS', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let writer: NatsConnection;
  let reader: JournalReader | undefined;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 10_000, timeout: 2_000 }); // as service-kit's bus
    writer = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await provisionJetStream(writer);
  });

  afterAll(async () => {
    await reader?.stop();
    await nc?.close();
    await writer?.close();
    await nats?.stop();
  });

  const publish = async (from: number, to: number): Promise<void> => {
    const js = jetstream(writer);
    for (let i = from; i < to; i++) await js.publish(subjects.execution('BTC-USDT'), `m${i}`, { msgID: `m${i}` });
  };

  it('an empty journal is caught up at once', async () => {
    const nc2 = await connect({ servers: nats.url });
    const empty = new JournalReader({
      js: jetstream(nc2),
      jsm: await jetstreamManager(nc2),
      stream: streams.executions.name,
      batch: 10,
      retryMs: 50,
      onMessage: () => undefined,
      onCaughtUp: () => undefined,
      onError: () => undefined,
    });
    await empty.start();
    expect(empty.caughtUp).toBe(true);
    await empty.stop();
    await nc2.close();
  });

  it('replays in order, reports catch-up exactly at the last message seen at start, then keeps streaming', async () => {
    await publish(0, 50);
    const seen: string[] = [];
    const caughtUpWhileReading: boolean[] = [];
    let caughtUpAt = -1;
    const errors: unknown[] = [];
    reader = new JournalReader({
      js: jetstream(nc),
      jsm: await jetstreamManager(nc),
      nc,
      stream: streams.executions.name,
      batch: 7,
      retryMs: 50,
      onMessage: (data) => {
        caughtUpWhileReading.push(reader!.caughtUp);
        seen.push(new TextDecoder().decode(data));
      },
      onCaughtUp: ({ seq }) => (caughtUpAt = seq),
      onError: (err) => errors.push(err),
    });
    await reader.start();
    expect(reader.targetSeq).toBe(50);
    await until('replay', async () => (reader!.caughtUp ? true : undefined));
    expect(caughtUpAt).toBe(50);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    expect(caughtUpWhileReading.every((c) => !c)).toBe(true);

    await publish(50, 60);
    await until('live messages', async () => (seen.length === 60 ? true : undefined));
    expect(reader.lastSeq).toBe(60);

    // NATS away for 15 s, then back (JetStream data kept): the reader resumes after the last sequence, no message twice,
    // and promptly (its consumer is re-created on the reconnect instead of after missed heartbeats: that took 40-50 s).
    const pid = nats.pid;
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
    await until('nats-server stopped', async () => (nats.pid === undefined ? true : undefined));
    await new Promise((r) => setTimeout(r, 15_000));
    await nats.restart();
    await until('writer reconnected', async () => (writer.isClosed() ? undefined : (await writer.flush(), true)), 30_000);
    await publish(60, 70);
    const published = Date.now();
    await until('messages after restart', async () => (seen.length >= 70 ? true : undefined), 30_000);
    const lagMs = Date.now() - published;
    process.stdout.write(`journal reader caught up ${lagMs} ms after the restart\n`);
    expect(lagMs).toBeLessThan(10_000);
    expect(seen).toEqual(Array.from({ length: 70 }, (_, i) => `m${i}`));

    await reader.stop();
    await publish(70, 72);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(70);
    reader = undefined;
  });
});
