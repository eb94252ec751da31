import type { Bus, ServiceContext } from '@arb/service-kit';
import { nowMs, withTimeout } from '@arb/service-kit';
import { splitSymbol } from '@arb/venues';
import type { Logger } from '@arb/service-kit';
import type { ExecutorConfig } from '../config';
import type { ExecutorMetrics } from '../metrics';
import type { Warn } from '../pipeline/context';
import type { RuntimeConfigState } from '../runtime/runtime-config';
import { JournalFollower } from './journal-follower';
import { RiskBook, utcDayStart } from './risk-book';

export interface RiskWiring {
  ctx: ServiceContext;
  bus: Bus;
  cfg: ExecutorConfig;
  metrics: ExecutorMetrics;
  runtime: Pick<RuntimeConfigState, 'trip'>;
  log: Logger;
  warn: Warn;
}

/** The risk book and whether its figures are current (the journal follower at the stream's end). */
export interface RiskFeed {
  book: RiskBook;
  /** Null while current; else why trading must wait. */
  stale(now: number): string | null;
  /** Stream sequence up to which the journal has been applied. */
  readonly position: number;
}

/**
 * The risk book fed by the trade journal (all executors' reports since the start of the UTC day), replayed before the
 * executor takes work; trips the kill switch (once per day) when the daily loss limit is reached. The follower
 * re-creates its consumer after NATS restarts, stalls and stream re-creation; while it is not confirmed current,
 * `stale()` says why (admission skips: risk-stale).
 */
export async function startRisk(w: RiskWiring): Promise<RiskFeed> {
  const limits = w.cfg.executor.risk;
  const rf = w.cfg.executor.riskFeed;
  const pegs = w.cfg.markets.usdPegs;
  const book = new RiskBook(limits, (symbol) => {
    const peg = pegs[splitSymbol(symbol).quote];
    return peg === undefined ? null : Number(peg);
  });
  let trippedDay = -1;
  const follower = new JournalFollower({
    js: w.bus.jetstream(),
    jsm: await w.bus.jetstreamManager(),
    nc: w.bus.nc,
    fromTs: utcDayStart(nowMs()),
    ...rf,
    now: nowMs,
    onReport: (r) => {
      book.add(r, nowMs());
      w.metrics.dailyPnlUsd.set(book.pnlUsd);
      w.metrics.dailyVolumeUsd.set(book.volumeUsd);
      w.metrics.residualExposureUsd.set(book.exposureUsd);
      if (book.lossLimitHit() && trippedDay !== book.currentDay) {
        trippedDay = book.currentDay;
        const reason = `daily loss limit ${limits.dailyLossLimitUsd ?? '?'} USD reached (realized ${book.pnlUsd.toFixed(2)} USD)`;
        w.log.error({ pnlUsd: book.pnlUsd }, `tripping the kill switch: ${reason}`);
        w.runtime.trip(reason).catch((err: unknown) => w.warn('trip', { err }, 'kill switch write failed'));
      }
    },
    onInvalid: (issues) => {
      w.metrics.badInput.labels('execution-report').inc();
      w.warn('bad-report', { issues }, 'invalid report in the journal ignored');
    },
    onError: (err) => w.warn('journal-follow', { err }, 'journal follower error; its consumer is re-created'),
    onRestart: (reason) => {
      w.metrics.riskFeedRestarts.inc();
      w.log.info({ reason, position: follower.position }, 'journal follower: consumer re-created after the last applied report');
    },
  });
  follower.start();
  w.ctx.onShutdown('journal-follower', () => follower.stop());
  try {
    await withTimeout(follower.caughtUp, 10_000, 'journal replay');
  } catch (err) {
    w.log.warn({ err }, 'journal replay not finished; trading waits until the risk figures are current (risk-stale)');
  }
  return {
    book,
    stale: (now) => follower.stale(now),
    get position() {
      return follower.position;
    },
  };
}
