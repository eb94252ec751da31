import { loadConfig, runService } from '@arb/service-kit';
import type { BookSnapshot } from '@arb/contracts';
import { DetectorConfig } from './config';
import { DomainEvaluator } from './domain-evaluator';
import { startDetector, type RunningDetector } from './service';
import type { ParsedBook } from '@arb/domain';

/** The detector process: `node services/detector/dist/main.js` (config: config/*.yaml + ARB__* env). */
void runService('detector', async (ctx) => {
  const cfg = loadConfig(DetectorConfig);
  ctx.logger.level = cfg.log.level;
  const ref: { running?: RunningDetector<ParsedBook> } = {};
  // USD conversion of a non-pegged quote asset reads the freshest book of the conversion market (if this replica has it).
  const bookOf = (symbol: string, now: number): BookSnapshot | undefined => {
    const running = ref.running;
    if (running === undefined) return undefined;
    const maxAge = running.params.current().stalenessMs;
    let best: BookSnapshot | undefined;
    for (const e of running.detector.books.ofSymbol(symbol).values()) {
      if (now - e.book.recvTs <= maxAge && (best === undefined || e.book.recvTs > best.recvTs)) best = e.book;
    }
    return best;
  };
  const evaluator = new DomainEvaluator({ bookOf });
  ref.running = await startDetector(ctx, cfg, evaluator, (p) => evaluator.check(p));
});
