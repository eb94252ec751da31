import { subjects, validators, type Opportunity } from '@arb/contracts';
import { connectBus, createLogger, provisionJetStream, replicatedSpec, type Bus } from '@arb/service-kit';
import { startNatsCluster, type NatsClusterHandle } from '@arb/testkit';
import { Registry } from 'prom-client';
import { ensureExecutorConsumer, startOpportunityConsumer, type ConsumerSettings, type OpportunityConsumer } from '../src/pipeline/consumer';
import { makeOpp } from './opportunity';

/**
 * The executors' shared pull consumer on ARB_OPPS, on a 3-node cluster whose consumer leader changes (a node fails, a
 * split, a rolling restart all move it). Pull requests waiting on the old leader are gone with it; the consumer must
 * notice and pull from the new leader quickly, or the executors sit idle while opportunities (worthless after a few
 * seconds) pile up.
 */
const SETTINGS: ConsumerSettings = { ackWaitMs: 30_000, maxAckPending: 100, maxDeliver: 5, localConcurrency: 4 };
/** An opportunity published after the leader change must reach the executor within this (generous on a busy host). */
const BOUND_MS = 10_000;

describe('executor opportunity consumer on a NATS cluster', () => {
  let cluster: NatsClusterHandle;
  let bus: Bus;
  let consumer: OpportunityConsumer | undefined;
  const handled = new Map<string, number>();

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    bus = await connectBus({ url: cluster.url, name: 'consumer-failover-test', logger: createLogger({ name: 'test', level: 'warn' }), registry: new Registry() });
    await provisionJetStream(bus.nc, replicatedSpec(3));
    await ensureExecutorConsumer(await bus.jetstreamManager(), SETTINGS);
    await cluster.waitForLeader('ARB_OPPS', 'executor');
    consumer = await startOpportunityConsumer(bus.jetstream(), SETTINGS, {
      handle: async (opp: Opportunity) => {
        handled.set(opp.id, Date.now());
        return { kind: 'duplicate' };
      },
      now: () => Date.now(),
      onInvalid: () => undefined,
      onError: () => undefined,
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await bus?.close();
    await cluster?.stop();
  });

  async function deliveredWithin(timeoutMs: number): Promise<number> {
    const opp = makeOpp({ expiresTs: Date.now() + 60_000 });
    const t0 = Date.now();
    // A publish sent during the stream's own election gets no ack: send it again with its id, as the detector would.
    for (;;) {
      try {
        await bus.publishJs(subjects.opportunity(opp.symbol), validators.Opportunity, opp, { msgId: opp.id, timeoutMs: 1_000 });
        break;
      } catch (error) {
        if (Date.now() - t0 > timeoutMs) throw error;
      }
    }
    while (!handled.has(opp.id)) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`opportunity ${opp.id} not delivered within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return (handled.get(opp.id) ?? 0) - t0;
  }

  it('delivers opportunities', async () => {
    expect(await deliveredWithin(BOUND_MS)).toBeLessThan(BOUND_MS);
  });

  it(`keeps delivering within ${BOUND_MS} ms after the consumer leader steps down`, async () => {
    const before = await cluster.streamLeader('ARB_OPPS', 'executor');
    const after = await cluster.stepDown('ARB_OPPS', 'executor');
    expect(after).not.toBe(before);
    expect(await deliveredWithin(BOUND_MS)).toBeLessThan(BOUND_MS);
  });

  it(`keeps delivering within ${BOUND_MS} ms after the node leading the consumer dies`, async () => {
    const leader = await cluster.waitForLeader('ARB_OPPS', 'executor');
    await leader.kill();
    try {
      expect(await deliveredWithin(BOUND_MS + 5_000)).toBeLessThan(BOUND_MS + 5_000);
    } finally {
      await leader.start();
    }
  });
});
