import type Big from 'big.js';
import { subjects, ValidationError, validators, type ExecutionReport, type Opportunity } from '@arb/contracts';
import type { Bus } from '@arb/service-kit';
import type { JournalReader } from './journal-reader';
import { buildCorrection, type Correction } from './trade/correction';
import type { LegOutcome } from './trade/types';

export interface JournalOptions {
  ackTimeoutMs: number;
  retryDelayMs: number;
  /** False once the process is shutting down: stop retrying (the in-flight record stays for reconciliation). */
  keepTrying(): boolean;
  sleep(ms: number): Promise<void>;
  onRetry?(err: unknown, attempt: number): void;
}

/** Journal write outcome: `duplicate` when the stream had already seen this report id. */
export type JournalResult = 'stored' | 'duplicate';

/**
 * Outcome of journaling a trade: `stored`; `duplicate` = the journal already held this trade with everything we know
 * (a second journal of one trade: harmless); `corrected` = it held the trade with LESS than we know (another executor
 * journaled it first, e.g. the one that took it over, or ours missed late fills): the difference was journaled as a
 * correction.
 */
export type TradeJournalResult =
  | { kind: 'stored' }
  | { kind: 'duplicate' }
  | { kind: 'corrected'; correction: Correction }
  /** Journaled before by someone, but what it holds could not be read back to compare: follow the trade up later. */
  | { kind: 'unverified'; error: unknown };

/** Attempts to read a trade back from the journal before giving the comparison up (`unverified`). */
const READ_ATTEMPTS = 3;

/** Everything about a trade a correction needs (the venues' truth as this process knows it). */
export interface TradeTruth {
  opp: Opportunity;
  legs: readonly LegOutcome[];
  usdRate: Big | null;
  tradeable: boolean;
}

/** Thrown when journaling was abandoned (shutdown); the report was not stored. */
export class JournalAbandonedError extends Error {
  override readonly name = 'JournalAbandonedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Journals an ExecutionReport on `arb.exec.<symbol>` (stream ARB_EXECS) with Nats-Msg-Id = report id, so the stream
 * stores each trade's report once however often it is sent. Retries until stored (or the process stops). A trade's
 * `duplicate` is not taken on trust: `writeTrade` compares with what the journal holds and corrects it.
 */
export class Journal {
  constructor(
    private readonly bus: Pick<Bus, 'publishJs'>,
    private readonly o: JournalOptions,
    private readonly reader?: Pick<JournalReader, 'trade'>,
  ) {}

  async write(report: ExecutionReport): Promise<JournalResult> {
    const subject = subjects.execution(report.symbol);
    return this.retrying(report.id, async () => {
      const ack = await this.bus.publishJs(subject, validators.ExecutionReport, report, { msgId: report.id, timeoutMs: this.o.ackTimeoutMs });
      return ack.duplicate ? 'duplicate' : 'stored';
    });
  }

  /**
   * Journals a trade's report. If the journal already has this trade (`duplicate`), reads what it holds (the report
   * and its corrections) and, when `truth` knows more (orders it lacks, fills it understates), journals the
   * difference as a correction: every order this process sent ends up in the journal, whoever journaled first.
   */
  async writeTrade(report: ExecutionReport, truth: TradeTruth): Promise<TradeJournalResult> {
    if ((await this.write(report)) === 'stored') return { kind: 'stored' };
    if (this.reader === undefined) return { kind: 'duplicate' };
    let stored: ExecutionReport[];
    try {
      stored = await this.stored(report.symbol, report.oppId, report.timings.receivedTs);
    } catch (error) {
      return { kind: 'unverified', error };
    }
    const correction = buildCorrection({
      opp: truth.opp,
      stored: stored.length > 0 ? stored : [report],
      truth: truth.legs,
      executorId: report.executorId,
      usdRate: truth.usdRate,
      fencingToken: report.fencingToken,
      tradeable: truth.tradeable,
      finalTs: report.timings.finalTs,
      reason: 'the journal held this trade with less than this executor saw at the venues',
    });
    if (correction === null) return { kind: 'duplicate' };
    return (await this.write(correction.report)) === 'stored' ? { kind: 'corrected', correction } : { kind: 'duplicate' };
  }

  /**
   * What the journal holds of one trade (its report and corrections; [] when none, or without a reader), read with a
   * bounded number of retries: rejects when the journal cannot be read.
   */
  async stored(symbol: string, oppId: string, receivedTs: number): Promise<ExecutionReport[]> {
    if (this.reader === undefined) return [];
    const reader = this.reader;
    for (let attempt = 1; ; attempt++) {
      try {
        return await reader.trade(symbol, oppId, receivedTs - 60_000);
      } catch (err) {
        this.o.onRetry?.(err, attempt);
        if (attempt >= READ_ATTEMPTS || !this.o.keepTrying()) throw err;
        await this.o.sleep(Math.min(this.o.retryDelayMs * attempt, 5_000));
      }
    }
  }

  private async retrying<T>(what: string, op: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (err) {
        if (err instanceof ValidationError) throw err; // a bug: retrying cannot help
        this.o.onRetry?.(err, attempt);
        if (!this.o.keepTrying()) throw new JournalAbandonedError(`report ${what} not journaled`, { cause: err });
        await this.o.sleep(Math.min(this.o.retryDelayMs * attempt, 5_000));
      }
    }
  }
}
