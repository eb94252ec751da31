import { streams, subjects, validators, type ExecutionReport } from '@arb/contracts';
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';

export interface JournalReaderOptions {
  /** Longest wait for the stream's messages of one read. */
  timeoutMs: number;
  /** Most messages one read looks at (a bound on a journal far larger than expected). */
  maxMessages: number;
}

/** Reads one trade's reports back from the journal (rare: after a `duplicate` publish, to compare contents). */
export class JournalReader {
  constructor(
    private readonly js: () => JetStreamClient,
    private readonly o: JournalReaderOptions,
  ) {}

  /**
   * The reports (the trade's report and its corrections) of `oppId`, stored on `arb.exec.<symbol>` since `sinceTs`,
   * in journal order. Reads with an ordered consumer filtered to the symbol's subject, starting at `sinceTs`.
   */
  async trade(symbol: string, oppId: string, sinceTs: number): Promise<ExecutionReport[]> {
    const c = await this.js().consumers.get(streams.executions.name, {
      filter_subjects: subjects.execution(symbol), // one subject as a string: `filter_subject` (nats-server 2.9 has no list form)
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Math.max(0, sinceTs)).toISOString(),
    });
    try {
      const pending = (await c.info(true)).num_pending;
      const out: ExecutionReport[] = [];
      if (pending === 0) return out;
      const msgs = await c.fetch({ max_messages: Math.min(pending, this.o.maxMessages), expires: this.o.timeoutMs });
      for await (const m of msgs) {
        try {
          const r = validators.ExecutionReport.decode(m.data);
          if (r.oppId === oppId) out.push(r);
        } catch {
          // not a valid report: not one of ours
        }
        if (m.info.pending === 0) break;
      }
      return out;
    } finally {
      await c.delete().catch(() => undefined);
    }
  }
}
