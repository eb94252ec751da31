import { subjects, ValidationError, validators, type ExecutionReport } from '@arb/contracts';
import type { Bus } from '@arb/service-kit';

export interface JournalOptions {
  ackTimeoutMs: number;
  retryDelayMs: number;
  /** False once the process is shutting down: stop retrying (the in-flight record stays for reconciliation). */
  keepTrying(): boolean;
  sleep(ms: number): Promise<void>;
  onRetry?(err: unknown, attempt: number): void;
}

/** Journal write outcome: `duplicate` when the stream had already seen this report id (a second journal of one trade). */
export type JournalResult = 'stored' | 'duplicate';

/** Thrown when journaling was abandoned (shutdown); the report was not stored. */
export class JournalAbandonedError extends Error {
  override readonly name = 'JournalAbandonedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Journals an ExecutionReport on `arb.exec.<symbol>` (stream ARB_EXECS) with Nats-Msg-Id = report id, so the stream
 * stores each trade's report once however often it is sent. Retries until stored (or the process stops).
 */
export class Journal {
  constructor(
    private readonly bus: Pick<Bus, 'publishJs'>,
    private readonly o: JournalOptions,
  ) {}

  async write(report: ExecutionReport): Promise<JournalResult> {
    const subject = subjects.execution(report.symbol);
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.bus.publishJs(subject, validators.ExecutionReport, report, { msgId: report.id, timeoutMs: this.o.ackTimeoutMs });
        return ack.duplicate ? 'duplicate' : 'stored';
      } catch (err) {
        if (err instanceof ValidationError) throw err; // a bug: retrying cannot help
        this.o.onRetry?.(err, attempt);
        if (!this.o.keepTrying()) throw new JournalAbandonedError(`report ${report.id} not journaled`, { cause: err });
        await this.o.sleep(Math.min(this.o.retryDelayMs * attempt, 5_000));
      }
    }
  }
}
