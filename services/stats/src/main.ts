import { loadConfig, runService } from '@arb/service-kit';
import { StatsConfig } from './config';
import { startStats } from './service';

/** `node dist/main.js`: statistics from the execution journal, /metrics, /stats and the status page at /. */
void runService('stats', async (ctx) => {
  const cfg = loadConfig(StatsConfig);
  ctx.logger.level = cfg.log.level;
  await startStats(ctx, cfg);
});
