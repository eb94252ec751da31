import { loadConfig, runService } from '@arb/service-kit';
import { ExecutorConfig } from './config';
import { startExecutor } from './service';

/** `node dist/main.js`: one executor replica (any number may run; they share the work queue and the semaphore). */
void runService('executor', async (ctx) => {
  const cfg = loadConfig(ExecutorConfig);
  ctx.logger.level = cfg.log.level;
  await startExecutor(ctx, cfg);
});
