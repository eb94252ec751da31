import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TrackedChild } from '../lib/child';
import { cpuSeconds } from '../lib/proc-stat';
import { rssBytes } from '../lib/proc-mem';
import { fetchMetrics } from '@arb/testkit';
import type { BenchContext } from '../types';

/** The real services' builds, relative to the repository root. */
export const SERVICE_ENTRIES = {
  'feed-ingestor': join('services', 'feed-ingestor', 'dist', 'main.js'),
  detector: join('services', 'detector', 'dist', 'main.js'),
  executor: join('services', 'executor', 'dist', 'main.js'),
  'exchange-sim': join('services', 'exchange-sim', 'dist', 'main.js'),
} as const;

export type ServiceName = keyof typeof SERVICE_ENTRIES;

/** Why these services cannot run here (a missing build), or undefined. */
export function servicesUnavailable(root: string, names: readonly ServiceName[]): string | undefined {
  const missing = names.filter((n) => !existsSync(join(root, SERVICE_ENTRIES[n])));
  return missing.length === 0 ? undefined : `${missing.map((n) => SERVICE_ENTRIES[n]).join(', ')} not built yet`;
}

/**
 * The environment of a measured service: only the basics of ours (no ARB_* setting of the caller leaks in), sim
 * mode, metrics/health on a free port of loopback, then `env`.
 */
export function serviceEnv(env: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS']) if (process.env[k] !== undefined) out[k] = process.env[k];
  return { ...out, ARB_MODE: 'sim', ARB__HTTP__HOST: '127.0.0.1', ARB__HTTP__PORT: '0', ...env };
}

export interface StartServiceOptions {
  readonly name: ServiceName;
  /** Log file name under `<outDir>/logs/` (without .log). */
  readonly label: string;
  readonly env: Readonly<Record<string, string>>;
  /** Output line that says the service is up (default: the http server line). */
  readonly readyLine?: RegExp;
  readonly readyTimeoutMs?: number;
}

const HTTP_LINE = /"http server listening"/;

/**
 * One real service process (`node services/<name>/dist/main.js`) with its output in `logs/<label>.log`; `start`
 * resolves once it printed its ready line. `httpUrl` is its metrics/health server (when it has one).
 */
export class ServiceProcess {
  private constructor(
    readonly name: ServiceName,
    readonly child: TrackedChild,
    readonly httpUrl: string | undefined,
  ) {}

  static async start(ctx: BenchContext, o: StartServiceOptions): Promise<ServiceProcess> {
    const logFile = join(ctx.outDir, 'logs', `${o.label}.log`);
    mkdirSync(join(ctx.outDir, 'logs'), { recursive: true });
    const child = new TrackedChild(process.execPath, [join(ctx.root, SERVICE_ENTRIES[o.name])], { env: serviceEnv(o.env), cwd: ctx.root, logFile });
    try {
      const timeout = o.readyTimeoutMs ?? 30_000;
      await child.waitForLine(o.readyLine ?? HTTP_LINE, timeout, o.label);
      let httpUrl: string | undefined;
      if (o.name !== 'exchange-sim') {
        const line = await child.waitForLine(HTTP_LINE, timeout, o.label);
        const url = (JSON.parse(line) as { url?: unknown }).url;
        if (typeof url !== 'string') throw new Error(`${o.label}: no url in ${line}`);
        httpUrl = url;
      }
      return new ServiceProcess(o.name, child, httpUrl);
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  /** CPU seconds used so far (utime + stime), undefined off Linux. */
  cpu(): number | undefined {
    return cpuSeconds(this.child.pid);
  }

  /** Resident memory now (bytes), undefined off Linux. */
  rss(): number | undefined {
    return rssBytes(this.child.pid);
  }

  metrics(): Promise<string> {
    if (this.httpUrl === undefined) return Promise.reject(new Error(`${this.name} has no http server`));
    return fetchMetrics(`${this.httpUrl}/metrics`);
  }

  stop(): Promise<string> {
    return this.child.stop();
  }
}
