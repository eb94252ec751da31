import { streams, subjects, validators, type ExecutionReport } from '@arb/contracts';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient } from '@nats-io/jetstream';

export interface JournalFollowerOptions {
  /** Replay reports journaled since this time (epoch ms), then follow new ones. */
  fromTs: number;
  onReport(r: ExecutionReport): void;
  onInvalid?(issues: string[]): void;
  onError?(err: unknown): void;
}

export interface JournalFollower {
  /** Resolves once the replay reached the stream's end (the risk figures are current). */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Follows the trade journal (ARB_EXECS) with an ordered consumer, so every executor sees every executor's reports:
 * the cluster-wide daily figures the risk limits need, rebuilt after any restart from the durable journal.
 */
export async function followJournal(js: JetStreamClient, o: JournalFollowerOptions): Promise<JournalFollower> {
  const consumer = await js.consumers.get(streams.executions.name, {
    filter_subjects: subjects.executions(),
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(o.fromTs).toISOString(),
  });
  const initialPending = (await consumer.info(true)).num_pending;
  let markCaughtUp: () => void = () => undefined;
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });
  if (initialPending === 0) markCaughtUp();
  const messages: ConsumerMessages = await consumer.consume();
  const done = (async () => {
    try {
      for await (const m of messages) {
        try {
          const r = validators.ExecutionReport.decode(m.data);
          o.onReport(r);
        } catch (err) {
          o.onInvalid?.([(err as Error).message]);
        }
        if (m.info.pending === 0) markCaughtUp();
      }
    } catch (err) {
      o.onError?.(err);
    }
  })();
  return {
    caughtUp,
    async stop() {
      await messages.close();
      await done;
      markCaughtUp();
    },
  };
}
