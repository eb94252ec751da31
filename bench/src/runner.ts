import { hostLoadMeter, type HostLoad } from './lib/host-load';
import { failedRow, skippedRow } from './lib/rows';
import type { BenchContext, BenchModule, BenchRow } from './types';

export interface ModuleOutcome {
  readonly module: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly seconds: number;
  /** How busy the whole machine was while the module ran (other users of a shared host included). */
  readonly host?: HostLoad;
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
    const load = hostLoadMeter();
    try {
      const rows = await m.run(ctx);
      const seconds = (Date.now() - t0) / 1000;
      const status = rows.some((r) => r.status === 'failed') ? 'failed' : 'ok';
      const host = load();
      ctx.log.info(`${m.name}: ${status} (${seconds.toFixed(1)}s, ${describeLoad(host)})`);
      out.push({ module: m.name, status, seconds, host, rows });
    } catch (error) {
      const seconds = (Date.now() - t0) / 1000;
      ctx.log.warn(`${m.name}: FAILED after ${seconds.toFixed(1)}s: ${error instanceof Error ? error.message : String(error)}`);
      out.push({ module: m.name, status: 'failed', seconds, host: load(), rows: [failedRow(m.group, m.name, error)] });
    }
  }
  return out;
}

/** `host CPU 93% busy, load 3.1 on 2 CPUs`. */
export function describeLoad(h: HostLoad): string {
  return `host CPU ${h.busyPct === null ? '?' : h.busyPct.toFixed(0)}% busy, load ${h.load1.toFixed(1)} on ${h.cpus} CPUs`;
}
