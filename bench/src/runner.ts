import { failedRow, skippedRow } from './lib/rows';
import type { BenchContext, BenchModule, BenchRow } from './types';

export interface ModuleOutcome {
  readonly module: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly seconds: number;
  readonly rows: BenchRow[];
}

/** Runs modules one after the other; a module that is unavailable or throws leaves one skipped/failed row. */
export async function runBenchmarks(modules: readonly BenchModule[], ctx: BenchContext): Promise<ModuleOutcome[]> {
  const out: ModuleOutcome[] = [];
  for (const m of modules) {
    const t0 = Date.now();
    const reason = m.unavailable?.(ctx);
    if (reason !== undefined) {
      ctx.log.info(`${m.name}: skipped (${reason})`);
      out.push({ module: m.name, status: 'skipped', seconds: 0, rows: [skippedRow(m.group, m.name, reason)] });
      continue;
    }
    ctx.log.info(`${m.name}: ${m.description}`);
    try {
      const rows = await m.run(ctx);
      const seconds = (Date.now() - t0) / 1000;
      const status = rows.some((r) => r.status === 'failed') ? 'failed' : 'ok';
      ctx.log.info(`${m.name}: ${status} (${seconds.toFixed(1)}s)`);
      out.push({ module: m.name, status, seconds, rows });
    } catch (error) {
      const seconds = (Date.now() - t0) / 1000;
      ctx.log.warn(`${m.name}: FAILED after ${seconds.toFixed(1)}s: ${error instanceof Error ? error.message : String(error)}`);
      out.push({ module: m.name, status: 'failed', seconds, rows: [failedRow(m.group, m.name, error)] });
    }
  }
  return out;
}
