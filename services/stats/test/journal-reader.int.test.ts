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
  let reader: JournalReader | undefined;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await provisionJetStream(nc);
  });

  afterAll(async () => {
    await reader?.stop();
    await nc?.close();
    await nats?.stop();
  });

  const publish = async (from: number, to: number): Promise<void> => {
    const js = jetstream(nc);
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

    // NATS restarts (JetStream data kept): the reader resumes after the last sequence, no message twice.
    await nats.restart();
    await until('reconnect', async () => (nc.isClosed() ? undefined : (await nc.flush(), true)));
    await publish(60, 70);
    await until('messages after restart', async () => (seen.length >= 70 ? true : undefined), 30_000);
    expect(seen).toEqual(Array.from({ length: 70 }, (_, i) => `m${i}`));

    await reader.stop();
    await publish(70, 72);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toHaveLength(70);
    reader = undefined;
  });
});
