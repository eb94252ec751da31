import type { Bus, ServiceContext } from '@arb/service-kit';
import { nowMs, withTimeout } from '@arb/service-kit';
import { splitSymbol } from '@arb/venues';
import type { Logger } from '@arb/service-kit';
import type { ExecutorConfig } from '../config';
import type { ExecutorMetrics } from '../metrics';
import type { Warn } from '../pipeline/context';
import type { RuntimeConfigState } from '../runtime/runtime-config';
import { followJournal } from './journal-follower';
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

/**
 * The risk book fed by the trade journal (all executors' reports since the start of the UTC day), replayed before the
 * executor takes work; trips the kill switch (once per day) when the daily loss limit is reached.
 */
export async function startRisk(w: RiskWiring): Promise<RiskBook> {
  const limits = w.cfg.executor.risk;
  const pegs = w.cfg.markets.usdPegs;
  const book = new RiskBook(limits, (symbol) => {
    const peg = pegs[splitSymbol(symbol).quote];
    return peg === undefined ? null : Number(peg);
  });
  let trippedDay = -1;
  const follower = await followJournal(w.bus.jetstream(), {
    fromTs: utcDayStart(nowMs()),
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
    onError: (err) => w.warn('journal-follow', { err }, 'journal follower ended'),
  });
  w.ctx.onShutdown('journal-follower', () => follower.stop());
  try {
    await withTimeout(follower.caughtUp, 10_000, 'journal replay');
  } catch (err) {
    w.log.warn({ err }, 'journal replay not finished; risk figures catch up while trading');
  }
  return book;
}
