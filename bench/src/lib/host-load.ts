import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Busy and total jiffies of all CPUs, from the first line of /proc/stat. */
export function parseProcStatCpu(text: string): { busy: number; total: number } | undefined {
  const line = text.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) return undefined;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user/nice]
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

function sample(): { busy: number; total: number } | undefined {
  try {
    return parseProcStatCpu(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export interface HostLoad {
  /** Share of all CPUs' time that was busy (any process, ours included), 0..100; null off Linux. */
  readonly busyPct: number | null;
  /** 1-minute load average at the end, and the CPU count to read it against. */
  readonly load1: number;
  readonly cpus: number;
}

/** Starts measuring how busy the whole machine is; call the result to get the figures for the interval. */
export function hostLoadMeter(): () => HostLoad {
  const start = sample();
  return () => {
    const end = sample();
    const busyPct = start !== undefined && end !== undefined && end.total > start.total ? (100 * (end.busy - start.busy)) / (end.total - start.total) : null;
    return { busyPct, load1: loadavg()[0] ?? 0, cpus: cpus().length };
  };
}
