import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ); 100 on every mainstream Linux build. */
const USER_HZ = 100;

/**
 * utime + stime (seconds) from the text of `/proc/<pid>/stat`. The command name (field 2) is in parentheses and
 * may contain spaces, so fields are counted after the last `)`.
 */
export function parseCpuSeconds(statText: string): number | undefined {
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = statText.slice(close + 2).trim().split(/\s+/);
  // After ")": state(3) ppid(4) ... utime(14) stime(15): indexes 11 and 12 of this list.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / USER_HZ;
}

/** CPU seconds used so far by a process, or undefined when /proc is not there (non-Linux) or it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    return parseCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
