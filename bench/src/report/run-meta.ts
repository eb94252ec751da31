import { spawnSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

export interface RunMeta {
  readonly startedAt: string;
  readonly seconds: number;
  readonly quick: boolean;
  readonly heavy?: boolean;
  readonly soakSeconds?: number;
  readonly only: readonly string[];
  /** The command-line arguments of the run (what to type to repeat it). */
  readonly args?: readonly string[];
  readonly commit: string | null;
  readonly host: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly freeMemoryGb: number;
    readonly loadAverage: readonly number[];
    readonly node: string;
    readonly platform: string;
  };
}

/** Facts about this run and machine, taken at the start (load average before our own load). */
export function runMeta(opts: {
  root: string;
  quick: boolean;
  heavy?: boolean;
  soakSeconds?: number | undefined;
  only: readonly string[];
  args?: readonly string[];
  startedAt: Date;
}): Omit<RunMeta, 'seconds'> {
  const c = cpus();
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: opts.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return {
    startedAt: opts.startedAt.toISOString(),
    quick: opts.quick,
    ...(opts.heavy === true ? { heavy: true } : {}),
    ...(opts.soakSeconds !== undefined ? { soakSeconds: opts.soakSeconds } : {}),
    only: opts.only,
    ...(opts.args !== undefined ? { args: opts.args } : {}),
    commit: git.status === 0 ? git.stdout.trim() : null,
    host: {
      cpus: c.length,
      cpuModel: c[0]?.model.trim() ?? 'unknown',
      memoryGb: totalmem() / 2 ** 30,
      freeMemoryGb: freemem() / 2 ** 30,
      loadAverage: loadavg(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
  };
}
