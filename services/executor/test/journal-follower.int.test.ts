import { streams, subjects, type ExecutionReport } from '@arb/contracts';
import { provisionJetStream } from '@arb/service-kit';
import { startNats, type NatsHandle } from '@arb/testkit';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JournalFollower } from '../src/risk/journal-follower';
import { natsOutage, sleep, until } from './stack';

const now = (): number => performance.timeOrigin + performance.now();

function report(id: string, finalTs = now()): ExecutionReport {
  return {
    v: 1, id, oppId: id, symbol: 'BTC-USDT', status: 'filled',
    legs: [{ role: 'buy', venue: 'binance', side: 'buy', clientOrderId: 'a0-b', venueOrderId: null, limitPrice: '100', requestedQty: '1', filledQty: '1', avgPrice: '100', fee: '0', feeAsset: 'USDT', status: 'filled', sentTs: finalTs, ackTs: finalTs, finalTs }],
    realizedPnlQuote: '0', realizedPnlUsd: '0', residualBase: '0', residualUsd: '0', fencingToken: 1, executorId: 'e', variant: 'default',
    timings: { receivedTs: finalTs, ordersSentTs: finalTs, acksTs: finalTs, finalTs },
  };
}

/**
 * The risk follower against a real nats-server: replays the day, follows, survives an outage (server down for seconds,
 * its ephemeral consumers lost) and the journal stream being deleted and created again, applying every report once
 * and saying it is stale while it cannot be sure it is at the journal's end.
 */
describe('JournalFollower (risk figures) against real NATS', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let writer: NatsConnection;
  let follower: JournalFollower | undefined;
  const seen: string[] = [];
  let restarts: string[] = [];

  const publish = async (ids: string[], finalTs?: number): Promise<void> => {
    const js = jetstream(writer);
    for (const id of ids) await js.publish(subjects.execution('BTC-USDT'), JSON.stringify(report(id, finalTs)), { msgID: id });
  };
  const ids = (tag: string, n: number): string[] => Array.from({ length: n }, (_, i) => `exec_${tag}${i}`);

  beforeAll(async () => {
    nats = await startNats();
    writer = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await provisionJetStream(writer);
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });

  afterAll(async () => {
    await follower?.stop();
    await nc?.close();
    await writer?.close();
    await nats?.stop();
  });

  it('replays today, follows, and stays current through an outage and a stream re-creation, each report once', async () => {
    await publish(ids('a', 20));
    follower = new JournalFollower({
      js: jetstream(nc),
      jsm: await jetstreamManager(nc),
      nc,
      fromTs: now() - 60_000,
      checkIntervalMs: 200,
      stallMs: 1000,
      maxStaleMs: 1500,
      now,
      onReport: (r) => seen.push(r.id),
      onRestart: (reason) => restarts.push(reason),
    });
    expect(follower.stale(now())).toBe('journal replay not finished');
    follower.start();
    await follower.caughtUp;
    await until('replayed', async () => (seen.length === 20 ? true : undefined));
    expect(seen).toEqual(ids('a', 20));
    expect(follower.stale(now())).toBeNull();
    await publish(ids('b', 5));
    await until('followed', async () => (seen.length === 25 ? true : undefined));

    // nats-server down for 4 s (its ephemeral consumers are gone when it comes back).
    restarts = [];
    const outage = natsOutage(nats, 4000);
    await until('stale while NATS is away', async () => (follower?.stale(now()) !== null ? true : undefined), 10_000);
    await outage;
    await until('writer reconnected', async () => (writer.isClosed() ? undefined : (await writer.flush(), true)), 20_000);
    await publish(ids('c', 10));
    const backAt = now();
    await until('caught up after the outage', async () => (seen.length === 35 && follower?.stale(now()) === null ? true : undefined), 20_000);
    expect(now() - backAt).toBeLessThan(10_000);
    expect(seen).toEqual([...ids('a', 20), ...ids('b', 5), ...ids('c', 10)]);
    expect(restarts.length).toBeGreaterThan(0);

    // The stream deleted: stale (not found); created again and written to: followed from its start (a report journaled
    // again there is delivered again: the risk book drops a report id it already has).
    const jsm = await jetstreamManager(writer);
    await jsm.streams.delete(streams.executions.name);
    await until('stale without the stream', async () => (follower?.stale(now())?.includes('not found') === true ? true : undefined), 10_000);
    await provisionJetStream(writer);
    await publish([...ids('c', 2), ...ids('d', 3)]); // two reports journaled again after the loss, three new ones
    await until('new stream followed', async () => (seen.length >= 40 && follower?.stale(now()) === null ? true : undefined), 20_000);
    await sleep(500);
    expect(seen.slice(35)).toEqual([...ids('c', 2), ...ids('d', 3)]);
    expect(restarts.some((r) => r.includes('re-created'))).toBe(true);
  }, 90_000);
});
