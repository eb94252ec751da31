import { parseInfo, respCall } from '@arb/testkit';
import { hostLoadMeter, type HostLoad } from '../lib/host-load';
import { cpuSeconds } from '../lib/proc-stat';

/** nats-server /varz counters (since its start). */
export interface VarzCounters {
  readonly inMsgs: number;
  readonly outMsgs: number;
  readonly inBytes: number;
  readonly outBytes: number;
}

/** The counters of a /varz JSON body; undefined when it is not one. */
export function parseVarz(body: unknown): VarzCounters | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  const n = (k: string): number | undefined => (typeof b[k] === 'number' ? b[k] : undefined);
  const [inMsgs, outMsgs, inBytes, outBytes] = [n('in_msgs'), n('out_msgs'), n('in_bytes'), n('out_bytes')];
  if (inMsgs === undefined || outMsgs === undefined || inBytes === undefined || outBytes === undefined) return undefined;
  return { inMsgs, outMsgs, inBytes, outBytes };
}

async function varz(monitorUrl: string): Promise<VarzCounters> {
  const res = await fetch(`${monitorUrl}/varz`, { signal: AbortSignal.timeout(3000) });
  const v = parseVarz(await res.json());
  if (v === undefined) throw new Error(`${monitorUrl}/varz: no message counters`);
  return v;
}

async function redisStats(host: string, port: number): Promise<{ commands: number; instantaneous: number }> {
  const [info] = await respCall(host, port, [['INFO', 'stats']]);
  const m = parseInfo(info ?? null);
  return { commands: Number(m.get('total_commands_processed') ?? NaN), instantaneous: Number(m.get('instantaneous_ops_per_sec') ?? NaN) };
}

/** What the shared infrastructure and every process did over one interval. */
export interface LoadReport {
  readonly seconds: number;
  /** NATS messages and bytes per second, into the server (published) and out of it (delivered). */
  readonly nats: { readonly inMsgs: number; readonly outMsgs: number; readonly inBytes: number; readonly outBytes: number; readonly cpuPct: number | null };
  /** Redis commands per second over the interval, its own instantaneous_ops_per_sec at the end, CPU % of one core. */
  readonly redis: { readonly opsPerSec: number; readonly instantaneous: number; readonly cpuPct: number | null };
  /** CPU % of one core per named process (null: unreadable, e.g. off Linux). */
  readonly cpu: ReadonlyMap<string, number | null>;
  readonly host: HostLoad;
}

export interface MeteredProcess {
  readonly name: string;
  readonly pid: number | undefined;
}

/**
 * Starts measuring: NATS from its monitoring endpoint (/varz), Redis from INFO, CPU from /proc of each pid (the
 * servers' and the services'). Call the result at the end of the interval.
 */
export async function startLoadMeter(o: {
  natsMonitorUrl: string;
  natsPid: number | undefined;
  redis: { host: string; port: number; pid: number | undefined };
  processes: readonly MeteredProcess[];
}): Promise<() => Promise<LoadReport>> {
  const cpu0 = (pid: number | undefined): number | undefined => (pid === undefined ? undefined : cpuSeconds(pid));
  const pct = (pid: number | undefined, before: number | undefined, secs: number): number | null => {
    const after = cpu0(pid);
    return before === undefined || after === undefined ? null : (100 * (after - before)) / secs;
  };
  const v0 = await varz(o.natsMonitorUrl);
  const r0 = await redisStats(o.redis.host, o.redis.port);
  const natsCpu0 = cpu0(o.natsPid);
  const redisCpu0 = cpu0(o.redis.pid);
  const procCpu0 = o.processes.map((p) => cpu0(p.pid));
  const host = hostLoadMeter();
  const t0 = performance.now();
  return async () => {
    const secs = (performance.now() - t0) / 1000;
    const v1 = await varz(o.natsMonitorUrl);
    const r1 = await redisStats(o.redis.host, o.redis.port);
    const cpu = new Map<string, number | null>();
    o.processes.forEach((p, i) => cpu.set(p.name, pct(p.pid, procCpu0[i], secs)));
    return {
      seconds: secs,
      nats: {
        inMsgs: (v1.inMsgs - v0.inMsgs) / secs,
        outMsgs: (v1.outMsgs - v0.outMsgs) / secs,
        inBytes: (v1.inBytes - v0.inBytes) / secs,
        outBytes: (v1.outBytes - v0.outBytes) / secs,
        cpuPct: pct(o.natsPid, natsCpu0, secs),
      },
      // INFO itself is one command of the interval: left out.
      redis: { opsPerSec: (r1.commands - r0.commands - 1) / secs, instantaneous: r1.instantaneous, cpuPct: pct(o.redis.pid, redisCpu0, secs) },
      cpu,
      host: host(),
    };
  };
}
