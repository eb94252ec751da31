import { consumers, streams, subjects, validators, type Opportunity } from '@arb/contracts';
import { ensureConsumer } from '@arb/service-kit';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { HandleResult } from './context';

export interface ConsumerSettings {
  ackWaitMs: number;
  maxAckPending: number;
  maxDeliver: number;
  /** Opportunities handled at once by this process. */
  localConcurrency: number;
  /** Redelivery delay when a message must come back later. */
  nakDelayMs?: number;
  /**
   * Idle heartbeat of the pull requests (ms): after two missed heartbeats (the consumer's leader died or moved on a
   * cluster) the pull is sent again, to the new leader. nats.js' default is 15 s, i.e. ~30 s without opportunities.
   */
  heartbeatMs?: number;
}

export interface OpportunityConsumerDeps {
  handle(opp: Opportunity, receivedTs: number): Promise<HandleResult>;
  now(): number;
  onInvalid(err: unknown): void;
  onError(err: unknown, opp: Opportunity): void;
}

export interface OpportunityConsumer {
  /** Stops pulling and waits for the opportunities being handled; unhandled buffered ones are redelivered. */
  stop(): Promise<void>;
  /** Stops pulling (buffered messages are nak'ed at once, for another replica); running ones finish. */
  pause(): Promise<void>;
  /** Pulls again after `pause()` (or a paused start). */
  resume(): Promise<void>;
  readonly paused: boolean;
  readonly running: number;
}

/** The shared durable pull consumer of all executor replicas on ARB_OPPS (explicit ack, bounded ack-pending). */
export async function ensureExecutorConsumer(jsm: JetStreamManager, s: ConsumerSettings): Promise<void> {
  await ensureConsumer(jsm, streams.opportunities.name, {
    durable_name: consumers.executor(),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: subjects.opportunities(),
    ack_wait: s.ackWaitMs * 1_000_000,
    max_ack_pending: s.maxAckPending,
    max_deliver: s.maxDeliver,
  });
}

/**
 * Pulls opportunities and handles up to `localConcurrency` at once. Acked after the report is journaled (or for a
 * duplicate); a message that must come back later is nak'ed with a delay; an invalid one is terminated (never
 * redelivered). `paused`: nothing is pulled until `resume()` (an executor not ready to trade leaves the work to the
 * other replicas).
 */
export async function startOpportunityConsumer(js: JetStreamClient, s: ConsumerSettings, d: OpportunityConsumerDeps, paused = false): Promise<OpportunityConsumer> {
  const consumer = await js.consumers.get(streams.opportunities.name, consumers.executor());
  const running = new Set<Promise<void>>();
  let wake: (() => void) | undefined;
  let messages: ConsumerMessages | undefined;
  let loop: Promise<void> = Promise.resolve();
  let isPaused = true;
  let stopped = false;

  const handleOne = async (m: JsMsg, receivedTs: number): Promise<void> => {
    let opp: Opportunity;
    try {
      opp = validators.Opportunity.decode(m.data);
    } catch (err) {
      d.onInvalid(err);
      m.term();
      return;
    }
    try {
      const r = await d.handle(opp, receivedTs);
      if (r.kind === 'retry') m.nak(s.nakDelayMs ?? 1_000);
      else m.ack();
    } catch (err) {
      d.onError(err, opp);
      m.nak(s.nakDelayMs ?? 1_000);
    }
  };

  const pull = async (): Promise<void> => {
    // bind: after missed heartbeats nats.js re-sends the pull at once. Without it, it first asks for the consumer's info,
    // which the dead leader cannot answer, and then waits up to `expires` (30 s) before asking again. The consumer is
    // durable and made sure of at start-up (ensureExecutorConsumer).
    const batch = await consumer.consume({ max_messages: s.localConcurrency, idle_heartbeat: s.heartbeatMs ?? 1_000, bind: true });
    messages = batch;
    loop = (async () => {
      for await (const m of batch) {
        if (isPaused) {
          m.nak();
          continue;
        }
        const receivedTs = d.now();
        const p: Promise<void> = handleOne(m, receivedTs).finally(() => {
          running.delete(p);
          const w = wake;
          wake = undefined;
          w?.();
        });
        running.add(p);
        while (running.size >= s.localConcurrency) await new Promise<void>((r) => (wake = r));
      }
    })();
  };

  if (!paused) {
    isPaused = false;
    await pull();
  }

  return {
    get running() {
      return running.size;
    },
    get paused() {
      return isPaused;
    },
    async pause() {
      if (isPaused) return;
      isPaused = true;
      messages?.stop();
      await loop.catch(() => undefined);
    },
    async resume() {
      if (!isPaused || stopped) return;
      isPaused = false;
      await pull();
    },
    async stop() {
      stopped = true;
      isPaused = true;
      await messages?.close();
      await loop.catch(() => undefined);
      await Promise.allSettled([...running]);
    },
  };
}
